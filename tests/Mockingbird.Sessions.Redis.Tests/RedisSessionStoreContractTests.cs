using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

[Collection(nameof(RedisCollection))]
public sealed class RedisSessionStoreContractTests(RedisFixture fixture) : SessionStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;
    private RedisSessionStore _store = null!;

    protected override async Task<(ISessionStore Store, IJudgingQueue Queue)> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        (_redis, _store) = await RedisFixture.OpenStoreAsync(fixture.Server, options, time, _prefix);
        return (_store, _store);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();

    protected override Task<IReadOnlyList<(JudgeJob Job, string Reason)>> DeadLettersAsync() => _store.DeadLettersAsync();

    private IServer Server => _redis.GetServer(fixture.Server.Endpoint);

    [Fact]
    public async Task Every_key_of_a_candidate_shares_one_hash_tag_with_its_shards_judging_stream()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, EventId: "e", Jobs: [new JudgeJob("c-1", "s-1", 1)], Delivery: new PendingDelivery("s-1:1", [])), default);

        var keys = Server.Keys(pattern: $"{{{_prefix}:*").Select(k => (string)k!).ToList();
        var candidateKeys = keys.Where(k => k.EndsWith(":c-1", StringComparison.Ordinal)).ToList();

        // The session hash keeps its event marks and its pending delivery; the seen questions are a set of their own.
        Assert.Equal(["session", "seen"], candidateKeys.Select(k => k.Split(':')[^2]).Order(StringComparer.Ordinal).Reverse());
        var tag = Assert.Single(candidateKeys.Select(k => k[..(k.IndexOf('}', StringComparison.Ordinal) + 1)]).Distinct());
        Assert.Equal(1, await _redis.GetDatabase().StreamLengthAsync($"{tag}:judge-jobs"));
    }

    [Fact]
    public async Task Feedback_waiting_to_be_posted_is_kept_at_under_half_the_size_of_its_json_and_claimed_back_whole()
    {
        IReadOnlyList<InterviewAction> actions = [JudgedFeedback(), new PostQuestion(3, 12, Stage.Theory, "theory-rag-eval", "How would you evaluate a retrieval-augmented system before and after launch?", null, false)];
        await Store.WriteAsync(new SessionWrite(Session(), 0, Delivery: new PendingDelivery("s-1:1", actions)), default);
        var stored = (byte[])(await _redis.GetDatabase().HashGetAsync(SessionKey(), "d:s-1:1"))!;
        Time.Advance(Options.DeliveryLease);

        var claimed = await Store.ClaimDeliveryAsync("c-1", "s-1:1", default);

        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(actions, RedisJson.Default.IReadOnlyListInterviewAction);
        Assert.InRange(stored.Length, 1, json.Length / 2);
        Assert.Equal(json, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(claimed.Delivery!.Actions, RedisJson.Default.IReadOnlyListInterviewAction));
    }

    [Fact]
    public async Task Feedback_left_as_plain_json_by_an_earlier_version_is_still_claimed()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        var plain = $"{Time.GetUtcNow().ToUnixTimeMilliseconds()}|{InterviewSession.SchemaVersion}|[{{\"type\":\"notice\",\"text\":\"feedback\"}}]";
        await _redis.GetDatabase().HashSetAsync(SessionKey(), "d:s-1:1", plain);

        var claimed = await Store.ClaimDeliveryAsync("c-1", "s-1:1", default);

        Assert.Equal("feedback", Assert.IsType<PostNotice>(Assert.Single(claimed.Delivery!.Actions)).Text);
    }

    public static TheoryData<string, byte[]> CorruptDeliveries()
    {
        var good = new StoredDeliveries(new BankMarks(RedisFixture.Bank)).Encode([new PostNotice("A notice long enough to compress into several bytes of Brotli output.")]);
        var flipped = (byte[])good.Clone();
        flipped[^3] ^= 0xFF;
        flipped[4] ^= 0x5A;
        return new TheoryData<string, byte[]>
        {
            { "truncated", good[..(good.Length / 2)] },
            { "bits flipped", flipped },
            { "not Brotli", Encoding.ASCII.GetBytes($"{InterviewSession.SchemaVersion}b|not brotli at all") },
            { "an action without its type", Compressed("[{}]") },
            { "an action of an unknown type", Compressed("""[{"type":"nope"}]""") },
            { "an empty action", Compressed("[null]") },
            { "a malformed mark", Compressed("""[{"type":"notice","text":"~not-a-mark"}]""", marked: true) },
            { "a number where a text belongs", Compressed("""[{"type":"notice","text":7}]""", marked: true) },
            { "plain, not JSON", Encoding.ASCII.GetBytes($"{InterviewSession.SchemaVersion}|[{{") },
            { "plain, an action without its type", Encoding.ASCII.GetBytes($"{InterviewSession.SchemaVersion}|[{{}}]") },
        };

        static byte[] Compressed(string json, bool marked = false)
        {
            using var output = new MemoryStream();
            output.Write(Encoding.ASCII.GetBytes($"{InterviewSession.SchemaVersion}{(marked ? 'm' : 'b')}|"));
            using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
            {
                brotli.Write(Encoding.UTF8.GetBytes(json));
            }

            return output.ToArray();
        }
    }

    [Theory]
    [MemberData(nameof(CorruptDeliveries))]
    public async Task Feedback_whose_stored_value_cannot_be_read_is_dropped_rather_than_failing_its_job_again_and_again(string corruption, byte[] stored)
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        var lease = Encoding.ASCII.GetBytes($"{Time.GetUtcNow().ToUnixTimeMilliseconds()}|");
        await _redis.GetDatabase().HashSetAsync(SessionKey(), "d:s-1:1", (byte[])[.. lease, .. stored]);

        Assert.True(DeliveryClaim.Nothing == await Store.ClaimDeliveryAsync("c-1", "s-1:1", default), corruption);
    }

    private RedisKey SessionKey() => Server.Keys(pattern: $"{{{_prefix}:*:session:c-1").Single();

    private static PostFeedback JudgedFeedback() => new(
        1,
        1,
        null,
        new Feedback(
            "theory-attention-kv-cache",
            "rubric:v3",
            "Solid",
            [.. Enumerable.Range(1, 5).Select(i => new DimensionScore($"Dimension {i}", 3, ["You said the cache grows linearly with the length of the sequence."], "You explained the mechanism but not what it costs in memory."))],
            [new CoveredPoint("cache memory", "grows linearly with the length")],
            ["paged attention", "a quantised cache"],
            2.8,
            ["Name the bottleneck first, then the fix."],
            [],
            "Explain paged attention in two minutes.",
            "Start with the cost of recomputing keys and values, then how a cache trades memory for time, then paging."));

    [Fact]
    public async Task With_no_finished_retention_a_completed_interview_leaves_no_key_behind()
    {
        var options = new SessionStoreOptions { FinishedRetention = TimeSpan.Zero };
        var (redis, store) = await RedisFixture.OpenStoreAsync(fixture.Server, options, Time, _prefix + "-none");
        await using var _ = redis;

        await store.WriteAsync(new SessionWrite(Session(), 0), default);
        await store.WriteAsync(new SessionWrite(Session(phase: SessionPhase.Completed), 1), default);

        Assert.Null(await store.FindFinishedAsync("c-1", default));
        Assert.Empty(redis.GetServer(fixture.Server.Endpoint).Keys(pattern: $"{{{_prefix}-none:*:finished:*"));
    }

    [Fact]
    public async Task The_stored_session_carries_its_schema_version_and_an_idle_expiry_that_an_input_refreshes_once_a_tenth_of_it_passed()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        var key = Server.Keys(pattern: $"{{{_prefix}:*:session:c-1").Single();
        var db = _redis.GetDatabase();
        await db.KeyExpireAsync(key, TimeSpan.FromMinutes(5));

        await Store.WriteAsync(new SessionWrite(Session(current: 1), 1, EventId: "soon"), default);
        var untouched = await db.KeyTimeToLiveAsync(key);
        Time.Advance(Options.IdleTimeout / 10);
        await Store.WriteAsync(new SessionWrite(Session(current: 2), 2, EventId: "later"), default);

        Assert.Equal(InterviewSession.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)await db.HashGetAsync(key, "schema"));
        Assert.InRange(untouched!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, Options.IdleTimeout - TimeSpan.FromMinutes(1), Options.IdleTimeout);
    }

    [Fact]
    public async Task A_live_session_remembers_its_last_sixteen_events_in_its_own_hash()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, EventId: "evt-0"), default);
        for (var i = 1; i <= 16; i++)
        {
            await Store.WriteAsync(new SessionWrite(Session(), i, EventId: $"evt-{i}"), default);
        }

        var oldest = await Store.WriteAsync(new SessionWrite(Session(), 17, EventId: "evt-0"), default);

        // The oldest mark still kept once evt-0 is remembered again.
        var recent = await Store.WriteAsync(new SessionWrite(Session(), 18, EventId: "evt-2"), default);

        Assert.Equal(WriteOutcome.Saved, oldest.Outcome);
        Assert.Equal(WriteOutcome.Duplicate, recent.Outcome);
        Assert.Empty(Server.Keys(pattern: $"{{{_prefix}:*:events:c-1"));
    }

    [Fact]
    public async Task A_taken_job_brings_its_session_at_the_version_the_answer_saved()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        await Store.WriteAsync(new SessionWrite(Session(current: 1), 1, Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);

        var taken = Assert.Single(await Queue.TakeAsync("w", 10, default));

        Assert.Equal(2, taken.Session?.Version);
        Assert.Equal(Session(current: 1).Current, taken.Session?.Session.Current);
    }

    [Theory]
    [InlineData("schema", "0")]
    [InlineData("data", "{not json")]
    public async Task A_corrupt_or_old_version_value_is_reported_as_unreadable_rather_than_crashing(string field, string value)
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        var key = Server.Keys(pattern: $"{{{_prefix}:*:session:c-1").Single();
        await _redis.GetDatabase().HashSetAsync(key, field, value);

        await Assert.ThrowsAsync<UnreadableSessionException>(() => Store.FindActiveAsync("c-1", default));
    }

    [Fact]
    public async Task History_and_pending_deliveries_are_stored_with_their_schema_version_and_other_versions_are_skipped()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, Delivery: new PendingDelivery("s-1:1", [new PostNotice("x")])), default);
        await Store.WriteAsync(new SessionWrite(Session(phase: SessionPhase.Completed), 1, History: new HistoryEntry(Start, "s-1", Interview.Questions.InterviewPlan.Theory, 2, [], [], [])), default);
        var db = _redis.GetDatabase();
        var history = Server.Keys(pattern: $"{{{_prefix}:*:history:c-1").Single();
        var stored = (string)(await db.SortedSetRangeByRankAsync(history, 0, 0))[0]!;

        await db.SortedSetAddAsync(history, "99|{\"future\": true}", Start.AddMinutes(1).ToUnixTimeMilliseconds());

        Assert.StartsWith($"{InterviewSession.SchemaVersion}|{{", stored, StringComparison.Ordinal);
        Assert.Equal("s-1", Assert.Single(await Store.HistoryAsync("c-1", default)).SessionId);
    }

    [Fact]
    public async Task A_job_an_earlier_version_took_without_a_lease_is_leased_from_the_next_take_and_reclaimed_a_timeout_later()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);
        var session = (string)Server.Keys(pattern: $"{{{_prefix}:*:session:c-1").Single()!;
        var jobs = session[..(session.IndexOf('}', StringComparison.Ordinal) + 1)] + ":judge-jobs";
        Assert.Single(await _redis.GetDatabase().StreamReadGroupAsync(jobs, "judges", "worker-of-an-earlier-version", ">"));

        Assert.Empty(await Queue.TakeAsync("w", 10, default));
        Time.Advance(Options.ReclaimAfter - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await Queue.TakeAsync("w", 10, default));
        Time.Advance(TimeSpan.FromMilliseconds(1));

        var reclaimed = Assert.Single(await Queue.TakeAsync("w", 10, default));
        Assert.Equal((new JudgeJob("c-1", "s-1", 1), 2), (reclaimed.Job, reclaimed.Attempt));
    }

    [Fact]
    public async Task A_session_stored_by_the_previous_version_is_read_and_a_retry_of_an_event_it_marked_in_the_events_set_is_a_duplicate()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        var session = (string)Server.Keys(pattern: $"{{{_prefix}:*:session:c-1").Single()!;
        var events = session[..(session.IndexOf('}', StringComparison.Ordinal) + 1)] + ":events:c-1";
        var db = _redis.GetDatabase();

        // As the previous version left it: plain JSON, no event marks of its own, its events' raw ids in the events set.
        await db.KeyDeleteAsync(session);
        await db.HashSetAsync(session, [
            new HashEntry("v", 1),
            new HashEntry("id", "s-1"),
            new HashEntry("schema", InterviewSession.SchemaVersion),
            new HashEntry("data", System.Text.Json.JsonSerializer.Serialize(Session(current: 1), RedisJson.Default.InterviewSession)),
        ]);
        await db.SortedSetAddAsync(events, "evt-before-upgrade", Start.Add(Options.EventRetention).ToUnixTimeMilliseconds());

        var found = await Store.FindActiveAsync("c-1", default);
        var retried = await Store.WriteAsync(new SessionWrite(Session(current: 2), 1, EventId: "evt-before-upgrade"), default);
        var unread = await Store.FindActiveAsync("c-1", default);
        var next = await Store.WriteAsync(new SessionWrite(Session(current: 2), 1, EventId: "evt-after-upgrade"), default);

        Assert.Equal((1L, "s-1", Session(current: 1).Current), (found?.Version, found?.Session.Id, found?.Session.Current));
        Assert.Equal(WriteOutcome.Duplicate, retried.Outcome);
        Assert.Equal((1L, Session(current: 1).Current), (unread?.Version, unread?.Session.Current));
        Assert.Equal(new WriteResult(WriteOutcome.Saved, 2), next);
    }

    [Fact]
    public async Task A_retried_event_of_a_finished_session_stays_a_duplicate_in_the_next_one_beside_raw_ids_an_older_version_kept()
    {
        await Store.WriteAsync(new SessionWrite(Session(id: "s-0"), 0, EventId: "evt-a"), default);
        await Store.WriteAsync(new SessionWrite(Session(id: "s-0", current: 1), 1, EventId: "evt-b"), default);
        await Store.WriteAsync(new SessionWrite(Session(id: "s-0", phase: SessionPhase.Completed), 2, EventId: "evt-end"), default);
        var events = (string)Server.Keys(pattern: $"{{{_prefix}:*:events:c-1").Single()!;

        // Kept by raw id, as versions before event marks did: Slack trigger ids, longer than marks and newer than them.
        Time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 4; i++)
        {
            var until = Time.GetUtcNow().Add(Options.EventRetention).ToUnixTimeMilliseconds();
            await _redis.GetDatabase().SortedSetAddAsync(events, $"13345224609.73847492{i}.8088930838d88f008e0", until);
        }

        var started = await Store.WriteAsync(new SessionWrite(Session(id: "s-1"), 0, EventId: "evt-start"), default);
        var retried = new List<WriteOutcome>();
        foreach (var eventId in new[] { "evt-a", "evt-b", "evt-end" })
        {
            retried.Add((await Store.WriteAsync(new SessionWrite(Session(id: "s-1", current: 1), 1, EventId: eventId), default)).Outcome);
        }

        Assert.Equal(WriteOutcome.Saved, started.Outcome);
        Assert.Equal([WriteOutcome.Duplicate, WriteOutcome.Duplicate, WriteOutcome.Duplicate], retried);
    }

    [Fact]
    public async Task Registered_beside_the_question_bank_the_store_keeps_missed_points_and_waiting_feedback_by_mark_and_reads_them_back_as_judged()
    {
        var services = RedisFixture.ConfiguredServices(fixture.Server, _prefix, ("Redis:Shards", "4"));
        services.AddLogging();
        services.AddSingleton(RedisFixture.Bank);
        services.AddSingleton<TimeProvider>(Time);
        services.AddRedisSessionStore(await RedisFixture.ConnectAsync(fixture.Server));
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<ISessionStore>();
        var question = RedisFixture.Bank.Questions.First(q => q.Rubric.Count >= 2 && q.Prompt.Length >= BankMarks.MarkedFrom);
        string[] missed = [question.Rubric[1].Text, question.Rubric[0].Text];
        var drill = $"Revisit it: a strong answer also covers \"{missed[0]}\".";
        var judged = new Turn(1, question.Id, question.Stage, null, TurnOutcome.Answered, null, 0, Time.GetUtcNow(), new TurnScore("offline-rubric", 1.5, [new ScoredDimension("coverage", 1)], missed, drill));
        IReadOnlyList<InterviewAction> feedback =
        [
            JudgedFeedback() with { Feedback = JudgedFeedback().Feedback with { QuestionId = question.Id, Missed = missed, NextDrill = drill } },
            new PostQuestion(2, 7, question.Stage, question.Id, question.Prompt, null, false),
        ];

        await store.WriteAsync(new SessionWrite(Session() with { Turns = [judged] }, 0, Delivery: new PendingDelivery("s-1:1", feedback)), default);

        var stored = (byte[])(await _redis.GetDatabase().HashGetAsync(SessionKey(), "data"))!;
        var found = (await RedisFixture.Store(_redis, Options, Time, _prefix, keepsDecodedSessions: false).FindActiveAsync("c-1", default))!.Session.Turns[0].Score!;
        Assert.Equal(missed, found.Missed);
        Assert.Equal(drill, found.NextDrill);
        Assert.Equal([BankMarks.Reworded, BankMarks.Reworded], StoredSessionCodec.Decode(stored).Turns[0].Score!.Missed);
        Time.Advance(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SessionStoreOptions>>().Value.DeliveryLease);
        var claimed = await store.ClaimDeliveryAsync("c-1", "s-1:1", default);
        Assert.Equal(Json(feedback), Json(claimed.Delivery!.Actions));
        var waiting = (byte[])(await _redis.GetDatabase().HashGetAsync(SessionKey(), "d:s-1:1"))!;
        var withoutBank = new StoredDeliveries(BankMarks.None).Decode(waiting[(Array.IndexOf(waiting, (byte)'|') + 1)..])!;
        Assert.Equal("(changed in the question bank since this feedback was saved)", Assert.IsType<PostQuestion>(withoutBank[1]).Text);
    }

    private static string Json(IReadOnlyList<InterviewAction> actions) =>
        System.Text.Json.JsonSerializer.Serialize(actions, RedisJson.Default.IReadOnlyListInterviewAction);

    [Fact]
    public async Task A_store_configured_with_another_shard_count_than_the_data_refuses_to_start()
    {
        var other = new RedisSessionStore(
            _redis,
            Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 16 }),
            Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisSessionStore>.Instance);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => other.EnsureConsumerGroupsAsync(default));

        Assert.Contains("Redis:Shards is 16", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Set it back to 4", ex.Message, StringComparison.Ordinal);
    }
}
