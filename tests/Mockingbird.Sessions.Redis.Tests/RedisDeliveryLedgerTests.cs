using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

[Collection(nameof(RedisCollection))]
public sealed class RedisDeliveryLedgerTests(RedisFixture fixture) : DeliveryLedgerContract
{
    private ConnectionMultiplexer _redis = null!;

    protected override async Task<IDeliveryLedger> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        _redis = await RedisFixture.ConnectAsync(fixture.Server);
        return new RedisDeliveryLedger(
            _redis,
            Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = RedisFixture.UniquePrefix(), Shards = 4 }));
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();

    protected override async Task ElapseAsync(TimeSpan duration)
    {
        // Key expiry is the server's own clock.
        Time.Advance(duration);
        await Task.Delay(duration);
    }
}
