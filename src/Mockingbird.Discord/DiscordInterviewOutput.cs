using Microsoft.Extensions.Logging;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Discord;

/// <summary>
/// Posts engine actions in the candidate's interview thread. Each message carries a nonce derived from the delivery
/// key and Discord enforces it, so a delivery repeated by a second worker returns the first post instead of making
/// another.
/// </summary>
internal sealed partial class DiscordInterviewOutput(IDiscordRest rest, IInterviewThreads threads, ILogger<DiscordInterviewOutput> logger) : IInterviewOutput
{
    public async Task DeliverAsync(string candidateId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        if (await threads.FindAsync(candidateId, cancellationToken) is not { } thread)
        {
            // The candidate asked to be forgotten, or the thread outlived its retention: there is nowhere to post.
            Log.NoThread(logger, deliveryKey);
            return;
        }

        await PostAsync(thread, actions, deliveryKey, cancellationToken);
    }

    public async Task PostAsync(string threadId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        foreach (var message in DiscordRenderer.Messages(actions, deliveryKey))
        {
            await rest.CreateMessageAsync(threadId, message, cancellationToken);
        }
    }

    /// <summary>Posts text the engine did not produce (a form answer shown back), split at Discord's limit.</summary>
    public async Task PostTextAsync(string threadId, string text, string deliveryKey, CancellationToken cancellationToken)
    {
        var parts = DiscordText.Split(text);
        for (var i = 0; i < parts.Count; i++)
        {
            await rest.CreateMessageAsync(threadId, new Wire.MessageCreate(parts[i], AllowedMentions: Wire.AllowedMentions.None, Nonce: DiscordText.Nonce(deliveryKey, i), EnforceNonce: true), cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Delivery {DeliveryKey} dropped: the candidate has no interview thread")]
        public static partial void NoThread(ILogger logger, string deliveryKey);
    }
}
