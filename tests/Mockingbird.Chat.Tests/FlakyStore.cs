using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Tests;

/// <summary>The in-memory store, with reads and writes that can be made to fail or stall as a lost Redis would.</summary>
internal sealed class FlakyStore(InMemorySessionStore inner) : ISessionStore
{
    private int _writesStarted;

    public bool FailReads { get; set; }

    public bool FailWrites { get; set; }

    public Task<WriteResult>? NextWrite { get; set; }

    /// <summary>The next write happens, and its caller hears a timeout: the outcome a lost reply leaves.</summary>
    public bool FailAfterNextWrite { get; set; }

    public int WritesStarted => Volatile.Read(ref _writesStarted);

    public Task<VersionedSession?> FindActiveAsync(string candidateId, CancellationToken cancellationToken) =>
        FailReads ? Task.FromException<VersionedSession?>(new TimeoutException("store down")) : inner.FindActiveAsync(candidateId, cancellationToken);

    public Task<WriteResult> WriteAsync(SessionWrite write, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writesStarted);
        if (NextWrite is { } stalled)
        {
            NextWrite = null;
            return stalled;
        }

        if (FailAfterNextWrite)
        {
            FailAfterNextWrite = false;
            return WriteThenTimeOutAsync(write, cancellationToken);
        }

        return FailWrites ? Task.FromException<WriteResult>(new TimeoutException("store down")) : inner.WriteAsync(write, cancellationToken);
    }

    private async Task<WriteResult> WriteThenTimeOutAsync(SessionWrite write, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(write, cancellationToken);
        throw new TimeoutException("the reply was lost");
    }

    public Task<bool> DiscardActiveAsync(string candidateId, CancellationToken cancellationToken) => inner.DiscardActiveAsync(candidateId, cancellationToken);

    public Task<IReadOnlySet<string>> SeenQuestionsAsync(string candidateId, CancellationToken cancellationToken) => inner.SeenQuestionsAsync(candidateId, cancellationToken);

    public Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string candidateId, CancellationToken cancellationToken) => inner.HistoryAsync(candidateId, cancellationToken);

    public Task<DeliveryClaim> ClaimDeliveryAsync(string candidateId, string deliveryKey, CancellationToken cancellationToken) => inner.ClaimDeliveryAsync(candidateId, deliveryKey, cancellationToken);

    public Task<ForgetReport> ForgetAsync(string candidateId, CancellationToken cancellationToken) => inner.ForgetAsync(candidateId, cancellationToken);
}
