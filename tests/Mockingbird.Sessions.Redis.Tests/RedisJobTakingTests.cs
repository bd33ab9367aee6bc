using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>
/// How a take visits the shards' queues, against a real server of the test's own: one shard that cannot be read does
/// not hold up the others, and a sweep reaches every shard it can with the places it has.
/// </summary>
public sealed class RedisJobTakingTests : IAsyncLifetime
{
    private const string Answer = "Because the variance grows with dimension, the softmax would saturate and stall learning.";
    private readonly TimerWatchingClock _time = new();
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly InterviewEngine _engine = new(SampleQuestions.Bank());
    private RedisServer _server = null!;
    private ConnectionMultiplexer _redis = null!;
    private RedisSessionStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        (_redis, _store) = await RedisFixture.OpenStoreAsync(_server, new SessionStoreOptions(), _time, _prefix);
    }

    public async Task DisposeAsync()
    {
        _store.Dispose();
        await _redis.DisposeAsync();
        await _server.DisposeAsync();
    }

    private RedisKeys Keys => new(_prefix, 4);

    /// <summary>Queues one answer's judging job for each of <paramref name="count"/> candidates whose keys live on <paramref name="shard"/>.</summary>
    private async Task<List<string>> QueueJobsOnShardAsync(int shard, int count)
    {
        var service = new InterviewService(_engine, _store, new RubricJudge(), _time, JudgingMode.Queued);
        var candidates = Enumerable.Range(0, 10_000).Select(n => $"s{shard}-c{n}").Where(c => Keys.ShardOf(c) == shard).Take(count).ToList();
        foreach (var candidate in candidates)
        {
            await service.StartAsync(candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, default);
            await service.HandleAsync(candidate, new AnswerSubmitted(Answer), $"evt-{candidate}", default);
        }

        return candidates;
    }

    [Fact]
    public async Task Jobs_on_healthy_shards_are_taken_while_another_shard_cannot_be_read_and_that_shard_is_left_to_the_sweep()
    {
        var healthy = await QueueJobsOnShardAsync(shard: 1, count: 2);
        await QueueJobsOnShardAsync(shard: 2, count: 2);
        var db = _redis.GetDatabase();
        await db.KeyDeleteAsync(Keys.Jobs(2));
        await db.StringSetAsync(Keys.Jobs(2), "not a stream");
        await _store.JobsQueuedAsync(default);

        var taken = await _store.TakeQueuedAsync("w1", max: 16, default);
        var announced = _store.JobsQueuedAsync(default);

        Assert.Equal(healthy.Order(), taken.Select(job => job.Job.CandidateId).Order());
        Assert.False(announced.IsCompleted, "the shard that failed is not asked again at once, in a loop");
    }

    [Fact]
    public async Task A_sweep_with_one_free_place_reaches_every_shard_to_take_back_a_dead_workers_jobs()
    {
        var stranded = (await QueueJobsOnShardAsync(shard: 1, count: 1)).Concat(await QueueJobsOnShardAsync(shard: 3, count: 1)).ToList();
        Assert.Equal(2, (await _store.TakeAsync("w-dead", max: 8, default)).Count);
        _time.Advance(new SessionStoreOptions().ReclaimAfter + TimeSpan.FromSeconds(1));

        // The worker's loop with one free place: a sweep, then a take of whatever the sweep left announced.
        var retaken = new List<QueuedJudgement>();
        for (var sweep = 0; sweep < 2; sweep++)
        {
            retaken.AddRange(await _store.TakeAsync("w2", max: 1, default));
            await _store.JobsQueuedAsync(default);
            retaken.AddRange(await _store.TakeQueuedAsync("w2", max: 1, default));
        }

        Assert.Equal(stranded.Order(), retaken.Select(job => job.Job.CandidateId).Order());
    }

    [Fact]
    public async Task Takes_on_announcements_reach_the_shards_in_the_order_their_waiting_jobs_were_queued()
    {
        await _store.JobsQueuedAsync(default);
        Assert.Empty(await _store.TakeQueuedAsync("w1", max: 8, default));
        var queued = new List<List<string>>();
        // Queued against the shards' numbering, so no order by number can pass for the order by age.
        foreach (var shard in new[] { 3, 2, 1 })
        {
            queued.Add(await QueueJobsOnShardAsync(shard, count: 2));
        }

        await Poll.UntilAsync(() => _store.AnnouncementsHeard >= 6, "every job's announcement to be heard");

        // Two places at a time: each take is filled by the first shard it visits.
        foreach (var expected in queued)
        {
            await _store.JobsQueuedAsync(default);
            var taken = await _store.TakeQueuedAsync("w1", max: 2, default);
            Assert.Equal(expected.Order(), taken.Select(job => job.Job.CandidateId).Order());
        }
    }

    [Fact]
    public async Task A_sweep_drops_the_leases_of_jobs_no_longer_pending_and_one_beyond_the_jobs_it_reads_once_a_later_sweep_reaches_it()
    {
        await QueueJobsOnShardAsync(shard: 1, count: 25);
        var taken = (await _store.TakeAsync("w-a", max: 32, default)).OrderBy(job => job.Id, StreamIds).ToList();
        Assert.Equal(25, taken.Count);
        await CompleteAsync(taken.Take(4).Append(taken[^1]));

        // One place: the sweep reads the ten oldest pending jobs, so the last job's lease lies beyond what it read.
        await _store.TakeAsync("w-b", max: 1, default);
        Assert.Equal(Ids(taken.Skip(4)), await LeasedAsync(shard: 1));

        // Once the jobs before it are done, a sweep's oldest pending jobs have moved past it.
        await CompleteAsync(taken.Skip(4).Take(17));
        await _store.TakeAsync("w-b", max: 1, default);
        Assert.Equal(Ids(taken.Skip(21).Take(3)), await LeasedAsync(shard: 1));
    }

    [Fact]
    public async Task A_sweep_with_one_free_place_asks_nothing_about_the_leases_beyond_the_pending_jobs_it_reads()
    {
        await QueueJobsOnShardAsync(shard: 1, count: 40);
        var taken = (await _store.TakeAsync("w-a", max: 40, default)).OrderBy(job => job.Id, StreamIds).ToList();
        await CompleteAsync(taken.Take(5));
        await _server.CommandAsync("CONFIG", "RESETSTAT");

        await _store.TakeAsync("w-b", max: 1, default);

        var calls = CommandCalls(await _server.CommandAsync("INFO", "commandstats"));
        Assert.InRange(calls.GetValueOrDefault("xpending"), 1, Keys.Shards);
        Assert.Equal(0, calls.GetValueOrDefault("hget"));
        Assert.Equal(1, calls.GetValueOrDefault("hdel"));
    }

    [Fact]
    public async Task A_sweep_forgets_the_idle_consumers_that_hold_no_job_and_keeps_its_own_and_one_that_holds_a_job()
    {
        using var tidying = StoreForgettingConsumersIdleFor(TimeSpan.Zero);
        await QueueJobsOnShardAsync(shard: 1, count: 3);
        await _store.CompleteAsync(Assert.Single(await _store.TakeAsync("w-stopped", max: 1, default)), default);
        Assert.Single(await _store.TakeAsync("w-busy", max: 1, default));
        await _store.CompleteAsync(Assert.Single(await _store.TakeAsync("w-sweeper", max: 1, default)), default);
        Assert.Equal(["w-busy", "w-stopped", "w-sweeper"], await ConsumersAsync(shard: 1));

        // Nothing is left to take: the sweeper holds no job either.
        Assert.Empty(await tidying.TakeAsync("w-sweeper", max: 1, default));
        await tidying.ConsumersTidiedAsync();

        Assert.Equal(["w-busy", "w-sweeper"], await ConsumersAsync(shard: 1));
        for (var shard = 0; shard < Keys.Shards; shard++)
        {
            Assert.DoesNotContain("w-stopped", await ConsumersAsync(shard));
        }
    }

    [Fact]
    public async Task A_consumer_idle_for_less_than_the_configured_time_is_kept_and_each_shard_is_looked_at_again_only_after_ten_minutes()
    {
        // One job for each take below, the sweeper's included.
        await QueueJobsOnShardAsync(shard: 1, count: 4);
        await _store.CompleteAsync(Assert.Single(await _store.TakeAsync("w-recent", max: 1, default)), default);
        using (var patient = StoreForgettingConsumersIdleFor(new RedisOptions().ForgetConsumersIdleFor))
        {
            await patient.TakeAsync("w-sweeper", max: 1, default);
            await patient.ConsumersTidiedAsync();
        }

        Assert.Contains("w-recent", await ConsumersAsync(shard: 1));

        using var tidying = StoreForgettingConsumersIdleFor(TimeSpan.Zero);
        await tidying.TakeAsync("w-sweeper", max: 1, default);
        await tidying.ConsumersTidiedAsync();
        Assert.DoesNotContain("w-recent", await ConsumersAsync(shard: 1));
        await _store.CompleteAsync(Assert.Single(await _store.TakeAsync("w-later", max: 1, default)), default);

        await tidying.TakeAsync("w-sweeper", max: 1, default);
        await tidying.ConsumersTidiedAsync();
        Assert.Contains("w-later", await ConsumersAsync(shard: 1));
        _time.Advance(RedisSessionStore.ConsumersTidiedEvery);
        await tidying.TakeAsync("w-sweeper", max: 1, default);
        await tidying.ConsumersTidiedAsync();
        Assert.DoesNotContain("w-later", await ConsumersAsync(shard: 1));
    }

    private RedisSessionStore StoreForgettingConsumersIdleFor(TimeSpan idle) => new(
        _redis,
        Options.Create(new SessionStoreOptions()),
        Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = Keys.Shards, ForgetConsumersIdleFor = idle }),
        _time,
        NullLogger<RedisSessionStore>.Instance);

    private async Task<List<string>> ConsumersAsync(int shard) =>
        [.. (await _redis.GetDatabase().StreamConsumerInfoAsync(Keys.Jobs(shard), new RedisOptions().ConsumerGroup)).Select(consumer => consumer.Name).Order(StringComparer.Ordinal)];

    private async Task CompleteAsync(IEnumerable<QueuedJudgement> jobs)
    {
        foreach (var job in jobs)
        {
            await _store.CompleteAsync(job, default);
        }
    }

    private async Task<List<string>> LeasedAsync(int shard) =>
        Ids((await _redis.GetDatabase().HashKeysAsync(Keys.Leases(shard))).Select(field => (string)field!));

    private static List<string> Ids(IEnumerable<QueuedJudgement> jobs) => Ids(jobs.Select(job => job.Id));

    private static List<string> Ids(IEnumerable<string> ids) => [.. ids.Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_sweep_reads_and_writes_leases_with_the_same_few_commands_however_many_jobs_are_pending()
    {
        await QueueJobsOnShardAsync(shard: 1, count: 30);
        var taken = await _store.TakeAsync("w-a", max: 20, default);
        foreach (var job in taken.Take(5))
        {
            await _store.CompleteAsync(job, default);
        }

        // Fifteen jobs leased and pending, five leased and done, ten not yet read.
        await _server.CommandAsync("CONFIG", "RESETSTAT");
        await _store.TakeAsync("w-b", max: 32, default);

        var calls = CommandCalls(await _server.CommandAsync("INFO", "commandstats"));
        Assert.Equal(Keys.Shards, calls.GetValueOrDefault("xpending"));
        Assert.Equal(0, calls.GetValueOrDefault("hget"));
        Assert.Equal(1, calls.GetValueOrDefault("hdel"));
        Assert.Equal(1, calls.GetValueOrDefault("hset"));
    }

    private static readonly Comparer<string> StreamIds = Comparer<string>.Create((a, b) =>
    {
        var (am, asq) = Split(a);
        var (bm, bsq) = Split(b);
        return am != bm ? am.CompareTo(bm) : asq.CompareTo(bsq);

        static (long, long) Split(string id) => (long.Parse(id[..id.IndexOf('-')], CultureInfo.InvariantCulture), long.Parse(id[(id.IndexOf('-') + 1)..], CultureInfo.InvariantCulture));
    });

    /// <summary>Calls per command from an <c>INFO commandstats</c> reply (<c>cmdstat_hget:calls=3,...</c>).</summary>
    private static Dictionary<string, long> CommandCalls(string info) =>
        info.Split("\r\n")
            .Where(line => line.StartsWith("cmdstat_", StringComparison.Ordinal))
            .ToDictionary(
                line => line["cmdstat_".Length..line.IndexOf(':', StringComparison.Ordinal)],
                line => long.Parse(line.Split(['=', ','])[1], CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_take_where_every_shard_asked_fails_throws_rather_than_reporting_an_empty_queue()
    {
        var db = _redis.GetDatabase();
        for (var shard = 0; shard < Keys.Shards; shard++)
        {
            await db.KeyDeleteAsync(Keys.Jobs(shard));
            await db.StringSetAsync(Keys.Jobs(shard), "not a stream");
        }

        await Assert.ThrowsAsync<RedisServerException>(() => _store.TakeAsync("w1", max: 8, default));
    }
}
