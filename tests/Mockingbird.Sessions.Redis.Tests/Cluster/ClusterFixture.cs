using Mockingbird.Testing;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

/// <summary>One real Redis Cluster for a test collection; each test gets its own key prefix on it.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public RedisCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await RedisCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>A cluster of its own for tests that kill or fail over its nodes, which notice a dead peer within seconds.</summary>
public sealed class FailoverClusterFixture : IAsyncLifetime
{
    public RedisCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await RedisCluster.StartAsync(RedisCluster.QuickFailover);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(nameof(ClusterCollection))]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>;
