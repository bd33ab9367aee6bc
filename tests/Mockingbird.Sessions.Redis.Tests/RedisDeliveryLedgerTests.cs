using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

[Collection(nameof(RedisCollection))]
public sealed class RedisDeliveryLedgerTests(RedisFixture fixture) : DeliveryLedgerContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer? _redis;

    [Fact]
    public async Task Stored_keys_do_not_name_the_candidate_whose_messages_were_posted()
    {
        await Ledger.TryClaimAsync("judge:slack:U0CANDIDATE:5f2a:3:part-0", "owner-1", default);
        await Ledger.RecordPostedAsync("judge:slack:U0CANDIDATE:5f2a:3:part-0", default);
        await Ledger.TryClaimAsync("event:Ev0CANDIDATE:part-0", "owner-2", default);

        var keys = _redis!.GetServer(_redis.GetEndPoints()[0]).Keys(pattern: _prefix + ":*").Select(key => key.ToString()).ToList();

        Assert.Equal(2, keys.Count);
        Assert.All(keys, key => Assert.DoesNotContain("CANDIDATE", key, StringComparison.Ordinal));
        Assert.Equal(DeliveryClaimOutcome.AlreadyPosted, await Ledger.TryClaimAsync("judge:slack:U0CANDIDATE:5f2a:3:part-0", "owner-3", default));
    }

    [Fact]
    public async Task A_claim_written_by_a_replica_whose_clock_runs_ahead_lasts_that_much_longer_for_the_others()
    {
        var skew = TimeSpan.FromSeconds(5);
        var aheadLedger = await CreateAsync(Options, new FakeTimeProvider(Time.GetUtcNow() + skew));
        await aheadLedger.TryClaimAsync("s:1#0", "ahead", default);

        Time.Advance(Ledger.Lease + skew - TimeSpan.FromMilliseconds(1));
        Assert.Equal(DeliveryClaimOutcome.HeldElsewhere, await Ledger.TryClaimAsync("s:1#0", "next", default));
        Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(DeliveryClaimOutcome.Reclaimed, await Ledger.TryClaimAsync("s:1#0", "next", default));
    }

    protected override async Task<IDeliveryLedger> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        _redis ??= await RedisFixture.ConnectAsync(fixture.Server);
        return new RedisDeliveryLedger(
            _redis,
            Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }),
            time);
    }

    public override async Task DisposeAsync() => await _redis!.DisposeAsync();
}
