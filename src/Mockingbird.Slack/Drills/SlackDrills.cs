using Microsoft.Extensions.Logging;
using Mockingbird.Drills;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;

namespace Mockingbird.Slack.Drills;

/// <summary>
/// Drills on Slack: a direct message with the question and an <b>Answer</b> button, and the judged feedback in the
/// same conversation. Slack has no nonce, so each message goes through the delivery ledger under a key of its own and
/// carries that key's digest as metadata: a repeat after a poster died between posting and recording looks in the
/// conversation's history first, and posts only when it is not there. Text is escaped, so nothing in it mentions anyone.
/// </summary>
internal sealed partial class SlackDrills(ISlackWebApi web, SlackInterviewOutput output, ILogger<SlackDrills> logger) : IDrillPlatform
{
    /// <summary>A user Slack cannot reach by direct message: trying again would fail the same way.</summary>
    private static readonly HashSet<string> Unreachable = new(StringComparer.Ordinal)
    {
        "user_not_found", "user_disabled", "account_inactive", "cannot_dm_bot", "messages_tab_disabled",
    };

    /// <summary>What a drill's Answer button carries: the user it was sent to and the drill.</summary>
    public static string ButtonValue(string userId, string drillId) => $"{userId}|{drillId}";

    public static bool TryParseButton(string? value, out string userId, out string drillId)
    {
        (userId, drillId) = value?.Split('|', 2) is [{ Length: > 0 } user, { Length: > 0 } drill] ? (user, drill) : (string.Empty, string.Empty);
        return drillId.Length > 0;
    }

    public Task SendAsync(DrillMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var user = SlackInterviewBot.UserOf(message.CandidateId);
        var text = SlackText.Shorten($"*Drill: {SlackRenderer.Escape(message.Dimension)}*\n{SlackRenderer.Escape(message.Text)}", SlackRenderer.SectionLimit);
        var post = new SlackMessage(
            SlackText.Shorten($"Drill: {SlackRenderer.Escape(message.Dimension)}", 150),
            [
                new Block("section", TextObject.Markdown(text)),
                new Block("actions", Elements: [new BlockElement("button", TextObject.Plain("Answer"), SlackActions.DrillAnswer, ButtonValue(user, message.DrillId), "primary")]),
            ]);
        return DirectAsync(user, post, $"{DrillScheduler.DeliveryKeyOf(message.CandidateId, message.DrillId)}#drill", cancellationToken);
    }

    public Task SendFeedbackAsync(DrillFeedbackMessage feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var text = SlackText.Shorten(SlackRenderer.Escape(feedback.Text), SlackRenderer.SectionLimit);
        return DirectAsync(
            SlackInterviewBot.UserOf(feedback.CandidateId),
            new SlackMessage(SlackText.Shorten(text, 150), [new Block("section", TextObject.Markdown(text))]),
            $"{DrillScheduler.DeliveryKeyOf(feedback.CandidateId, feedback.DrillId)}#feedback",
            cancellationToken);
    }

    private async Task DirectAsync(string userId, SlackMessage message, string partKey, CancellationToken cancellationToken)
    {
        try
        {
            var direct = await web.OpenDirectMessageAsync(userId, cancellationToken);
            await output.PostAtTopOnceAsync(direct, message, partKey, findPostedSince: null, cancellationToken);
        }
        catch (SlackApiException ex) when (Unreachable.Contains(ex.Error))
        {
            Log.Unreachable(logger, ex.Error);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A drill message could not be sent: Slack says {SlackError} for the candidate's direct messages")]
        public static partial void Unreachable(ILogger logger, string slackError);
    }
}
