using Microsoft.Extensions.DependencyInjection;
using Mockingbird.Experiments;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

[Collection(nameof(RedisCollection))]
public sealed class RedisExperimentStoreTests(RedisFixture fixture) : RedisExperimentStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override async Task<IExperimentStore> CreateAsync() => await OpenAsync(fixture.Server);

    public override async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>A store on a connection of its own, as a replica has.</summary>
    private async Task<RedisExperimentStore> OpenAsync(RedisServer server)
    {
        var redis = await RedisFixture.ConnectAsync(server);
        _connections.Add(redis);
        return new RedisExperimentStore(redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }));
    }

    private IDatabase Db => _connections[0].GetDatabase();

    protected override IConnectionMultiplexer Redis => _connections[0];

    protected override string Prefix => _prefix;

    [Fact]
    public async Task Two_replicas_on_their_own_connections_racing_to_stop_an_arm_stop_it_exactly_once()
    {
        var other = await OpenAsync(fixture.Server);
        var stops = Enumerable.Range(0, 20)
            .Select(i => (Store: i % 2 == 0 ? Store : other, Stop: new ArmStop(Experiment, Challenger, $"breach {i}", "guardrail", Start.AddMilliseconds(i))))
            .ToList();

        var results = await Task.WhenAll(stops.Select(s => Task.Run(() => s.Store.StopAsync(s.Stop, default))));

        var winner = Assert.Single(results, r => r.StoppedNow).Stop;
        Assert.All(results, r => Assert.Equal(winner, r.Stop));
        Assert.Equal([winner], (await other.ControlAsync(default)).Stops);
    }

    [Fact]
    public async Task A_stop_or_an_opt_out_made_through_one_replica_is_heard_by_a_listener_on_another()
    {
        var other = await OpenAsync(fixture.Server);
        var heard = 0;
        await using var listening = await other.OnControlChangedAsync(() => Interlocked.Increment(ref heard), default);

        await Store.StopAsync(new ArmStop(Experiment, Challenger, "harm", "admin-1", Start), default);
        await Poll.UntilAsync(() => Volatile.Read(ref heard) >= 1, "the other replica to hear of the stop");
        Assert.NotNull((await other.ControlAsync(default)).StopOf(Experiment, Challenger));

        await Store.SetOptedOutAsync("ann", optedOut: true, default);
        await Poll.UntilAsync(() => Volatile.Read(ref heard) >= 2, "the other replica to hear of the opt-out");
        Assert.True((await other.ControlAsync(default)).IsOptedOut("ann"));
    }

    [Fact]
    public async Task Nothing_acknowledged_is_lost_when_redis_crashes_between_recording_and_reading()
    {
        await using var server = await RedisServer.StartAsync();
        var store = await OpenAsync(server);
        await store.RecordAsync(Turn("t-1", schemaFailures: 1, fellBack: true), default);
        await store.RecordAsync(Vote("ann", "f-1", helpful: true), default);
        await store.RecordAsync(Step("ann", InterviewMilestone.Started, "s-1"), default);
        await store.RecordAsync(Step("ann", InterviewMilestone.Started, "s-2", Start.AddDays(2)), default);
        await store.AddSnapshotAsync(Experiment, "slot", new ExperimentSnapshot(Start, [ArmMetrics.Empty(Challenger)]), default);
        var stop = new ArmStop(Experiment, Challenger, "harm", "guardrail", Start);
        await store.StopAsync(stop, default);
        await store.SetOptedOutAsync("bob", optedOut: true, default);
        var before = await store.MetricsAsync(Experiment, Start.AddDays(8), default);

        // Killed outright: the append-only file, synced on every write, is all that brings it back.
        await server.StopAsync();
        await server.RestartAsync();

        var after = await Poll.ForAsync(
            async () =>
            {
                try
                {
                    return await store.MetricsAsync(Experiment, Start.AddDays(8), default);
                }
                catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
                {
                    // Still reconnecting: refused, or timed out waiting in the backlog while no connection was up.
                    return null;
                }
            },
            "the restarted Redis to answer with the experiment's metrics");
        AssertSameMetrics(before, after);
        Assert.Equal((1L, 1L, 1L, 1L, 1L), (after[0].Fallbacks, after[0].Votes, after[0].HelpfulRaters.Successes, after[0].ReturnEligible, after[0].Returned));
        Assert.Single(await store.SnapshotsAsync(Experiment, default));
        var control = await store.ControlAsync(default);
        Assert.Equal([stop], control.Stops);
        Assert.True(control.IsOptedOut("bob"));
        Assert.False((await store.StopAsync(stop with { Reason = "again" }, default)).StoppedNow);
    }

    [Fact]
    public async Task A_delete_of_an_ended_experiment_that_finds_redis_down_fails_and_a_later_one_finishes_it()
    {
        await using var server = await RedisServer.StartAsync();
        var store = await OpenAsync(server);
        var keep = TimeSpan.FromDays(1);
        await store.RecordAsync(Turn("t-1"), default);
        await store.EndedAsync([], Start, keep, default);

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => store.DeleteEndedAsync(Experiment, Start.AddDays(2), keep, default));
        await server.RestartAsync();

        var deleted = 0;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    deleted = await store.DeleteEndedAsync(Experiment, Start.AddDays(2), keep, default);
                    return true;
                }
                catch (Exception ex) when (ex is RedisException or RedisTimeoutException or InvalidOperationException)
                {
                    // Still reconnecting.
                    return false;
                }
            },
            "the restarted Redis to take the delete");
        Assert.True(deleted > 0);
        Assert.Empty(await store.MetricsAsync(Experiment, Start, default));
        Assert.Empty(await store.EndedAsync([], Start.AddDays(2), keep, default));
    }

    [Fact]
    public async Task Every_key_of_an_experiment_carries_its_hash_tag_and_no_key_names_a_person()
    {
        await Store.RecordAsync(Turn("turn-of-ann"), default);
        await RecordAsync(Vote("ann", "f-1", helpful: true));
        await RecordAsync(Step("ann", InterviewMilestone.Started, "s-1"), Step("ann", InterviewMilestone.Started, "s-2", Start.AddDays(1)));
        await Store.AddSnapshotAsync(Experiment, "slot", new ExperimentSnapshot(Start, []), default);

        var keys = Server.Keys(pattern: $"{{{_prefix}:exp:*").Select(k => (string)k!).ToList();

        // Turn, vote, arms, arm sums, rater votes, steps, starts, first starts, returned, person index, snapshots.
        Assert.Equal(11, keys.Count);
        Assert.All(keys, k => Assert.StartsWith($"{{{_prefix}:exp:{Experiment}}}:", k, StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.Contains("ann", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Judged_turns_and_votes_are_remembered_for_the_retention_and_the_sums_for_as_long_as_the_experiment()
    {
        await Store.RecordAsync(Turn("t-1"), default);
        await RecordAsync(Vote("ann", "f-1", helpful: true));
        await RecordAsync(Step("ann", InterviewMilestone.Started, "s-1"));
        var keys = new RedisKeys(_prefix, 1);

        foreach (var key in new[] { keys.ExperimentTurn(Experiment, "t-1"), keys.ExperimentVote(Experiment, "ann", "f-1") })
        {
            var ttl = await Db.KeyTimeToLiveAsync(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, RedisExperimentStore.ObservationRetention - TimeSpan.FromMinutes(1), RedisExperimentStore.ObservationRetention);
        }

        Assert.Null(await Db.KeyTimeToLiveAsync(keys.ExperimentArm(Experiment, Challenger)));
        Assert.Null(await Db.KeyTimeToLiveAsync(keys.ExperimentSteps(Experiment, Challenger, "ann")));
    }

    [Fact]
    public async Task Registered_over_the_in_memory_store_the_redis_store_is_the_one_resolved_and_keeps_to_the_configured_prefix()
    {
        var services = RedisFixture.ConfiguredServices(fixture.Server, _prefix);
        services.AddSingleton<IExperimentStore, InMemoryExperimentStore>();
        services.AddRedisSessionStore(await RedisFixture.ConnectAsync(fixture.Server)).AddRedisExperimentStore();
        await using var provider = services.BuildServiceProvider();

        var resolved = Assert.IsType<RedisExperimentStore>(provider.GetRequiredService<IExperimentStore>());
        await resolved.SetOptedOutAsync("ann", optedOut: true, default);

        Assert.True((await Store.ControlAsync(default)).IsOptedOut("ann"));
    }

    private IServer Server => _connections[0].GetServer(fixture.Server.Endpoint);
}
