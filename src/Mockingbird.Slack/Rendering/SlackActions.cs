using Mockingbird.Chat;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Slack.Rendering;

/// <summary>
/// The <c>action_id</c>s of the bot's buttons and the long-answer modal. A button's value is its
/// <see cref="ChatButton.Value"/>, so a click on an earlier question, or a second click, cannot act on the question
/// now on screen.
/// </summary>
internal static class SlackActions
{
    public const string AnswerForm = "mb:answer";
    public const string Hint = "mb:hint";
    public const string Skip = "mb:skip";
    public const string End = "mb:end";
    public const string RateUp = "mb:rate-up";
    public const string RateDown = "mb:rate-down";

    /// <summary>A feedback's I-disagree button; its value names the judged turn (<see cref="DisputedFeedback"/>).</summary>
    public const string Disagree = "mb:disagree";

    /// <summary>The I-disagree modal's <c>callback_id</c>; its <c>private_metadata</c> is the thread and the button's value.</summary>
    public const string DisagreeModal = "mb:disagree-modal";

    /// <summary>A blind ballot's score buttons, one action id per score (<c>mb:vote:3</c>, as a message's action ids differ); the value is the dispute's id.</summary>
    public const string VotePrefix = "mb:vote:";

    /// <summary>The modal's <c>callback_id</c>.</summary>
    public const string AnswerModal = "mb:answer-modal";

    /// <summary>The job description modal's <c>callback_id</c>; its <c>private_metadata</c> is the channel and the start's words.</summary>
    public const string JobModal = "mb:job-modal";

    /// <summary>A daily question's Answer button; its value is the round's id.</summary>
    public const string DailyAnswer = "mb:daily-answer";

    /// <summary>The daily answer modal's <c>callback_id</c>; its <c>private_metadata</c> is the round's id.</summary>
    public const string DailyAnswerModal = "mb:daily-answer-modal";

    /// <summary>A drill's Answer button; its value is the user it was sent to and the drill.</summary>
    public const string DrillAnswer = "mb:drill-answer";

    /// <summary>The drill answer modal's <c>callback_id</c>; its <c>private_metadata</c> is the channel, the user and the drill.</summary>
    public const string DrillAnswerModal = "mb:drill-answer-modal";

    public static string Of(ChatButtonKind kind) => kind switch
    {
        ChatButtonKind.AnswerForm => AnswerForm,
        ChatButtonKind.Hint => Hint,
        ChatButtonKind.Skip => Skip,
        ChatButtonKind.End => End,
        ChatButtonKind.RateUp => RateUp,
        ChatButtonKind.RateDown => RateDown,
        ChatButtonKind.Disagree => Disagree,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a button kind."),
    };

    public static string Vote(int score) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{VotePrefix}{score}");

    public static bool IsVote(string actionId, out int score)
    {
        score = 0;
        return actionId.StartsWith(VotePrefix, StringComparison.Ordinal)
            && int.TryParse(actionId.AsSpan(VotePrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out score);
    }

    /// <summary>The input a question's button asks for, or <c>null</c> for another action.</summary>
    public static InterviewInput? ButtonInput(string actionId, string? value) => actionId switch
    {
        End => ChatButton.InputOf(ChatButtonKind.End, value),
        Hint => ChatButton.InputOf(ChatButtonKind.Hint, value),
        Skip => ChatButton.InputOf(ChatButtonKind.Skip, value),
        _ => null,
    };
}
