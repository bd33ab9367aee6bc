using Mockingbird.Experiments;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterExperimentStoreTests(ClusterFixture fixture) : RedisExperimentStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override async Task<IExperimentStore> CreateAsync() => await OpenAsync();

    public override async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>A store on a connection of its own, as a replica has.</summary>
    private async Task<RedisExperimentStore> OpenAsync()
    {
        var redis = await RedisFixture.ConnectAsync(fixture.Cluster.Endpoints);
        _connections.Add(redis);
        return new RedisExperimentStore(redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }));
    }

    protected override IConnectionMultiplexer Redis => _connections[0];

    protected override string Prefix => _prefix;

    [Fact]
    public async Task A_stop_announced_by_a_script_on_one_node_is_heard_by_a_replica_listening_through_the_cluster()
    {
        var other = await OpenAsync();
        var heard = 0;
        await using var listening = await other.OnControlChangedAsync(() => Interlocked.Increment(ref heard), default);

        await Store.StopAsync(new ArmStop(Experiment, Challenger, "harm", "admin-1", Start), default);

        await Poll.UntilAsync(() => Volatile.Read(ref heard) >= 1, "the other replica to hear of the stop");
    }

    [Fact]
    public async Task A_vote_changed_on_a_feedback_first_counted_in_another_arm_moves_its_count_out_of_that_arm()
    {
        await RecordAsync(Vote("ann", "f-1", helpful: false, arm: Baseline));

        await RecordAsync(Vote("ann", "f-1", helpful: true));

        Assert.Equal((0L, new ShareCount(0, 0)), ((await ArmAsync(Baseline)).Votes, (await ArmAsync(Baseline)).HelpfulRaters));
        Assert.Equal((1L, new ShareCount(1, 1)), ((await ArmAsync()).Votes, (await ArmAsync()).HelpfulRaters));
    }
}
