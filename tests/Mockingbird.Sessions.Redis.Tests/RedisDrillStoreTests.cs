using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Drills;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

[Collection(nameof(RedisCollection))]
public sealed class RedisDrillStoreTests(RedisFixture fixture) : DrillStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;

    protected override async Task<IDrillStore> CreateAsync()
    {
        _redis = await RedisFixture.ConnectAsync(fixture.Server);
        return Drills(_redis, _prefix);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();

    internal static RedisDrillStore Drills(IConnectionMultiplexer redis, string prefix) =>
        new(redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = prefix, Shards = 4 }));

    [Fact]
    public async Task Every_drill_key_carries_the_one_drill_hash_tag()
    {
        await Store.SaveAsync(Plan("c-1"), 0, Now, default);
        await Store.SaveAsync(Plan("c-2"), 0, Now, default);
        await Store.ClaimDueAsync(Now, Lease, 1, default);

        var keys = _redis.GetServer(fixture.Server.Endpoint).Keys(pattern: $"{{{_prefix}:*").Select(k => (string)k!).ToList();

        // Two plans, the due index and the scheduled times.
        Assert.Equal(4, keys.Count);
        Assert.All(keys, k => Assert.StartsWith($"{{{_prefix}:drills}}:", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Registered_over_the_in_memory_store_the_redis_store_is_the_one_resolved()
    {
        var services = RedisFixture.ConfiguredServices(fixture.Server, _prefix);
        services.AddDrills();
        services.AddRedisSessionStore(await RedisFixture.ConnectAsync(fixture.Server)).AddRedisDrillStore();
        await using var provider = services.BuildServiceProvider();

        var resolved = Assert.IsType<RedisDrillStore>(provider.GetRequiredService<IDrillStore>());
        await resolved.SaveAsync(Plan("c-1"), 0, Now, default);

        Assert.NotNull(await Store.FindAsync("c-1", default));
    }

    [Fact]
    public async Task A_submitted_answer_is_queued_once_on_the_candidates_shard_and_taken_as_a_drill_job()
    {
        var (redis, queue) = await RedisFixture.OpenStoreAsync(fixture.Server, new SessionStoreOptions(), new FakeTimeProvider(Now), _prefix);
        await using var _ = redis;
        var job = DrillAnswerJudging.JobFor("c-1", "depth@1");

        Assert.True(await Store.SubmitAnswerAsync("c-1", "depth@1", "an answer", job, default));
        Assert.False(await Store.SubmitAnswerAsync("c-1", "depth@1", "an answer", job, default));

        var taken = Assert.Single(await queue.TakeAsync("w-1", 10, default));
        Assert.Equal(new JudgeJob("c-1", "drill:c-1:depth@1", 0, JudgeJobKind.Drill), taken.Job);
        Assert.Equal("depth@1", DrillAnswerJudging.DrillIdOf(taken.Job));
        await queue.CompleteAsync(taken, default);
        Assert.Empty(await queue.TakeAsync("w-1", 10, default));
    }

    [Fact]
    public async Task A_submitted_answers_job_entry_carries_exactly_the_fields_the_take_reads()
    {
        Assert.True(await Store.SubmitAnswerAsync("c-1", "depth@1", "an answer", DrillAnswerJudging.JobFor("c-1", "depth@1"), default));

        var fields = Assert.Single(await RedisFixture.JobEntryFieldsAsync(_redis, _prefix));
        Assert.Equal(["c", "s", "t", "k"], fields);
    }

    private DrillWorld World(FakeTimeProvider time) => new(
        Store,
        new RedisDeliveryLedger(
            _redis,
            Microsoft.Extensions.Options.Options.Create(new SessionStoreOptions()),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }),
            time),
        time);

    [Fact]
    public async Task Drills_turned_off_stop_at_once_on_every_replica_including_one_already_due()
    {
        var world = World(new FakeTimeProvider(DrillWorld.Start));
        world.Interviewed("c-1", TimeSpan.FromDays(2), ("depth", 1.5));
        await world.RunAsync("c-1", "drills on");

        await world.RunAsync("c-1", "drills off");
        await world.AdvanceAsync(TimeSpan.FromDays(10), TimeSpan.FromMinutes(30), world.Replica(), world.Replica());

        Assert.Empty(world.Platform.Sent);
        Assert.Null(await Store.NextDueAsync(default));
    }

    [Fact]
    public async Task Two_replicas_sharing_one_redis_and_one_clock_send_each_due_drill_exactly_once()
    {
        var world = World(new FakeTimeProvider(DrillWorld.Start));
        foreach (var candidate in new[] { "c-1", "c-2", "c-3", "c-4" })
        {
            world.Interviewed(candidate, TimeSpan.Zero, ("depth", 1.5), ("coverage", 2.0));
            await world.RunAsync(candidate, "drills on");
        }

        await world.AdvanceAsync(TimeSpan.FromDays(8.5), TimeSpan.FromMinutes(10), world.Replica(), world.Replica());

        var sent = world.Platform.Sent;
        // Unanswered, each of two dimensions comes back a day after it went (a pass late at most): 8 days of them,
        // 2 dimensions, 4 candidates.
        Assert.Equal(4 * 2 * 8, sent.Count);
        Assert.Equal(sent.Count, sent.Select(s => (s.Message.CandidateId, s.Message.DrillId)).Distinct().Count());
    }
}
