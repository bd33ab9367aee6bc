using Microsoft.Extensions.Options;
using Mockingbird.Disputes;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Who opted in to score disputed answers, in Redis, so an opt-in on one replica counts on all. One set under the
/// disputes tag <c>{prefix:disputes}</c> (beside <see cref="RedisDisputeStore"/>'s keys), holding people by digest
/// only; SADD and SREM say whether they changed anything, so no script is needed.
/// </summary>
public sealed class RedisDisputeVoters(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions) : IDisputeVoters
{
    private readonly RedisKey _optedIn = $"{{{redisOptions.Value.KeyPrefix}:disputes}}:voters";

    public Task<bool> IsOptedInAsync(string personId, CancellationToken cancellationToken) =>
        redis.GetDatabase().SetContainsAsync(_optedIn, RedisKeys.Digest(personId));

    public Task<bool> SetOptedInAsync(string personId, bool optedIn, CancellationToken cancellationToken) =>
        optedIn
            ? redis.GetDatabase().SetAddAsync(_optedIn, RedisKeys.Digest(personId))
            : redis.GetDatabase().SetRemoveAsync(_optedIn, RedisKeys.Digest(personId));
}
