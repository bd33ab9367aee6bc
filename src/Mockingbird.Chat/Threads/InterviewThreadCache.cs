namespace Mockingbird.Chat.Threads;

/// <summary>
/// What this process has learnt of interview threads, so a turn need not ask the store about the thread. It rests on
/// two facts: a thread is opened for one candidate's interview and never serves another (though an interview can
/// move to a new thread when resumed after its thread was gone), so whose thread it is and which interview it serves
/// never go stale; and the store keeps a thread at least nine tenths of its retention after it was last kept, so
/// within a tenth of the retention of learning it the thread can have been let go of only on purpose. What can
/// change meanwhile, readers check: an answer is applied only while the thread's interview is the candidate's one in
/// progress (and is otherwise decided on a lookup), and a post that finds its thread gone forgets it. One instance
/// serves the whole process, so what one part lets go of the others stop using.
/// </summary>
public sealed class InterviewThreadCache(TimeProvider time, TimeSpan trustFor)
{
    /// <summary>Bounded, so a host with a great many candidates trades lookups for memory and never the other way.</summary>
    private const int Limit = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _byThread = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Candidate, string Session), Entry> _byInterview = [];

    /// <summary>Each candidate's threads, so forgetting one (heard of from every other process) costs no scan.</summary>
    private readonly Dictionary<string, HashSet<string>> _threadsOf = new(StringComparer.Ordinal);

    /// <summary>A cache for a store that keeps threads for <paramref name="retention"/> after they were last kept.</summary>
    public static InterviewThreadCache ForRetention(TimeProvider time, TimeSpan retention) => new(time, retention / 10);

    /// <summary>
    /// The store has just said, or been told, that <paramref name="thread"/> is the candidate's thread; and, when
    /// <paramref name="sessionId"/> is given, that it serves that interview, in progress. Learning a thread again
    /// without its interview keeps the interview learnt before.
    /// </summary>
    public void Learn(string candidateId, string thread, string? sessionId)
    {
        ArgumentNullException.ThrowIfNull(candidateId);
        ArgumentNullException.ThrowIfNull(thread);
        lock (_gate)
        {
            if (_byThread.Count >= Limit)
            {
                // Crude but bounded: what is dropped costs only a lookup.
                _byThread.Clear();
                _byInterview.Clear();
                _threadsOf.Clear();
            }

            var known = _byThread.GetValueOrDefault(thread);
            var session = sessionId ?? (known?.Candidate == candidateId ? known.Session : null);
            RemoveLocked(thread);
            AddLocked(new Entry(candidateId, thread, session, time.GetTimestamp()));
        }
    }

    /// <summary>Whose thread it is, however long ago that was learnt: a thread never changes hands.</summary>
    public string? CandidateOf(string thread)
    {
        lock (_gate)
        {
            return _byThread.GetValueOrDefault(thread)?.Candidate;
        }
    }

    /// <summary>The interview the thread serves, while the store is sure to still hold the thread.</summary>
    public string? InterviewIn(string thread)
    {
        lock (_gate)
        {
            return _byThread.GetValueOrDefault(thread) is { Session: { } session } entry && IsFresh(entry) ? session : null;
        }
    }

    /// <summary>The thread of the candidate's interview, while the store is sure to still hold it.</summary>
    public string? ThreadOf(string candidateId, string sessionId)
    {
        lock (_gate)
        {
            return _byInterview.GetValueOrDefault((candidateId, sessionId)) is { } entry && IsFresh(entry) ? entry.Thread : null;
        }
    }

    /// <summary>The thread's interview was not what it was taken for: whose thread it is is still known.</summary>
    public void ForgetInterviewIn(string thread)
    {
        lock (_gate)
        {
            if (_byThread.GetValueOrDefault(thread) is { Session: not null } entry)
            {
                RemoveLocked(thread);
                AddLocked(entry with { Session = null });
            }
        }
    }

    /// <summary>The thread was let go of, or is gone: nothing more is known of it.</summary>
    public void Forget(string thread)
    {
        lock (_gate)
        {
            RemoveLocked(thread);
        }
    }

    /// <summary>Everything of the candidate's: they asked to be forgotten, or their interview moved to a new thread.</summary>
    public void ForgetCandidate(string candidateId)
    {
        lock (_gate)
        {
            // Every interview entry is the entry of its thread, so removing the threads removes the interviews too.
            foreach (var thread in _threadsOf.GetValueOrDefault(candidateId)?.ToList() ?? [])
            {
                RemoveLocked(thread);
            }
        }
    }

    private void AddLocked(Entry entry)
    {
        _byThread[entry.Thread] = entry;
        if (!_threadsOf.TryGetValue(entry.Candidate, out var threads))
        {
            _threadsOf[entry.Candidate] = threads = new HashSet<string>(StringComparer.Ordinal);
        }

        threads.Add(entry.Thread);
        if (entry.Session is not null)
        {
            _byInterview[(entry.Candidate, entry.Session)] = entry;
        }
    }

    private void RemoveLocked(string thread)
    {
        if (!_byThread.Remove(thread, out var entry))
        {
            return;
        }

        if (_threadsOf.TryGetValue(entry.Candidate, out var threads) && threads.Remove(thread) && threads.Count == 0)
        {
            _threadsOf.Remove(entry.Candidate);
        }

        if (entry.Session is not null && _byInterview.GetValueOrDefault((entry.Candidate, entry.Session))?.Thread == thread)
        {
            _byInterview.Remove((entry.Candidate, entry.Session));
        }
    }

    private bool IsFresh(Entry entry) => time.GetElapsedTime(entry.LearntAt) < trustFor;

    private sealed record Entry(string Candidate, string Thread, string? Session, long LearntAt);
}
