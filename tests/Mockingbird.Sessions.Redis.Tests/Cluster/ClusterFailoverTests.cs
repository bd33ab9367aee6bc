using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
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
/// A primary of the cluster dies (kill -9) under a running bot. A cluster of its own: the tests kill its nodes, and
/// each starts the killed node again so the next finds every primary with a replica.
/// </summary>
public sealed class ClusterFailoverTests(FailoverClusterFixture fixture, ITestOutputHelper report) : IClassFixture<FailoverClusterFixture>, IAsyncLifetime
{
    private const string Answer = "Because the variance grows with dimension, the softmax would saturate and stall learning.";
    private const int Questions = 3;
    private static readonly string[] Candidates = [.. Enumerable.Range(0, 8).Select(i => string.Create(CultureInfo.InvariantCulture, $"c-{i}"))];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly InterviewEngine _engine = new(SampleQuestions.Bank());

    private readonly SessionStoreOptions _options = new()
    {
        ReclaimAfter = TimeSpan.FromMilliseconds(600),
        DeliveryLease = TimeSpan.FromMilliseconds(600),
        MaxAttempts = 10,
    };

    private ConnectionMultiplexer _redis = null!;

    private RedisCluster Cluster => fixture.Cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task After_kill_9_of_a_candidates_primary_mid_delivery_the_bot_carries_on_on_the_promoted_replica_and_posts_no_feedback_twice()
    {
        RedisClusterNode? killed = null;

        try
        {
            var platform = await RunInterviewsAsync(async victimSession =>
            {
                // Posted and recorded, not yet acknowledged to the queue: the worst moment to lose the primary. The
                // replica is let catch up first: what it may miss otherwise is measured below, not assumed here.
                await Cluster.WaitUntilReplicasCaughtUpAsync();
                killed = await Cluster.KillPrimaryOwningAsync(victimSession);
            });

            Assert.NotNull(killed);

            // The node asked may not have heard of the failover yet; every live node agrees once the cluster is healthy.
            await Cluster.WaitUntilHealthyAsync();
            Assert.DoesNotContain(killed.Port, (await Cluster.PrimariesAsync()).Select(p => p.Port));
            AssertEveryInterviewFinishedWithEachDeliveryPostedOnce(platform);
        }
        finally
        {
            // The cluster is shared with the other tests of the class: whatever failed here, they get all six nodes back.
            if (killed is not null)
            {
                await Cluster.RestartAsync(killed);
            }
        }
    }

    [Fact]
    public async Task After_a_manual_failover_of_a_candidates_primary_mid_delivery_the_bot_carries_on_and_posts_no_feedback_twice()
    {
        RedisClusterNode? before = null;
        RedisClusterNode? after = null;

        var platform = await RunInterviewsAsync(async victimSession =>
        {
            before = await Cluster.PrimaryOwningAsync(victimSession);
            after = await Cluster.FailoverAsync(victimSession);
        });

        Assert.NotNull(after);
        Assert.NotEqual(before!.Port, after.Port);
        Assert.Equal(after.Port, (await Cluster.PrimaryOwningAsync(new RedisKeys(_prefix, 4).Session(Victim))).Port);
        AssertEveryInterviewFinishedWithEachDeliveryPostedOnce(platform);
    }

    private const string Victim = "c-3";

    /// <summary>
    /// Eight candidates answer whatever they are asked until their scorecard is posted, with one bot (service, worker,
    /// one connection) throughout. Right after the victim's second feedback is posted and recorded, before the
    /// worker acknowledges its job, <paramref name="disrupt"/> runs with the victim's session key.
    /// </summary>
    private async Task<LedgerOutput> RunInterviewsAsync(Func<string, Task> disrupt)
    {
        RedisSessionStore store;
        (_redis, store) = await RedisFixture.OpenStoreAsync(Cluster.Endpoints, _options, _time, _prefix);
        var ledger = new RedisDeliveryLedger(
            _redis,
            Microsoft.Extensions.Options.Options.Create(_options),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }),
            _time);
        var platform = new LedgerOutput(ledger, _time);
        var victimSession = new RedisKeys(_prefix, 4).Session(Victim);
        var disrupted = false;
        var output = new AfterDeliveryOutput(platform, async (candidate, deliveryKey) =>
        {
            if (candidate == Victim && deliveryKey.EndsWith(":2", StringComparison.Ordinal) && !disrupted)
            {
                disrupted = true;
                await disrupt(victimSession);
            }
        });
        var judge = new RubricJudge();
        var service = new InterviewService(_engine, store, judge, _time, JudgingMode.Queued);
        var worker = new JudgingWorker(_engine, store, store, judge, output, _time, NullLogger<JudgingWorker>.Instance);

        foreach (var candidate in Candidates)
        {
            await service.StartAsync(candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: Questions), 1, default);
        }

        // Each answer is one delivery (its feedback, then the next question, follow-up or scorecard).
        var started = TimeProvider.System.GetTimestamp();
        for (var round = 1; round <= 12 && Candidates.Any(c => !Finished(platform, c)); round++)
        {
            var answering = Candidates.Where(c => !Finished(platform, c)).ToList();
            foreach (var candidate in answering)
            {
                var number = Deliveries(platform, candidate) + 1;
                await UntilRedisAnswersAsync(
                    () => service.HandleAsync(candidate, new AnswerSubmitted(Answer), $"evt-{candidate}-{number}", default),
                    $"{candidate}'s answer {number} to be accepted");
            }

            await Poll.UntilAsync(
                async () =>
                {
                    await RunWorkerOnceAsync(worker);
                    return answering.All(c => Deliveries(platform, c) >= round);
                },
                $"the delivery for each answer of round {round}",
                TimeSpan.FromSeconds(60));
        }

        Assert.True(disrupted, "The victim's second feedback was never delivered, so nothing was disrupted.");
        report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Interviews of {Candidates.Length} candidates with the disruption mid-way finished in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s."));
        return platform;
    }

    private static void AssertEveryInterviewFinishedWithEachDeliveryPostedOnce(LedgerOutput platform)
    {
        Assert.All(platform.Platform.Delivered.GroupBy(d => d.Key), posted => Assert.Single(posted));
        Assert.All(Candidates, c => Assert.True(Finished(platform, c), $"{c} got no scorecard"));
        Assert.All(Candidates, c => Assert.Equal(Deliveries(platform, c), FeedbackCount(platform, c)));
    }

    [Fact]
    public async Task Writes_acknowledged_by_WAIT_1_survive_kill_9_of_their_primary()
    {
        _redis = await RedisFixture.ConnectAsync(Cluster.Endpoints);

        var unreplicated = await MeasureLossAsync($"{{{_prefix}:loss}}:without-wait", waitForReplica: false);
        var replicated = await MeasureLossAsync($"{{{_prefix}:loss}}:with-wait", waitForReplica: true);

        report.WriteLine($"Without WAIT: {unreplicated}.");
        report.WriteLine($"With WAIT 1: {replicated}.");
        Assert.Equal(0, replicated.Lost);
    }

    /// <summary>Writers in flight at once: a busy bot's connection, not one request at a time.</summary>
    private const int Writers = 32;

    private sealed record Loss(long Acknowledged, long Kept, TimeSpan Promotion, double PerSecond)
    {
        public long Lost => Math.Max(0, Acknowledged - Kept);

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture, $"{PerSecond:0} increments/s acknowledged; {Acknowledged} acknowledged, {Kept} on the promoted replica, {Lost} lost; replica promoted {Promotion.TotalSeconds:0.0} s after the kill");
    }

    /// <summary>
    /// Writers increment one counter as fast as they are answered while its primary is killed; the highest value
    /// any was answered with is what was acknowledged, and the promoted replica's value is what was kept.
    /// </summary>
    private async Task<Loss> MeasureLossAsync(string key, bool waitForReplica)
    {
        var db = _redis.GetDatabase();
        var primary = await Cluster.PrimaryOwningAsync(key);
        var server = _redis.GetServer(primary.Endpoint);
        long acknowledged = 0;
        var writing = TimeProvider.System.GetTimestamp();
        var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    var value = await db.StringIncrementAsync(key);
                    // WAIT covers the writes sent before it on this connection, which every writer shares.
                    if (waitForReplica && (long)await server.ExecuteAsync("WAIT", 1, 1000) < 1)
                    {
                        continue;
                    }

                    InterlockedMax(ref acknowledged, value);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    return;
                }
            }
        })).ToList();

        await Poll.UntilAsync(() => Volatile.Read(ref acknowledged) >= 500, "500 increments to be acknowledged before the kill", TimeSpan.FromSeconds(30));
        var perSecond = Volatile.Read(ref acknowledged) / TimeProvider.System.GetElapsedTime(writing).TotalSeconds;
        var killed = await Cluster.KillPrimaryOwningAsync(key);
        var killedAt = TimeProvider.System.GetTimestamp();
        await Task.WhenAll(writers);
        await Cluster.WaitForPromotionAsync(killed);
        var promotion = TimeProvider.System.GetElapsedTime(killedAt);
        var kept = await UntilRedisAnswersAsync(async () => (long)await db.StringGetAsync(key), "the promoted replica to answer for the counter");
        await Cluster.RestartAsync(killed);
        return new Loss(Volatile.Read(ref acknowledged), kept, promotion, perSecond);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var earlier = Interlocked.CompareExchange(ref target, value, seen);
            if (earlier == seen)
            {
                return;
            }

            seen = earlier;
        }
    }

    /// <summary>
    /// One worker pass; while the cluster is failing over it fails, as a worker's loop would, and the leases it
    /// held run out on the fake clock so the next pass takes those jobs again.
    /// </summary>
    private async Task RunWorkerOnceAsync(JudgingWorker worker)
    {
        try
        {
            await worker.RunOnceAsync("w1", 100, default);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _time.Advance(_options.ReclaimAfter + _options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>What a platform's retried event does while Redis fails over: the same request again until it is answered.</summary>
    internal static async Task<T> UntilRedisAnswersAsync<T>(Func<Task<T>> request, string what)
    {
        var answer = await Poll.ForAsync(
            async () =>
            {
                try
                {
                    return new Box<T>(await request());
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    return null;
                }
            },
            what,
            TimeSpan.FromSeconds(60));
        return answer.Value;
    }

    private sealed record Box<T>(T Value);

    private static int Deliveries(LedgerOutput platform, string candidate) =>
        platform.Platform.Delivered.Where(d => d.Candidate == candidate).Select(d => d.Key).Distinct(StringComparer.Ordinal).Count();

    private static bool Finished(LedgerOutput platform, string candidate) =>
        platform.Platform.Delivered.Any(d => d.Candidate == candidate && d.Actions.OfType<PostScorecard>().Any());

    private static int FeedbackCount(LedgerOutput platform, string candidate) =>
        platform.Platform.Delivered.Where(d => d.Candidate == candidate).SelectMany(d => d.Actions).OfType<PostFeedback>().Count();

    /// <summary>Delivers, then runs a step of the test's (killing a primary) before the worker hears back.</summary>
    private sealed class AfterDeliveryOutput(IInterviewOutput inner, Func<string, string, Task> after) : IInterviewOutput
    {
        public async Task DeliverAsync(string candidateId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
        {
            await inner.DeliverAsync(candidateId, actions, deliveryKey, cancellationToken);
            await after(candidateId, deliveryKey);
        }
    }
}
