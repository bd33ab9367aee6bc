using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Experiments;
using Mockingbird.Host.Experiments;
using Mockingbird.Sessions.Redis;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Host.Tests.Experiments;

/// <summary>
/// Two bot replicas, each with its own service provider, Redis connection and delivery ledger, on one real
/// redis-server and one fake clock, guarding the same experiment.
/// </summary>
public sealed class ExperimentGuardReplicaTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly List<ServiceProvider> _replicas = [];
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    private async Task<ServiceProvider> ReplicaAsync(Moq.Mock<StudyGroups.IStudyGroupPlatform> platform)
    {
        var services = GuardedExperiment.Replica(_clock, platform.Object, new() { ["Redis:Configuration"] = _redis.Endpoint });
        services.AddRedisSessionStore(await ConnectionMultiplexer.ConnectAsync(_redis.Endpoint)).AddRedisExperimentStore();
        var replica = services.BuildServiceProvider();
        _replicas.Add(replica);
        return replica;
    }

    [Fact]
    public async Task Two_replicas_looking_at_the_same_breach_at_once_stop_the_arm_once_and_tell_the_admins_once()
    {
        var first = GuardedExperiment.Platform();
        var second = GuardedExperiment.Platform();
        var replicas = new[] { await ReplicaAsync(first.Platform), await ReplicaAsync(second.Platform) };
        Assert.IsType<RedisDeliveryLedger>(replicas[0].GetRequiredService<Chat.Delivery.IDeliveryLedger>());
        Assert.IsType<RedisExperimentStore>(replicas[0].GetRequiredService<IExperimentStore>());
        var store = replicas[0].GetRequiredService<IExperimentStore>();
        await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 10, Start);

        for (var look = 0; look < 5; look++)
        {
            await Task.WhenAll(replicas.Select(r => Task.Run(() => r.GetRequiredService<ExperimentGuard>().LookAsync(default))));
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        var stop = Assert.Single((await store.ControlAsync(default)).Stops);
        Assert.Equal("v2", stop.Version);
        var (_, text, _) = Assert.Single(first.Posts.Concat(second.Posts));
        Assert.Contains("arm v2 was stopped automatically", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replica_that_stops_an_arm_and_dies_before_telling_leaves_the_notice_to_the_other_which_posts_it_once()
    {
        var dying = GuardedExperiment.Platform(new HttpRequestException("the replica died mid-post"));
        var survivor = GuardedExperiment.Platform();
        var doomed = await ReplicaAsync(dying.Platform);
        var other = await ReplicaAsync(survivor.Platform);
        var store = other.GetRequiredService<IExperimentStore>();
        await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 10, Start);

        await doomed.GetRequiredService<ExperimentGuard>().LookAsync(default);
        Assert.NotNull((await store.ControlAsync(default)).StopOf(GuardedExperiment.Id, "v2"));
        dying.Platform.Verify(p => p.PostInChannelAsync("admins", Moq.It.IsAny<IReadOnlyList<Interview.Sessions.InterviewAction>>(), Moq.It.IsAny<string>(), Moq.It.IsAny<CancellationToken>()), Moq.Times.Once);

        // While the dead replica's claim lasts, the other holds back: it cannot know that the post never happened.
        var guard = other.GetRequiredService<ExperimentGuard>();
        await guard.LookAsync(default);
        Assert.Empty(survivor.Posts);

        _clock.Advance(other.GetRequiredService<IOptions<SessionStoreOptions>>().Value.PostLease);
        await guard.LookAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await guard.LookAsync(default);

        var (channel, text, _) = Assert.Single(survivor.Posts);
        Assert.Equal("admins", channel);
        Assert.Contains("arm v2 was stopped automatically", text, StringComparison.Ordinal);
        Assert.Single((await store.ControlAsync(default)).Stops);
    }

    [Fact]
    public async Task A_person_who_opts_out_through_one_replica_is_served_the_baseline_by_the_other_without_waiting_for_its_timer()
    {
        var (platform, _) = GuardedExperiment.Platform();
        var replicas = new[] { await ReplicaAsync(platform), await ReplicaAsync(platform) };
        var copies = new List<ExperimentControlCache>();
        foreach (var replica in replicas)
        {
            copies.Add(new ExperimentControlCache());
        }

        // Each replica's prompt chooser keeps its own copy; its refresher keeps that copy current.
        var refreshers = replicas.Select((r, i) => new ExperimentControlRefresher(
            r.GetRequiredService<IExperimentStore>(),
            [new PromptChoiceControl(copies[i])],
            r.GetRequiredService<IOptions<ExperimentsOptions>>(),
            _clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ExperimentControlRefresher>.Instance)).ToList();
        foreach (var refresher in refreshers)
        {
            await refresher.StartAsync(default);
        }

        try
        {
            var person = Enumerable.Range(0, 100).Select(i => $"discord:{i}").First(c => ArmAssignment.Randomised(GuardedExperiment.Design, c).Version == "v2");
            Assert.Equal("v2", ArmAssignment.Served(GuardedExperiment.Design, person, copies[1].Current));

            await replicas[0].GetRequiredService<IExperimentStore>().SetOptedOutAsync(person, optedOut: true, default);

            // The clock does not move: only the store's change signal can bring the opt-out to the other replica.
            await Poll.UntilAsync(() => copies[1].Current.IsOptedOut(person), "the opt-out to reach the other replica's copy");
            Assert.Equal("v1", ArmAssignment.Served(GuardedExperiment.Design, person, copies[1].Current));
            Assert.Null(ArmAssignment.Counted(GuardedExperiment.Design, person, copies[1].Current));
        }
        finally
        {
            foreach (var refresher in refreshers)
            {
                await refresher.StopAsync(default);
            }
        }
    }
}
