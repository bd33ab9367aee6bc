using Microsoft.Extensions.Options;
using Mockingbird.Interview.Sessions;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>Interview threads in Redis, beside the candidate's other keys (same hash tag), one command per call.</summary>
public sealed class RedisInterviewThreads(IConnectionMultiplexer redis, IOptions<SessionStoreOptions> options, IOptions<RedisOptions> redisOptions) : IInterviewThreads
{
    private readonly TimeSpan _retention = options.Value.ThreadRetention;
    private readonly RedisKeys _keys = new(redisOptions.Value.KeyPrefix, redisOptions.Value.Shards);

    public Task SetAsync(string candidateId, string thread, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(_keys.Thread(candidateId), thread, _retention);

    public async Task<string?> FindAsync(string candidateId, CancellationToken cancellationToken) =>
        await redis.GetDatabase().StringGetSetExpiryAsync(_keys.Thread(candidateId), _retention);

    public Task<bool> RemoveAsync(string candidateId, CancellationToken cancellationToken) =>
        redis.GetDatabase().KeyDeleteAsync(_keys.Thread(candidateId));
}
