using Mockingbird.Interview.Sessions;

namespace Mockingbird.Sessions;

/// <summary>The embedded store for local practice and tests: one process, nothing persisted.</summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, VersionedSession> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _seen = new(StringComparer.Ordinal);

    public Task<VersionedSession?> FindActiveAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_active.GetValueOrDefault(candidateId));
        }
    }

    public Task<long?> SaveAsync(InterviewSession session, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        lock (_gate)
        {
            var storedVersion = _active.TryGetValue(session.CandidateId, out var stored) && stored.Session.Id == session.Id ? stored.Version : 0;
            if (storedVersion != expectedVersion || (expectedVersion == 0 && stored is not null))
            {
                return Task.FromResult<long?>(null);
            }

            var seen = _seen.TryGetValue(session.CandidateId, out var set) ? set : _seen[session.CandidateId] = new HashSet<string>(StringComparer.Ordinal);
            seen.UnionWith(session.AskedQuestionIds());
            if (session.Phase == SessionPhase.Completed)
            {
                _active.Remove(session.CandidateId);
            }
            else
            {
                _active[session.CandidateId] = new VersionedSession(session, expectedVersion + 1);
            }

            return Task.FromResult<long?>(expectedVersion + 1);
        }
    }

    public Task<IReadOnlySet<string>> SeenQuestionsAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlySet<string> seen = _seen.TryGetValue(candidateId, out var set) ? new HashSet<string>(set, StringComparer.Ordinal) : new HashSet<string>();
            return Task.FromResult(seen);
        }
    }
}
