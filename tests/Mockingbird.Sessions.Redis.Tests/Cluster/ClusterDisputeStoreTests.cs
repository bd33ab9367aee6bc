using Mockingbird.Disputes;
using Mockingbird.Testing;
using Mockingbird.Testing.Contracts;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterDisputeStoreTests(ClusterFixture fixture) : DisputeStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override async Task<IDisputeStore> CreateAsync() => await OpenAsync();

    public override async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>A store on a connection of its own, as a replica has.</summary>
    private async Task<RedisDisputeStore> OpenAsync()
    {
        var redis = await RedisFixture.ConnectAsync(fixture.Cluster.Endpoints);
        _connections.Add(redis);
        return new RedisDisputeStore(redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }));
    }

    [Fact]
    public async Task Two_replicas_on_the_cluster_racing_for_the_last_vote_settle_the_dispute_once()
    {
        var other = await OpenAsync();
        var dispute = SampleDisputes.Dispute();
        await Store.OpenAsync(dispute, default);
        await VoteAsync(dispute.Id, "voter-1", 2);
        await VoteAsync(dispute.Id, "voter-2", 3, other);

        var racing = await Task.WhenAll(
            Task.Run(() => VoteAsync(dispute.Id, "voter-3", 4)),
            Task.Run(() => VoteAsync(dispute.Id, "voter-4", 1, other)));

        Assert.Single(racing, r => r.Outcome == VoteOutcome.Settled);
        Assert.Equal(3, Assert.Single(await other.SettledAsync(default)).PeerScores.Count);
    }
}
