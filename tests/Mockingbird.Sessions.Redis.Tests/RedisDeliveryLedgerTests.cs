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

    protected override async Task<IDeliveryLedger> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        _redis ??= await RedisFixture.ConnectAsync(fixture.Server);
        return new RedisDeliveryLedger(
            _redis,
            Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }));
    }

    public override async Task DisposeAsync() => await _redis!.DisposeAsync();

    protected override async Task ElapseAsync(TimeSpan duration)
    {
        // Key expiry is the server's own clock.
        Time.Advance(duration);
        await Task.Delay(duration);
    }
}
