using Mockingbird.Experiments;
using Mockingbird.Testing;
using Mockingbird.Testing.Contracts;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterExperimentStoreTests(ClusterFixture fixture) : ExperimentStoreContract
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

    [Fact]
    public async Task Deleting_an_experiment_of_many_candidates_leaves_no_key_of_it_on_any_primary_and_keeps_every_other()
    {
        // Each candidate has keys of their own (steps, starts, their index): several batches' worth.
        for (var candidate = 0; candidate < 300; candidate++)
        {
            await Store.RecordAsync(Step($"candidate-{candidate}", InterviewMilestone.Started, $"s-{candidate}"), default);
        }

        await Store.RecordAsync(Turn("t-1"), default);
        await Store.AddSnapshotAsync(Experiment, "slot", new ExperimentSnapshot(Start, [ArmMetrics.Empty(Challenger)]), default);
        await Store.PinTestSettingsAsync(Experiment, "alpha=0.05;delta=0.1;mixing=0.01", default);
        await Store.RecordAsync(Turn("t-1", experiment: "other-experiment"), default);
        Assert.True(KeysOf(Experiment).Count > 900);

        await Store.DeleteAsync(Experiment, default);

        Assert.Empty(KeysOf(Experiment));
        Assert.NotEmpty(KeysOf("other-experiment"));
    }

    private List<RedisKey> KeysOf(string experiment) =>
        [.. _connections[0].GetServers().Where(server => !server.IsReplica).SelectMany(server => server.Keys(pattern: $"{{{_prefix}:exp:{experiment}}}*"))];

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
