using Mockingbird.Experiments;
using Mockingbird.Testing.Contracts;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>What the experiment store contract cannot see from outside the store: the keys it leaves in Redis.</summary>
public abstract class RedisExperimentStoreContract : ExperimentStoreContract
{
    /// <summary>The first store's connection.</summary>
    protected abstract IConnectionMultiplexer Redis { get; }

    protected abstract string Prefix { get; }

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

        await Store.EndedAsync([], Start, TimeSpan.FromDays(1), default);
        Assert.True(await Store.DeleteEndedAsync(Experiment, Start.AddDays(2), TimeSpan.FromDays(1), default) > 900);

        Assert.Empty(KeysOf(Experiment));
        Assert.NotEmpty(KeysOf("other-experiment"));
    }

    [Fact]
    public async Task An_ended_experiment_another_replica_is_deleting_is_left_to_it_and_a_later_look_deletes_it_once_that_one_lets_go()
    {
        var keep = TimeSpan.FromDays(1);
        await Store.RecordAsync(Turn("t-1"), default);
        await Store.EndedAsync([], Start, keep, default);
        RedisKey lease = $"{{{Prefix}:exp-control}}:deleting:{Experiment}";
        Assert.True(await Redis.GetDatabase().LockTakeAsync(lease, "other-replica", TimeSpan.FromMinutes(10)));

        Assert.Equal(0, await Store.DeleteEndedAsync(Experiment, Start.AddDays(2), keep, default));
        Assert.NotEmpty(KeysOf(Experiment));
        Assert.Equal([Experiment], await Store.EndedAsync([], Start.AddDays(2), keep, default));

        Assert.True(await Redis.GetDatabase().LockReleaseAsync(lease, "other-replica"));
        Assert.True(await Store.DeleteEndedAsync(Experiment, Start.AddDays(2), keep, default) > 0);
        Assert.Empty(KeysOf(Experiment));
        Assert.False(await Redis.GetDatabase().KeyExistsAsync(lease));
    }

    private List<RedisKey> KeysOf(string experiment) =>
        [.. Redis.GetServers().Where(server => !server.IsReplica).SelectMany(server => server.Keys(pattern: $"{{{Prefix}:exp:{experiment}}}*"))];
}
