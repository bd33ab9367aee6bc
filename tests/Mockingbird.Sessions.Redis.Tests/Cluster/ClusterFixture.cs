using Mockingbird.Testing;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

/// <summary>One real Redis Cluster for a test collection; each test gets its own key prefix on it.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public RedisCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await RedisCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(nameof(ClusterCollection))]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>;
