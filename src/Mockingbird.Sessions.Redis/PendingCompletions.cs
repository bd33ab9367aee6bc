namespace Mockingbird.Sessions.Redis;

/// <summary>A posted job's completion, kept to be sent with others of its shard.</summary>
internal sealed record PendingCompletion(string JobId, string CandidateId, string DeliveryKey);

/// <summary>
/// Completions of posted jobs, kept per shard until they ride on that shard's next take or a timer sends them
/// together. A completion is only ever taken out to be sent, and put back when sending failed, so none is dropped while
/// the process lives; sending one twice is harmless, since acknowledging and deleting are idempotent.
/// </summary>
internal sealed class PendingCompletions(int shards, TimeProvider time, Action<PendingCompletions> send) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<PendingCompletion>[] _byShard = [.. Enumerable.Range(0, shards).Select(_ => new List<PendingCompletion>())];
    private ITimer? _timer;
    private bool _disposed;

    public void Add(int shard, PendingCompletion completion, TimeSpan sendWithin)
    {
        lock (_gate)
        {
            _byShard[shard].Add(completion);
            ArmLocked(sendWithin);
        }
    }

    /// <summary>Takes up to <paramref name="max"/> of the shard's completions out, oldest first, to be sent.</summary>
    public List<PendingCompletion> Take(int shard, int max)
    {
        lock (_gate)
        {
            var kept = _byShard[shard];
            var taken = kept.GetRange(0, Math.Min(max, kept.Count));
            kept.RemoveRange(0, taken.Count);
            return taken;
        }
    }

    /// <summary>Puts back completions that could not be sent, to be tried again after <paramref name="retryAfter"/>.</summary>
    public void PutBack(int shard, List<PendingCompletion> completions, TimeSpan retryAfter)
    {
        if (completions.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _byShard[shard].InsertRange(0, completions);
            ArmLocked(retryAfter);
        }
    }

    /// <summary>The shards that have completions kept.</summary>
    public List<int> Waiting()
    {
        lock (_gate)
        {
            return [.. Enumerable.Range(0, _byShard.Length).Where(shard => _byShard[shard].Count > 0)];
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byShard.Sum(kept => kept.Count);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>
    /// Sets the timer unless one is set. It is made here, by whoever keeps the first completion, rather than once up
    /// front, so that what it sends counts, for tracing and profiling, with the work that completed the job.
    /// </summary>
    private void ArmLocked(TimeSpan due)
    {
        // Once disposed, a send that failed after the store closed must not start retrying against a closed connection.
        if (_timer is not null || _disposed)
        {
            return;
        }

        _timer = time.CreateTimer(
            _ =>
            {
                lock (_gate)
                {
                    _timer?.Dispose();
                    _timer = null;
                }

                send(this);
            },
            null,
            due,
            Timeout.InfiniteTimeSpan);
    }
}
