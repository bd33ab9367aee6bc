using Mockingbird.Drills;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterDrillStoreTests(ClusterFixture fixture) : DrillStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;

    protected override async Task<IDrillStore> CreateAsync()
    {
        _redis = await RedisFixture.ConnectAsync(fixture.Cluster.Endpoints);
        return RedisDrillStoreTests.Drills(_redis, _prefix);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();
}
