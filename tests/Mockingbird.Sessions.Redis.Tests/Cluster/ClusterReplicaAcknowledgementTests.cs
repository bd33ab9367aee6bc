using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

/// <summary>
/// <see cref="RedisOptions.ReplicasToAcknowledge"/> on a cluster whose nodes the tests kill: an answer the store
/// acknowledged is on a replica, and a replica that cannot confirm delays the answer only by the timeout.
/// </summary>
public sealed class ClusterReplicaAcknowledgementTests(FailoverClusterFixture fixture, ITestOutputHelper report) : IClassFixture<FailoverClusterFixture>, IAsyncLifetime
{
    private const string Answer = "Because the variance grows with dimension, the softmax would saturate and stall learning.";
    private const string Victim = "c-3";
    private const int Shards = 4;
    private static readonly string[] Candidates = [.. Enumerable.Range(0, 8).Select(i => string.Create(CultureInfo.InvariantCulture, $"c-{i}"))];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly SessionStoreOptions _options = new();
    private readonly RecordingLogger<RedisSessionStore> _log = new();
    private ConnectionMultiplexer _redis = null!;

    private RedisCluster Cluster => fixture.Cluster;

    private string VictimSession => new RedisKeys(_prefix, Shards).Session(Victim);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task Answers_the_store_acknowledged_with_a_replica_are_on_the_promoted_replica_after_kill_9_of_their_primary_with_their_jobs()
    {
        // Longer than a busy machine's replication delay, shorter than the client's own timeout.
        var (store, service) = await OpenAsync(replicaTimeout: TimeSpan.FromSeconds(1));
        foreach (var candidate in Candidates)
        {
            await service.StartAsync(candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3), 1, default);
        }

        // All answered at once, as a busy bot's connection carries them, and the primary killed the moment the last
        // is acknowledged: no catching up allowed beyond what the store waited for.
        await Task.WhenAll(Candidates.Select(c => service.HandleAsync(c, new AnswerSubmitted(Answer), $"evt-{c}-1", default)));
        var killed = await Cluster.KillPrimaryOwningAsync(VictimSession);
        var promoted = await Cluster.WaitForPromotionAsync(killed);
        report.WriteLine($"Primary on port {killed.Port} killed; replica on port {promoted.Port} promoted.");

        Assert.DoesNotContain(_log.Entries, e => e.Level >= LogLevel.Warning);
        foreach (var candidate in Candidates)
        {
            var kept = await ClusterFailoverTests.UntilRedisAnswersAsync(() => store.FindActiveAsync(candidate, default), $"{candidate}'s session to be read after the failover");
            Assert.NotNull(kept);
            Assert.Equal(SessionPhase.Judging, kept.Session.Phase);
            Assert.Equal(Answer, kept.Session.Turns[^1].Answer);
        }

        var judged = new HashSet<string>(StringComparer.Ordinal);
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    judged.UnionWith((await store.TakeAsync("w1", 100, default)).Select(j => j.Job.CandidateId));
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Jobs a failed pass took from other shards come back once their lease runs out on the fake clock.
                    _time.Advance(_options.ReclaimAfter + TimeSpan.FromSeconds(1));
                }

                return judged.IsSupersetOf(Candidates);
            },
            "a judging job for every candidate's answer to be taken after the failover",
            TimeSpan.FromSeconds(60));
        Assert.Equal(Candidates.Order(StringComparer.Ordinal), judged.Order(StringComparer.Ordinal));
        await Cluster.RestartAsync(killed);
    }

    [Fact]
    public async Task With_the_replica_dead_an_answer_is_saved_after_the_timeout_and_a_warning_names_its_shard_only()
    {
        var (store, service) = await OpenAsync(replicaTimeout: TimeSpan.FromMilliseconds(100));
        var replica = await Cluster.KillReplicaOfPrimaryOwningAsync(VictimSession);

        // Starting queues no judging job, so it does not wait; the answer does.
        await service.StartAsync(Victim, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3), 1, default);
        Assert.Empty(_log.Entries);
        var answering = TimeProvider.System.GetTimestamp();
        await service.HandleAsync(Victim, new AnswerSubmitted(Answer), "evt-answer", default);
        report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"With the replica dead and a 100 ms timeout the answer took {TimeProvider.System.GetElapsedTime(answering).TotalMilliseconds:0} ms."));

        var saved = await store.FindActiveAsync(Victim, default);
        Assert.Equal(SessionPhase.Judging, saved!.Session.Phase);
        Assert.Equal(Answer, saved.Session.Turns[^1].Answer);
        var warning = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        var shard = new RedisKeys(_prefix, Shards).ShardOf(Victim);
        Assert.Equal(
            $"An accepted answer on shard {shard} was confirmed by 0 of 1 replicas within 100 ms: it is acknowledged, but only its primary holds it until the replicas catch up",
            warning.Message);
        Assert.DoesNotContain(Victim, warning.Message, StringComparison.Ordinal);
        await Cluster.RestartAsync(replica);
    }

    private async Task<(RedisSessionStore Store, InterviewService Service)> OpenAsync(TimeSpan replicaTimeout)
    {
        _redis = await RedisFixture.ConnectAsync(Cluster.Endpoints);
        var redisOptions = new RedisOptions
        {
            Configuration = "unused",
            KeyPrefix = _prefix,
            Shards = Shards,
            ReplicasToAcknowledge = 1,
            ReplicaTimeout = replicaTimeout,
        };
        // A replica of a new or restarted node may still be making its first copy: until then nothing confirms.
        await Cluster.WaitUntilReplicasCaughtUpAsync();
        var store = new RedisSessionStore(_redis, Microsoft.Extensions.Options.Options.Create(_options), Microsoft.Extensions.Options.Options.Create(redisOptions), _time, _log);
        await store.EnsureConsumerGroupsAsync(default);
        var service = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), store, new RubricJudge(), _time, JudgingMode.Queued);
        return (store, service);
    }
}
