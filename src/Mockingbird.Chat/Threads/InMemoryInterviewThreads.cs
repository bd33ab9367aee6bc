using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;

namespace Mockingbird.Chat.Threads;

/// <summary>Interview threads for one process: tests and a single-replica bot without Redis.</summary>
public sealed class InMemoryInterviewThreads(IOptions<SessionStoreOptions> options, TimeProvider time) : IInterviewThreads
{
    private readonly TimeSpan _retention = options.Value.ThreadRetention;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Thread, DateTimeOffset ExpiresAt)> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InterviewThreadMark> _marks = new(StringComparer.Ordinal);

    public Task SetAsync(string candidateId, string thread, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _threads[candidateId] = (thread, time.GetUtcNow() + _retention);
        }

        return Task.CompletedTask;
    }

    public Task<bool> SetIfAbsentAsync(string candidateId, string thread, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_threads.TryGetValue(candidateId, out var entry) && entry.ExpiresAt > now)
            {
                return Task.FromResult(false);
            }

            _threads[candidateId] = (thread, now + _retention);
            return Task.FromResult(true);
        }
    }

    public Task<string?> FindAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_threads.TryGetValue(candidateId, out var entry) || entry.ExpiresAt <= now)
            {
                _threads.Remove(candidateId);
                return Task.FromResult<string?>(null);
            }

            _threads[candidateId] = (entry.Thread, now + _retention);
            return Task.FromResult<string?>(entry.Thread);
        }
    }

    public Task<bool> RemoveAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _marks.Remove(candidateId);
            return Task.FromResult(_threads.Remove(candidateId));
        }
    }

    public Task<bool> RemoveIfCurrentAsync(string candidateId, string thread, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_threads.TryGetValue(candidateId, out var entry) || entry.Thread != thread)
            {
                return Task.FromResult(false);
            }

            if (_marks.TryGetValue(candidateId, out var mark) && mark.Thread == thread)
            {
                _marks.Remove(candidateId);
            }

            return Task.FromResult(_threads.Remove(candidateId));
        }
    }

    public Task MarkReadAsync(InterviewThreadMark mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mark);
        lock (_gate)
        {
            if (!_marks.TryGetValue(mark.CandidateId, out var old) || old.Thread != mark.Thread || InterviewThreadMark.IsLater(mark.LastRead, old.LastRead))
            {
                _marks[mark.CandidateId] = mark;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<InterviewThreadMark>> ListMarksAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var candidate in _marks.Keys.Where(c => !_threads.TryGetValue(c, out var entry) || entry.ExpiresAt <= now).ToList())
            {
                _marks.Remove(candidate);
            }

            return Task.FromResult<IReadOnlyList<InterviewThreadMark>>([.. _marks.Values.Where(m => _threads[m.CandidateId].Thread == m.Thread)]);
        }
    }
}
