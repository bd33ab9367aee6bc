namespace Mockingbird.Chat.Threads;

/// <summary>
/// Whose interview threads this process has seen, so a message in one need not ask the store whose it is. A thread is
/// opened for one candidate and never changes hands, so what is learnt here never goes stale; which interview a
/// thread holds now is the session's to say (<see cref="Interview.Sessions.InterviewSession.Place"/>), checked by the
/// answer's own write. It also says when a thread in use is due to be looked up, which keeps the store's record of it
/// alive: answers taken in their thread need no lookup otherwise. One instance serves the whole process.
/// </summary>
public sealed class InterviewThreadCache(TimeProvider time, TimeSpan keepEvery)
{
    /// <summary>Bounded, so a host with a great many candidates trades lookups for memory and never the other way.</summary>
    private const int Limit = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Candidate, long LearntAt)> _owners = new(StringComparer.Ordinal);

    /// <summary>
    /// For a store that keeps a thread for <paramref name="retention"/> after it was set or last looked up, renewing it
    /// once a tenth of that has passed: a thread in use looked up every tenth lives at least eight tenths past its last use.
    /// </summary>
    public static InterviewThreadCache ForRetention(TimeProvider time, TimeSpan retention) => new(time, retention / 10);

    /// <summary>The store has just said, or been told, that <paramref name="thread"/> is the candidate's thread.</summary>
    public void Learn(string candidateId, string thread)
    {
        ArgumentNullException.ThrowIfNull(candidateId);
        ArgumentNullException.ThrowIfNull(thread);
        lock (_gate)
        {
            if (_owners.Count >= Limit)
            {
                // Crude but bounded: what is dropped costs only a lookup.
                _owners.Clear();
            }

            _owners[thread] = (candidateId, time.GetTimestamp());
        }
    }

    /// <summary>Whose thread it is, however long ago that was learnt: a thread never changes hands.</summary>
    public string? CandidateOf(string thread)
    {
        lock (_gate)
        {
            return _owners.TryGetValue(thread, out var owner) ? owner.Candidate : null;
        }
    }

    /// <summary>Whether the thread was learnt so long ago that it is time to look it up again, to keep it in the store.</summary>
    public bool DueForLookup(string thread)
    {
        lock (_gate)
        {
            return _owners.TryGetValue(thread, out var owner) && time.GetElapsedTime(owner.LearntAt) >= keepEvery;
        }
    }

    /// <summary>The thread was let go of, or is gone: a message there is decided on a lookup again.</summary>
    public void Forget(string thread)
    {
        lock (_gate)
        {
            _owners.Remove(thread);
        }
    }

    /// <summary>Every thread of the candidate's: they asked to be forgotten. Rare, so a scan.</summary>
    public void ForgetCandidate(string candidateId)
    {
        lock (_gate)
        {
            foreach (var thread in _owners.Where(o => o.Value.Candidate == candidateId).Select(o => o.Key).ToList())
            {
                _owners.Remove(thread);
            }
        }
    }
}
