using System.Collections.Concurrent;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Testing;

/// <summary>An output that records every delivery, and can be told to fail the next ones (a worker crashing mid-post).</summary>
public sealed class RecordingOutput : IInterviewOutput
{
    private readonly ConcurrentQueue<(string Candidate, string Key, IReadOnlyList<InterviewAction> Actions, string? Place)> _delivered = new();
    private int _failuresLeft;
    private int _failuresAfterPostingLeft;
    private int _heldLeft;
    private int _heldTimes;
    private volatile bool _heldMovesOn;

    /// <summary>Each delivery posted, with the place it was said to go to (none when the caller left it to a lookup).</summary>
    public IReadOnlyList<(string Candidate, string Key, IReadOnlyList<InterviewAction> Actions, string? Place)> Delivered => [.. _delivered];

    public IEnumerable<PostFeedback> Feedback => _delivered.SelectMany(d => d.Actions).OfType<PostFeedback>();

    public void FailNext(int times) => Interlocked.Exchange(ref _failuresLeft, times);

    /// <summary>
    /// The next deliveries find another poster holding them, as a platform's delivery ledger can: the same part each
    /// time, or, <paramref name="movingOn"/>, a later part each time, as when that poster is making progress.
    /// </summary>
    public void HeldElsewhereNext(int times, bool movingOn = false)
    {
        _heldMovesOn = movingOn;
        Interlocked.Exchange(ref _heldLeft, times);
    }

    /// <summary>The next delivery is posted, then the connection drops before the caller hears back.</summary>
    public void FailAfterPostingNext() => Interlocked.Exchange(ref _failuresAfterPostingLeft, 1);

    public Task DeliverAsync(string candidateId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken) =>
        DeliverAsync(candidateId, place: null, actions, deliveryKey);

    public Task DeliverAtAsync(string candidateId, string place, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken) =>
        DeliverAsync(candidateId, place, actions, deliveryKey);

    private Task DeliverAsync(string candidateId, string? place, IReadOnlyList<InterviewAction> actions, string deliveryKey)
    {
        if (Interlocked.Decrement(ref _heldLeft) >= 0)
        {
            var part = _heldMovesOn ? Interlocked.Increment(ref _heldTimes) : 0;
            throw new DeliveryHeldElsewhereException("Another worker is posting this delivery.") { PartKey = $"{deliveryKey}#{part}" };
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new IOException("The platform connection dropped.");
        }

        _delivered.Enqueue((candidateId, deliveryKey, actions, place));
        if (Interlocked.Decrement(ref _failuresAfterPostingLeft) >= 0)
        {
            throw new IOException("The platform took the post, then the connection dropped.");
        }

        return Task.CompletedTask;
    }
}
