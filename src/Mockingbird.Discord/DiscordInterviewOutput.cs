using Microsoft.Extensions.Logging;
using Mockingbird.Chat;
using Mockingbird.Chat.Threads;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Discord;

/// <summary>
/// Posts engine actions in the candidate's interview thread. Each message carries a nonce derived from the delivery
/// key and Discord enforces it, so a delivery repeated by a second worker returns the first post instead of making
/// another.
/// </summary>
internal sealed class DiscordInterviewOutput(IDiscordRest rest, IInterviewThreads threads, ILogger<DiscordInterviewOutput> logger)
    : ChatThreadOutput<MessageCreate>(threads, logger)
{
    /// <summary>Discord's error code for a channel (here: a thread) that no longer exists.</summary>
    private const int UnknownChannel = 10003;

    /// <summary>
    /// Posts actions in any channel, rendered and keyed as an interview delivery is, but tied to no candidate's
    /// thread: the posts of a study group's round.
    /// </summary>
    public async Task PostInChannelAsync(string channel, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        foreach (var part in Render(actions, deliveryKey))
        {
            await rest.CreateMessageAsync(channel, part, cancellationToken);
        }
    }

    protected override IReadOnlyList<MessageCreate> Render(IReadOnlyList<InterviewAction> actions, string deliveryKey) =>
        DiscordRenderer.Messages(actions, deliveryKey);

    protected override IReadOnlyList<MessageCreate> RenderAnswerEcho(string answer, string deliveryKey) =>
        DiscordRenderer.AnswerEchoMessages(answer, deliveryKey);

    protected override Task PostPartAsync(string thread, MessageCreate part, string partKey, CancellationToken cancellationToken) =>
        rest.CreateMessageAsync(thread, part, cancellationToken);

    protected override string? ThreadGoneReason(Exception failure) =>
        failure is DiscordApiException { Code: UnknownChannel } ? "Discord code 10003, unknown channel" : null;
}
