using Microsoft.Extensions.Logging;
using Mockingbird.Chat;
using Mockingbird.Chat.Threads;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Discord;

/// <summary>
/// Posts engine actions in the candidate's interview thread, each part once under its part key
/// (<see cref="DiscordPostOnce"/>): a delivery repeated by a second worker, soon or long after, posts only what the
/// first did not. Each message also carries a nonce derived from the part key, which Discord enforces for a few minutes.
/// </summary>
internal sealed class DiscordInterviewOutput(DiscordPostOnce posts, IInterviewThreads threads, InterviewThreadCache known, ILogger<DiscordInterviewOutput> logger)
    : ChatThreadOutput<MessageCreate>(threads, logger, known)
{
    /// <summary>Discord's error code for a channel (here: a thread) that no longer exists.</summary>
    private const int UnknownChannel = 10003;

    /// <summary>
    /// Posts actions in any channel, rendered and keyed as an interview delivery is, but tied to no candidate's
    /// thread: the posts of a study group's round.
    /// </summary>
    public async Task PostInChannelAsync(string channel, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        var parts = Render(actions, deliveryKey);
        for (var part = 0; part < parts.Count; part++)
        {
            await posts.PostAsync(channel, parts[part], $"{deliveryKey}#{part}", findPostedSince: null, knownBy: null, cancellationToken);
        }
    }

    protected override IReadOnlyList<MessageCreate> Render(IReadOnlyList<InterviewAction> actions, string deliveryKey) =>
        DiscordRenderer.Messages(actions, deliveryKey);

    protected override IReadOnlyList<MessageCreate> RenderAnswerEcho(string answer, string deliveryKey) =>
        DiscordRenderer.AnswerEchoMessages(answer, deliveryKey);

    protected override Task PostPartAsync(string thread, MessageCreate part, string partKey, CancellationToken cancellationToken) =>
        posts.PostAsync(thread, part, partKey, findPostedSince: null, knownBy: null, cancellationToken);

    protected override string? ThreadGoneReason(Exception failure) =>
        failure is DiscordApiException { Code: UnknownChannel } ? "Discord code 10003, unknown channel" : null;
}
