using Microsoft.Extensions.Options;
using Mockingbird.Interview.Sessions;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The delivery ledger in Redis: one key per posted part, one round trip per call. Keys are digests of the part
/// keys, which name sessions and so candidates: what outlives a forget-me for its retention says nothing about whom.
/// </summary>
public sealed class RedisDeliveryLedger(IConnectionMultiplexer redis, IOptions<SessionStoreOptions> options, IOptions<RedisOptions> redisOptions) : IDeliveryLedger
{
    private const string Posted = "posted";

    // Claim when free (the value names the claimant); otherwise say whether the holder finished. One script, so
    // nothing slips between the two.
    private static readonly LuaScript Claim = LuaScript.Prepare(
        "if redis.call('SET', @key, @owner, 'NX', 'PX', @lease) then return 1 end " +
        "if redis.call('GET', @key) == @posted then return 2 end return 3");

    private static readonly LuaScript Release = LuaScript.Prepare(
        "if redis.call('GET', @key) == @owner then return redis.call('DEL', @key) end return 0");

    private readonly SessionStoreOptions _options = options.Value;
    private readonly string _prefix = redisOptions.Value.KeyPrefix;

    public async Task<DeliveryClaimOutcome> TryClaimAsync(string partKey, string owner, CancellationToken cancellationToken)
    {
        var result = (int)await redis.GetDatabase().ScriptEvaluateAsync(Claim, new
        {
            key = Key(partKey),
            owner = "claimed:" + owner,
            posted = Posted,
            lease = (long)_options.PostLease.TotalMilliseconds,
        });
        return result switch
        {
            1 => DeliveryClaimOutcome.Claimed,
            2 => DeliveryClaimOutcome.AlreadyPosted,
            _ => DeliveryClaimOutcome.HeldElsewhere,
        };
    }

    public Task RecordPostedAsync(string partKey, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(Key(partKey), Posted, _options.EventRetention);

    public Task ReleaseAsync(string partKey, string owner, CancellationToken cancellationToken) =>
        redis.GetDatabase().ScriptEvaluateAsync(Release, new { key = Key(partKey), owner = "claimed:" + owner });

    private RedisKey Key(string partKey) => $"{_prefix}:posted:{RedisKeys.Digest(partKey)}";
}
