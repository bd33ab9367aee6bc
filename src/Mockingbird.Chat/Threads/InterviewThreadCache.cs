using System.Collections.Concurrent;

namespace Mockingbird.Chat.Threads;

/// <summary>
/// What this process has learnt of interview threads, so a turn need not ask the store whose a thread is. It rests on
/// two facts: a thread is opened for one candidate's interview and never serves anyone else's, so whose thread it is
/// never goes stale; and the store keeps a thread at least nine tenths of its retention after it was last kept, so
/// within a tenth of the retention of learning it the thread can only have been let go of on purpose. Every reader
/// checks what an entry cannot know: an answer is applied only while the thread's interview is still the candidate's
/// one in progress, and a post that finds the thread gone forgets it.
/// </summary>
public sealed class InterviewThreadCache(TimeProvider time, TimeSpan trustFor)
{
    /// <summary>Bounded, so a host with a great many candidates trades lookups for memory and never the other way.</summary>
    private const int Limit = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _byThread = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Candidate, string Session), Entry> _byInterview = new();

    /// <summary>A cache for a store that keeps threads for <paramref name="retention"/> after they were last kept.</summary>
    public static InterviewThreadCache ForRetention(TimeProvider time, TimeSpan retention) => new(time, retention / 10);

    /// <summary>
    /// The store has just said, or been told, that <paramref name="thread"/> is the candidate's thread; for
    /// <paramref name="sessionId"/>'s interview when known. Learning a thread again without its interview keeps the
    /// interview learnt before, since the thread serves no other.
    /// </summary>
    public void Learn(string candidateId, string thread, string? sessionId)
    {
        ArgumentNullException.ThrowIfNull(candidateId);
        ArgumentNullException.ThrowIfNull(thread);
        if (_byThread.Count >= Limit)
        {
            // Crude but bounded: what is dropped costs only a lookup.
            _byThread.Clear();
            _byInterview.Clear();
        }

        var session = sessionId ?? (_byThread.TryGetValue(thread, out var known) && known.Candidate == candidateId ? known.Session : null);
        var entry = new Entry(candidateId, thread, session, time.GetTimestamp());
        _byThread[thread] = entry;
        if (session is not null)
        {
            _byInterview[(candidateId, session)] = entry;
        }
    }

    /// <summary>Whose thread it is, however long ago that was learnt: a thread never changes hands.</summary>
    public string? CandidateOf(string thread) => _byThread.TryGetValue(thread, out var entry) ? entry.Candidate : null;

    /// <summary>The interview the thread serves, while the store is sure to still hold the thread.</summary>
    public string? InterviewIn(string thread) =>
        _byThread.TryGetValue(thread, out var entry) && entry.Session is not null && IsFresh(entry) ? entry.Session : null;

    /// <summary>The thread of the candidate's interview, while the store is sure to still hold it.</summary>
    public string? ThreadOf(string candidateId, string sessionId) =>
        _byInterview.TryGetValue((candidateId, sessionId), out var entry) && IsFresh(entry) ? entry.Thread : null;

    /// <summary>The thread was let go of, or is gone: nothing more is known of it.</summary>
    public void Forget(string thread)
    {
        if (_byThread.TryRemove(thread, out var entry) && entry.Session is not null)
        {
            _byInterview.TryRemove(new KeyValuePair<(string, string), Entry>((entry.Candidate, entry.Session), entry));
        }
    }

    /// <summary>The candidate asked to be forgotten.</summary>
    public void ForgetCandidate(string candidateId)
    {
        foreach (var entry in _byThread.Values.Where(e => e.Candidate == candidateId))
        {
            Forget(entry.Thread);
        }
    }

    private bool IsFresh(Entry entry) => time.GetElapsedTime(entry.LearntAt) < trustFor;

    private sealed record Entry(string Candidate, string Thread, string? Session, long LearntAt);
}
