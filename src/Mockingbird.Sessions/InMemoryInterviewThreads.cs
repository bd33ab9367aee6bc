using Microsoft.Extensions.Options;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Sessions;

/// <summary>Interview threads for one process: tests and a single-replica bot without Redis.</summary>
public sealed class InMemoryInterviewThreads(IOptions<SessionStoreOptions> options, TimeProvider time) : IInterviewThreads
{
    private readonly TimeSpan _retention = options.Value.ThreadRetention;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Thread, DateTimeOffset ExpiresAt)> _threads = new(StringComparer.Ordinal);

    public Task SetAsync(string candidateId, string thread, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _threads[candidateId] = (thread, time.GetUtcNow() + _retention);
        }

        return Task.CompletedTask;
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
            return Task.FromResult(_threads.Remove(candidateId));
        }
    }
}
