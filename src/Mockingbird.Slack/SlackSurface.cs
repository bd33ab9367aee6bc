using Mockingbird.Chat;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;

namespace Mockingbird.Slack;

/// <summary>Slack as the surface of one command, click or message: its channel and user, threads and posts.</summary>
internal sealed class SlackSurface(ISlackWebApi web, SlackInterviewOutput output, string candidateId, string channelId, string userId, string? messageTs = null) : IChatSurface
{
    public async Task<string> OpenThreadAsync(InterviewPlan? plan, CancellationToken cancellationToken)
    {
        // The interview's thread hangs off a message of the bot's that names the candidate (the one mention it makes).
        var parent = new PostMessage(
            channelId,
            $"Mock interview for <@{userId}>: {plan?.ToWire() ?? "resumed"}",
            [new Block("section", TextObject.Markdown($"*Mock interview for <@{userId}>* · {plan?.ToWire() ?? "resumed"}\nReply in this thread to answer. Others can read along; only <@{userId}>'s replies count."))],
            UnfurlLinks: false,
            UnfurlMedia: false);
        PostedMessage posted;
        try
        {
            posted = await web.PostMessageAsync(parent, cancellationToken);
        }
        catch (SlackApiException ex) when (ex.Error is "not_in_channel" or "channel_not_found")
        {
            // The bot is not in that channel (or it is someone else's DM): hold the interview in a DM instead.
            var direct = await web.OpenDirectMessageAsync(userId, cancellationToken);
            posted = await web.PostMessageAsync(parent with { Channel = direct }, cancellationToken);
        }

        return new SlackThread(posted.Channel ?? channelId, posted.Ts ?? throw new SlackApiException("chat.postMessage", "no_ts")).ToString();
    }

    public Task PostAsync(string thread, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken) =>
        PostMessagesAsync(thread, SlackRenderer.Messages(actions), deliveryKey, actions, cancellationToken);

    public Task MarkAnswerTakenAsync(CancellationToken cancellationToken) =>
        messageTs is null ? Task.CompletedTask : web.AddReactionAsync(new AddReaction(channelId, "white_check_mark", messageTs), cancellationToken);

    public Task EchoAnswerAsync(string thread, string answer, string deliveryKey, CancellationToken cancellationToken) =>
        PostMessagesAsync(
            thread,
            [.. SlackText.Split(SlackRenderer.AnswerEcho(answer)).Select(part => new SlackMessage("Your answer", [new Block("section", TextObject.Markdown(part))]))],
            deliveryKey,
            [],
            cancellationToken);

    public string Link(string thread) => SlackThread.Parse(thread) switch
    {
        { Channel: var channel } when channel.StartsWith('D') => "the thread under my message in our direct messages",
        { Channel: var channel } => $"the thread under my message in <#{channel}>",
        null => "your interview thread",
    };

    public string Quote(string text) => SlackRenderer.Escape(text);

    public string Render(IReadOnlyList<InterviewAction> actions) => SlackRenderer.Text(actions);

    private async Task PostMessagesAsync(string thread, IReadOnlyList<SlackMessage> messages, string deliveryKey, IReadOnlyList<InterviewAction> actions, CancellationToken cancellationToken)
    {
        var at = SlackThread.Parse(thread) ?? throw new InvalidOperationException("Not a Slack thread address.");
        await output.PostAsync(candidateId, at, messages, deliveryKey, cancellationToken);
        await output.ReleaseIfCompletedAsync(candidateId, actions, cancellationToken);
    }
}
