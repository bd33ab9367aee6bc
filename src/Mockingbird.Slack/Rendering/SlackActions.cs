using Mockingbird.Chat;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Slack.Rendering;

/// <summary>
/// The <c>action_id</c>s and values of the bot's buttons and the long-answer modal. A question's buttons carry its
/// position (<c>3:1</c> = follow-up 1 on question 3), so a click on an earlier question, or a second click, cannot act
/// on the question now on screen; a hint button also carries its hint (<see cref="HintButtons"/>).
/// </summary>
internal static class SlackActions
{
    public const string AnswerForm = "mb:answer";
    public const string Hint = "mb:hint";
    public const string Skip = "mb:skip";
    public const string End = "mb:end";
    public const string RateUp = "mb:rate-up";
    public const string RateDown = "mb:rate-down";

    /// <summary>The modal's <c>callback_id</c>.</summary>
    public const string AnswerModal = "mb:answer-modal";

    /// <summary>Four of Slack's 3,000-character inputs hold the engine's 12,000-character answer.</summary>
    public static readonly IReadOnlyList<string> AnswerFields = ["mb:answer-1", "mb:answer-2", "mb:answer-3", "mb:answer-4"];

    /// <summary>The input a question's button asks for, or <c>null</c> for another action.</summary>
    public static InterviewInput? ButtonInput(string actionId, string? value) => actionId switch
    {
        End => new EndRequested(),
        Hint => HintButtons.Decode(value),
        Skip when QuestionPositions.Decode(value) is { } on => new SkipRequested(on),
        _ => null,
    };
}
