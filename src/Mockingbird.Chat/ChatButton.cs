using Mockingbird.Chat.Ratings;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

public enum ChatButtonKind
{
    AnswerForm,
    Hint,
    Skip,
    End,
    RateUp,
    RateDown,
    Disagree,
}

public enum ChatButtonStyle
{
    Plain,
    Primary,
    Danger,
}

/// <summary>
/// A button under a posted action, the same on every platform; each platform gives it its own id and look.
/// </summary>
/// <param name="Value">
/// What the button carries back: the question's position (<see cref="QuestionPositions"/>), a hint request
/// (<see cref="HintButtons"/>), a feedback's arm and interview (<see cref="RatedFeedback"/>) or its turn (<see cref="DisputedFeedback"/>), so a click on an earlier question,
/// or a second click, cannot act on the question now on screen.
/// </param>
public sealed record ChatButton(ChatButtonKind Kind, string Label, ChatButtonStyle Style, string Value)
{
    /// <summary>The buttons under an action, or <c>null</c> for an action the candidate does not act on.</summary>
    public static IReadOnlyList<ChatButton>? For(InterviewAction action) => action switch
    {
        PostQuestion { Position: var on, NextHint: var hint } =>
        [
            new(ChatButtonKind.AnswerForm, "Answer in a form", ChatButtonStyle.Primary, QuestionPositions.Encode(on)),
            new(ChatButtonKind.Hint, "Hint", ChatButtonStyle.Plain, HintButtons.Encode(on, hint)),
            new(ChatButtonKind.Skip, "Skip", ChatButtonStyle.Plain, QuestionPositions.Encode(on)),
            new(ChatButtonKind.End, "End", ChatButtonStyle.Danger, "end"),
        ],

        // The question's own hint button keeps asking for the hint now shown, so the next one is asked for here.
        PostHint { On: { } on, AnotherHintAvailable: true } shown =>
            [new(ChatButtonKind.Hint, "Another hint", ChatButtonStyle.Plain, HintButtons.Encode(on, shown.HintNumber + 1))],
        PostFeedback { For: null, TurnNumber: > 0 } feedback => [.. RatingButtons(RatedFeedback.Of(feedback)), DisagreeButton(feedback)],

        // Feedback on a study-group member's daily answer (turn 0, or shown for a member) is not an interview turn: there is nothing to dispute.
        PostFeedback feedback => RatingButtons(RatedFeedback.Of(feedback)),
        _ => null,
    };

    /// <summary>What a click on a question's button asks of the interview, or <c>null</c> when its value says nothing.</summary>
    public static InterviewInput? InputOf(ChatButtonKind kind, string? value) => kind switch
    {
        ChatButtonKind.End => new EndRequested(),
        ChatButtonKind.Hint => HintButtons.Decode(value),
        ChatButtonKind.Skip when QuestionPositions.Decode(value) is { } on => new SkipRequested(on),
        _ => null,
    };

    /// <summary>The candidate's way to contest a score; it names the judged turn (<see cref="DisputedFeedback"/>).</summary>
    private static ChatButton DisagreeButton(PostFeedback feedback) =>
        new(ChatButtonKind.Disagree, "I disagree", ChatButtonStyle.Plain, DisputedFeedback.Of(feedback).Encode());

    /// <summary>Each button carries the arm of its feedback, so a vote counts for the prompt that wrote it, and its interview (<see cref="RatedFeedback"/>).</summary>
    private static ChatButton[] RatingButtons(RatedFeedback rated) =>
    [
        new(ChatButtonKind.RateUp, "Helpful", ChatButtonStyle.Plain, rated.Encode()),
        new(ChatButtonKind.RateDown, "Not helpful", ChatButtonStyle.Plain, rated.Encode()),
    ];
}
