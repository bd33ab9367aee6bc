using Microsoft.Extensions.Logging;
using Mockingbird.Chat.Threads;
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
    /// <summary>Discord's error code for a channel (here: a thread) that no longer exists.</summary>
    private const int UnknownChannel = 10003;

    public async Task DeliverAsync(string candidateId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        if (await threads.FindAsync(candidateId, cancellationToken) is not { } thread)
        {
            // The candidate asked to be forgotten, or the thread outlived its retention: there is nowhere to post.
            Log.NoThread(logger, deliveryKey);
            return;
        }

        await PostAsync(candidateId, thread, actions, deliveryKey, cancellationToken);
    }

    public async Task PostAsync(string candidateId, string threadId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var message in DiscordRenderer.Messages(actions, deliveryKey))
            {
                await rest.CreateMessageAsync(threadId, message, cancellationToken);
            }
        }
        catch (DiscordApiException ex) when (ex.Code == UnknownChannel)
        {
            // The thread was deleted in Discord: forget it, so resuming opens a new one instead of failing forever.
            Log.ThreadGone(logger, deliveryKey);
            await threads.RemoveAsync(candidateId, cancellationToken);
            throw;
        }

        await threads.ReleaseIfCompletedAsync(candidateId, actions, cancellationToken);
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
        [LoggerMessage(2, LogLevel.Warning, "Delivery {DeliveryKey} found its thread deleted; the candidate's thread is forgotten so resuming opens a new one")]
        public static partial void ThreadGone(ILogger logger, string deliveryKey);

        [LoggerMessage(1, LogLevel.Warning, "Delivery {DeliveryKey} dropped: the candidate has no interview thread")]
        public static partial void NoThread(ILogger logger, string deliveryKey);
    }
}
