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
        output.PostAsync(candidateId, thread, actions, deliveryKey, cancellationToken);

    public Task MarkAnswerTakenAsync(CancellationToken cancellationToken) =>
        messageTs is null ? Task.CompletedTask : web.AddReactionAsync(new AddReaction(channelId, "white_check_mark", messageTs), cancellationToken);

    public Task EchoAnswerAsync(string thread, string answer, string deliveryKey, CancellationToken cancellationToken) =>
        output.EchoAnswerAsync(candidateId, thread, answer, deliveryKey, cancellationToken);

    public async Task WarnNotSavedAsync(string thread, string notice, CancellationToken cancellationToken)
    {
        if (messageTs is not null)
        {
            try
            {
                await web.AddReactionAsync(new AddReaction(channelId, "warning", messageTs), cancellationToken);
            }
            catch (SlackApiException)
            {
                // Marked on an earlier delivery, or not allowed: the words below are what matters.
            }
        }

        await web.PostEphemeralAsync(new PostEphemeral(channelId, userId, notice, SlackThread.Parse(thread)?.Ts), cancellationToken);
    }

    /// <summary>Where an image shown to the candidate is, for the reply that goes with it.</summary>
    public const string ImageInDirectMessages = "Your chart is in our direct messages, where only you can see it.";

    /// <summary>Slack refuses alt text longer than this (<c>alt_txt_too_large</c>).</summary>
    private const int AltTextLimit = 1000;

    /// <summary>
    /// Slack's three upload steps, shared in the candidate's direct messages with the bot: an upload cannot be
    /// ephemeral, and a channel would show it to everyone in it.
    /// </summary>
    public async Task<string?> ShowImageAsync(ChatImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        try
        {
            var direct = await web.OpenDirectMessageAsync(userId, cancellationToken);
            var ticket = await web.GetUploadUrlAsync(image.FileName, image.Png.Length, ChatText.Shorten(image.AltText, AltTextLimit), cancellationToken);
            await web.UploadFileAsync(ticket, image.Png, cancellationToken);
            await web.CompleteUploadAsync([new CompletedFile(ticket.FileId, image.Title)], direct, null, cancellationToken);
            return ImageInDirectMessages;
        }
        catch (SlackApiException ex)
        {
            return $"I couldn't upload the chart (Slack said `{ex.Error}` to {ex.Method}); the summary below has the same numbers.";
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            return "I couldn't upload the chart (Slack did not answer in time); the summary below has the same numbers.";
        }
    }

    public string Link(string thread) => SlackThread.Parse(thread) switch
    {
        { Channel: var channel } when channel.StartsWith('D') => "the thread under my message in our direct messages",
        { Channel: var channel } => $"the thread under my message in <#{channel}>",
        null => "your interview thread",
    };

    public string Quote(string text) => SlackRenderer.Escape(text);

    public string Render(IReadOnlyList<InterviewAction> actions) => SlackRenderer.Text(actions);
}
