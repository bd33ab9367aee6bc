using System.Globalization;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The delivery ledger in Redis: one key per part, one round trip per call. Keys are digests of the part keys, which
/// name sessions and so candidates: what outlives a forget-me for its retention says nothing about whom. A claim is
/// <c>claimed|lease end ms|first claimed ms|owner</c>, timed on the injected clock (so the in-memory ledger and this one
/// obey the same <see cref="TimeProvider"/>), and kept for the event retention after it lapses, so that a later claim
/// knows an earlier one existed; a posted part is <c>posted</c>, or <c>posted|address</c> when its poster said where it
/// is. A version before addresses were kept takes <c>posted|…</c> for a claim of a form it does not know, and so for
/// held until it expires: while it runs beside this one, it leaves such parts (public posts only) to this one.
/// </summary>
public sealed class RedisDeliveryLedger(IConnectionMultiplexer redis, IOptions<SessionStoreOptions> options, IOptions<RedisOptions> redisOptions, TimeProvider time) : IDeliveryLedger
{
    private const string Posted = "posted";

    // 1 claimed, 2 posted, 3 held by a live claim, 4 claimed after an earlier claim lapsed. A value of another form
    // (written by an earlier version, which expires it with its own lease) counts as held.
    // The lease end was written by the claimer's clock and is compared with the caller's: a clock d ahead of the
    // claimer's sees the lease d shorter, one behind sees it d longer. A heartbeat renews at a third of the lease, so
    // a live poster is only overtaken by a replica more than two thirds of a lease (20 s by default) ahead of it.
    private static readonly LuaScript Claim = LuaScript.Prepare("""
        local value = redis.call('GET', @key)
        if value == @posted or (value and string.sub(value, 1, #@posted + 1) == @posted .. '|') then return 2 end
        local now = tonumber(@now)
        local since = now
        if value then
          local leased, first = string.match(value, '^claimed|(%d+)|(%d+)|')
          if not leased or tonumber(leased) > now then return 3 end
          since = tonumber(first)
        end
        redis.call('SET', @key, 'claimed|' .. (now + tonumber(@lease)) .. '|' .. since .. '|' .. @owner, 'PX', @retention)
        if value then return 4 end
        return 1
        """);

    private static readonly LuaScript Renew = LuaScript.Prepare("""
        local value = redis.call('GET', @key)
        if not value then return 0 end
        local first, holder = string.match(value, '^claimed|%d+|(%d+)|(.*)$')
        if holder ~= @owner then return 0 end
        redis.call('SET', @key, 'claimed|' .. (tonumber(@now) + tonumber(@lease)) .. '|' .. first .. '|' .. @owner, 'PX', @retention)
        return 1
        """);

    private static readonly LuaScript Release = LuaScript.Prepare("""
        local value = redis.call('GET', @key)
        if value and string.match(value, '^claimed|%d+|%d+|(.*)$') == @owner then return redis.call('DEL', @key) end
        return 0
        """);

    private readonly SessionStoreOptions _options = options.Value;
    private readonly string _prefix = redisOptions.Value.KeyPrefix;

    public TimeSpan Lease => _options.PostLease;

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<DeliveryClaimOutcome> TryClaimAsync(string partKey, string owner, CancellationToken cancellationToken)
    {
        var result = (int)await redis.GetDatabase().ScriptEvaluateAsync(Claim, new
        {
            key = Key(partKey),
            owner,
            posted = Posted,
            now = NowMs,
            lease = (long)Lease.TotalMilliseconds,
            retention = (long)_options.EventRetention.TotalMilliseconds,
        });
        return result switch
        {
            1 => DeliveryClaimOutcome.Claimed,
            2 => DeliveryClaimOutcome.AlreadyPosted,
            4 => DeliveryClaimOutcome.Reclaimed,
            _ => DeliveryClaimOutcome.HeldElsewhere,
        };
    }

    public async Task<bool> RenewAsync(string partKey, string owner, CancellationToken cancellationToken) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(Renew, new
        {
            key = Key(partKey),
            owner,
            now = NowMs,
            lease = (long)Lease.TotalMilliseconds,
            retention = (long)_options.EventRetention.TotalMilliseconds,
        }) == 1;

    public async Task<DateTimeOffset?> FirstClaimedAsync(string partKey, CancellationToken cancellationToken)
    {
        var value = (string?)await redis.GetDatabase().StringGetAsync(Key(partKey));
        return value?.Split('|') is ["claimed", _, var first, ..] && long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
    }

    public Task RecordPostedAsync(string partKey, string? postedAs, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(Key(partKey), postedAs is null ? Posted : $"{Posted}|{postedAs}", _options.EventRetention);

    public async Task<string?> PostedAsAsync(string partKey, CancellationToken cancellationToken)
    {
        var value = (string?)await redis.GetDatabase().StringGetAsync(Key(partKey));
        return value is not null && value.StartsWith(Posted + "|", StringComparison.Ordinal) ? value[(Posted.Length + 1)..] : null;
    }

    public Task ReleaseAsync(string partKey, string owner, CancellationToken cancellationToken) =>
        redis.GetDatabase().ScriptEvaluateAsync(Release, new { key = Key(partKey), owner });

    private RedisKey Key(string partKey) => $"{_prefix}:posted:{RedisKeys.Digest(partKey)}";
}
