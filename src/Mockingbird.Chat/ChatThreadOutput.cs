using Microsoft.Extensions.Logging;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

/// <summary>
/// Posts a delivery in the candidate's interview thread, the same way on every platform: find the thread, post the
/// rendered parts in order, forget a thread the platform says is gone (so resuming opens a new one instead of failing
/// forever) and let go of the thread once the interview is over. A platform renders the parts and posts one part;
/// posting a part again under the same part key must not show it twice. A delivery that knows where its interview is
/// held (<see cref="IInterviewOutput.DeliverAtAsync"/>) is posted there without asking the store.
/// </summary>
/// <typeparam name="TPart">One message as the platform posts it.</typeparam>
public abstract partial class ChatThreadOutput<TPart>(IInterviewThreads threads, ILogger logger, InterviewThreadCache known) : IInterviewOutput
{
    public async Task DeliverAsync(string candidateId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        if (await threads.FindAsync(candidateId, cancellationToken) is not { } thread || !IsThread(thread))
        {
            // The candidate asked to be forgotten, or the thread outlived its retention: there is nowhere to post.
            Log.NoThread(logger, deliveryKey);
            return;
        }

        known.Learn(candidateId, thread);
        await PostAsync(candidateId, thread, actions, deliveryKey, cancellationToken);
    }

    public async Task DeliverAtAsync(string candidateId, string place, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        if (IsThread(place))
        {
            try
            {
                await PostAsync(candidateId, place, actions, deliveryKey, cancellationToken);
                return;
            }
            catch (Exception ex) when (ThreadGoneReason(ex) is not null)
            {
                // Gone since the interview was saved there, and now let go of: it may have been resumed in a new
                // thread meanwhile, which the lookup finds at once.
            }
        }

        await DeliverAsync(candidateId, actions, deliveryKey, cancellationToken);
    }

    /// <summary>Posts actions in a thread known to be the candidate's.</summary>
    public async Task PostAsync(string candidateId, string thread, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        await PostPartsAsync(candidateId, thread, Render(actions, deliveryKey), deliveryKey, cancellationToken);
        if (actions.Any(a => a is PostScorecard))
        {
            known.Forget(thread);
        }

        await threads.ReleaseIfCompletedAsync(candidateId, thread, actions, cancellationToken);
    }

    /// <summary>Shows an answer sent through a form in its thread, which would not otherwise show it.</summary>
    public Task EchoAnswerAsync(string candidateId, string thread, string answer, string deliveryKey, CancellationToken cancellationToken) =>
        PostPartsAsync(candidateId, thread, RenderAnswerEcho(answer, deliveryKey), deliveryKey, cancellationToken);

    /// <summary>Whether a stored thread address is one this platform can post to.</summary>
    protected virtual bool IsThread(string thread) => true;

    protected abstract IReadOnlyList<TPart> Render(IReadOnlyList<InterviewAction> actions, string deliveryKey);

    protected abstract IReadOnlyList<TPart> RenderAnswerEcho(string answer, string deliveryKey);

    /// <param name="partKey">The delivery key and the part's place in it, the same each time the delivery is repeated.</param>
    protected abstract Task PostPartAsync(string thread, TPart part, string partKey, CancellationToken cancellationToken);

    /// <summary>Why the platform's error means the thread is gone for good, or <c>null</c> when it does not.</summary>
    protected abstract string? ThreadGoneReason(Exception failure);

    private async Task PostPartsAsync(string candidateId, string thread, IReadOnlyList<TPart> parts, string deliveryKey, CancellationToken cancellationToken)
    {
        try
        {
            for (var part = 0; part < parts.Count; part++)
            {
                await PostPartAsync(thread, parts[part], $"{deliveryKey}#{part}", cancellationToken);
            }
        }
        catch (Exception ex) when (ThreadGoneReason(ex) is { } reason)
        {
            Log.ThreadGone(logger, deliveryKey, reason);

            // Not the delivery's token: a thread known to be gone is forgotten even when the delivery is given up.
            known.Forget(thread);
            await threads.RemoveIfCurrentAsync(candidateId, thread, CancellationToken.None);
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Delivery {DeliveryKey} dropped: the candidate has no interview thread")]
        public static partial void NoThread(ILogger logger, string deliveryKey);

        [LoggerMessage(2, LogLevel.Warning, "Delivery {DeliveryKey} found its thread gone ({Reason}); the candidate's thread is forgotten so resuming opens a new one")]
        public static partial void ThreadGone(ILogger logger, string deliveryKey, string reason);
    }
}
