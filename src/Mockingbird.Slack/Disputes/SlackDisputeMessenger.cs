using Mockingbird.Chat;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;

namespace Mockingbird.Slack.Disputes;

/// <summary>
/// A dispute's outcome on Slack: a direct message to its candidate, escaped so it mentions nobody. It goes through
/// the delivery ledger under the dispute's key, so an outcome sent again after a replica died part way is posted
/// once. Any failure reaches the caller, which keeps the outcome untold for the candidate's next command.
/// </summary>
internal sealed class SlackDisputeMessenger(ISlackWebApi web, SlackInterviewOutput output) : IDisputeMessenger
{
    public async Task SendAsync(DisputeOutcomeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = SlackText.Shorten(SlackRenderer.Escape(message.Text), SlackRenderer.SectionLimit);
        var direct = await web.OpenDirectMessageAsync(SlackInterviewBot.UserOf(message.CandidateId), cancellationToken);
        await output.PostAtTopOnceAsync(
            direct,
            new SlackMessage(SlackText.Shorten(text, 150), [new Block("section", TextObject.Markdown(text))]),
            $"dispute:{message.DisputeId}#outcome",
            findPostedSince: null,
            cancellationToken);
    }
}
