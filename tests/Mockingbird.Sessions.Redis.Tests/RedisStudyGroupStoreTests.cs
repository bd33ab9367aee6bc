using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

[Collection(nameof(RedisCollection))]
public sealed class RedisStudyGroupStoreTests(RedisFixture fixture) : StudyGroupStoreContract
{
    private const int Shards = 4;
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;

    protected override async Task<(IStudyGroupStore Store, IJudgingQueue Queue)> CreateAsync(StudyGroupOptions options, FakeTimeProvider time)
    {
        RedisSessionStore queue;
        (_redis, queue) = await RedisFixture.OpenStoreAsync(fixture.Server, new SessionStoreOptions(), time, _prefix);
        return (StudyGroups(_redis, _prefix, options, time), queue);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();

    private static RedisStudyGroupStore StudyGroups(IConnectionMultiplexer redis, string prefix, StudyGroupOptions options, TimeProvider time) =>
        new(redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = prefix, Shards = Shards }), Microsoft.Extensions.Options.Options.Create(options), time);

    private IServer Server => _redis.GetServer(fixture.Server.Endpoint);

    private async Task<DailyRound> JudgingRoundAsync(params string[] members)
    {
        var round = await OpenRoundAsync();
        foreach (var member in members)
        {
            await Store.SaveAnswerAsync(round.Id, member, "answer", Start, default);
        }

        await Store.CloseAsync(round.Id, default);
        return round;
    }

    [Fact]
    public async Task A_closed_rounds_job_entries_carry_exactly_the_fields_the_take_reads()
    {
        await JudgingRoundAsync("m-1", "m-2");

        var entries = await RedisFixture.JobEntryFieldsAsync(_redis, _prefix);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, fields => Assert.Equal(["c", "s", "t", "k"], fields));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("discord:only-two")]
    public async Task A_round_id_that_names_no_channel_is_unknown_as_in_memory(string roundId)
    {
        Assert.Null(await Store.FindRoundAsync(roundId, default));
        Assert.Equal(AnswerOutcome.Unknown, (await Store.SaveAnswerAsync(roundId, "m-1", "answer", Start, default)).Outcome);
    }

    [Fact]
    public async Task Every_key_of_a_round_and_its_channel_carries_the_hash_tag_of_the_stream_its_judging_jobs_go_to()
    {
        var round = await JudgingRoundAsync("m-1", "m-2");
        await Store.SaveResultAsync(round.Id, Result("m-1", 1), Record(round, "m-1"), default);

        var keys = Server.Keys(pattern: $"{{{_prefix}:*").Select(k => (string)k!).Where(k => k.Contains(":study-", StringComparison.Ordinal)).ToList();

        // Round, answers, answerers, results, recent questions, records, record days, unfinished index, and each member's index.
        Assert.Equal(10, keys.Count);
        var tag = Assert.Single(keys.Select(k => k[..(k.IndexOf('}', StringComparison.Ordinal) + 1)]).Distinct());
        Assert.Equal(2, await _redis.GetDatabase().StreamLengthAsync($"{tag}:judge-jobs"));
        Assert.Equal(new RedisKeys(_prefix, Shards).Tag(new RedisKeys(_prefix, Shards).ShardOf(Channel.Key)), tag);
    }

    [Fact]
    public async Task A_done_round_expires_with_its_answers_after_the_round_retention_and_an_unfinished_one_never_does()
    {
        var round = await JudgingRoundAsync("m-1");
        var keys = new RedisKeys(_prefix, Shards);
        var db = _redis.GetDatabase();
        Assert.Null(await db.KeyTimeToLiveAsync(keys.StudyRound(round.Id)));

        await Store.SetStateAsync(round.Id, RoundState.Done, default);

        foreach (var key in new[] { keys.StudyRound(round.Id), keys.StudyAnswers(round.Id), keys.StudyAnswerers(round.Id) })
        {
            Assert.InRange((await db.KeyTimeToLiveAsync(key))!.Value, RedisStudyGroupStore.RoundRetention - TimeSpan.FromMinutes(1), RedisStudyGroupStore.RoundRetention);
        }
    }

    [Fact]
    public async Task A_daily_job_that_fails_every_attempt_is_dead_lettered_with_its_kind()
    {
        var round = await JudgingRoundAsync("m-1");
        var failing = RedisFixture.Store(_redis, new SessionStoreOptions { MaxAttempts = 1 }, Time, _prefix);
        var job = Assert.Single(await failing.TakeAsync("w-1", 10, default));

        Assert.True(await failing.FailAsync(job, "TimeoutException", default));

        var (dead, reason) = Assert.Single(await failing.DeadLettersAsync());
        Assert.Equal((new JudgeJob(Channel.Key, round.Id, 1, JudgeJobKind.DailyAnswer), "TimeoutException"), (dead, reason));
    }

    [Fact]
    public async Task An_interview_job_written_before_jobs_had_kinds_is_still_taken_as_an_interview_turn()
    {
        var keys = new RedisKeys(_prefix, Shards);
        await _redis.GetDatabase().StreamAddAsync(keys.Jobs(keys.ShardOf("c-1")), [new("c", "c-1"), new("s", "s-1"), new("t", 3), new("schema", InterviewSession.SchemaVersion)]);

        var taken = Assert.Single(await Queue.TakeAsync("w-1", 10, default));

        Assert.Equal(new JudgeJob("c-1", "s-1", 3, JudgeJobKind.InterviewTurn), taken.Job);
    }

    [Fact]
    public async Task A_job_of_a_kind_this_version_does_not_know_is_taken_as_no_kind_any_handler_claims()
    {
        var keys = new RedisKeys(_prefix, Shards);
        await _redis.GetDatabase().StreamAddAsync(keys.Jobs(keys.ShardOf("c-1")), [new("c", "c-1"), new("s", "s-1"), new("t", 3), new("schema", InterviewSession.SchemaVersion), new("k", "WeeklyQuiz")]);

        var taken = Assert.Single(await Queue.TakeAsync("w-1", 10, default));

        Assert.False(Enum.IsDefined(taken.Job.Kind));
    }

    [Fact]
    public async Task An_accepted_answer_survives_a_redis_crash_and_is_judged_after_the_restart()
    {
        await using var server = await RedisServer.StartAsync();
        var opened = await RedisFixture.OpenStoreAsync(server, new SessionStoreOptions(), Time, _prefix);
        await using var redis = opened.Redis;
        var queue = opened.Store;
        var store = StudyGroups(redis, _prefix, Options, Time);
        var (round, _) = await store.ClaimRoundAsync(Round(), default);
        await store.MarkPostedAsync(round.Id, "post-1", "thread-1", default);
        Assert.Equal(AnswerOutcome.Taken, (await store.SaveAnswerAsync(round.Id, "m-1", "kept", Start, default)).Outcome);

        // Killed outright: the append-only file, synced on every write, is all that brings the answer back.
        await server.StopAsync();
        await server.RestartAsync();

        var answer = await Poll.ForAsync(
            async () =>
            {
                try
                {
                    return await store.FindAnswerAsync(round.Id, "m-1", default);
                }
                catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
                {
                    // Still reconnecting: refused, or timed out waiting in the backlog while no connection was up.
                    return null;
                }
            },
            "the restarted Redis to answer with the accepted answer");
        Assert.Equal(("kept", 1), (answer.Text, answer.Ordinal));
        Assert.True(await store.CloseAsync(round.Id, default));
        Assert.Equal(new JudgeJob(Channel.Key, round.Id, 1, JudgeJobKind.DailyAnswer), Assert.Single(await queue.TakeAsync("w-1", 10, default)).Job);
    }

    [Fact]
    public async Task Registered_over_the_in_memory_store_the_redis_store_is_the_one_resolved_and_keeps_to_the_configured_prefix()
    {
        var services = RedisFixture.ConfiguredServices(fixture.Server, _prefix, ("Redis:Shards", $"{Shards}"));
        services.AddInMemoryStudyGroupStore();
        services.AddRedisSessionStore(await RedisFixture.ConnectAsync(fixture.Server)).AddRedisStudyGroupStore();
        await using var provider = services.BuildServiceProvider();

        var resolved = Assert.IsType<RedisStudyGroupStore>(provider.GetRequiredService<IStudyGroupStore>());
        await resolved.SavePreferencesAsync("m-1", new MemberPreferences(OnBoards: false), default);

        Assert.Equal(new MemberPreferences(OnBoards: false), await Store.PreferencesAsync("m-1", default));
    }
}
