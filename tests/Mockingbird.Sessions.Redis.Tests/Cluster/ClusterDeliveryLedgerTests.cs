using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterDeliveryLedgerTests(ClusterFixture fixture) : DeliveryLedgerContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer? _redis;

    protected override async Task<IDeliveryLedger> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        _redis ??= await RedisFixture.ConnectAsync(fixture.Cluster.Endpoints);
        return new RedisDeliveryLedger(
            _redis,
            Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }),
            time);
    }

    public override async Task DisposeAsync() => await _redis!.DisposeAsync();
}
