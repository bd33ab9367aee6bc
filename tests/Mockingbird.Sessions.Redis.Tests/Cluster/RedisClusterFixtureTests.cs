namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class RedisClusterFixtureTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_cluster_has_three_primaries_that_serve_every_slot_each_with_a_replica()
    {
        var primaries = await fixture.Cluster.PrimariesAsync();
        var replicas = await fixture.Cluster.ReplicasAsync();

        Assert.Equal(3, primaries.Count);
        Assert.All(primaries, primary => Assert.Single(replicas, replica => replica.PrimaryId == primary.Id));
        Assert.All(Enumerable.Range(0, 16384), slot => Assert.Single(primaries, primary => primary.Serves(slot)));
    }

    [Fact]
    public async Task The_default_shards_of_the_default_prefix_are_spread_over_every_primary()
    {
        var defaults = new RedisOptions();
        var keys = new RedisKeys(defaults.KeyPrefix, defaults.Shards);

        var owners = new HashSet<int>();
        for (var shard = 0; shard < keys.Shards; shard++)
        {
            owners.Add((await fixture.Cluster.PrimaryOwningAsync(keys.Tag(shard))).Port);
        }

        Assert.Equal(3, owners.Count);
    }
}
