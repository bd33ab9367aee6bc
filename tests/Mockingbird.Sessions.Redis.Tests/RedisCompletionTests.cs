using Microsoft.Extensions.Logging.Abstractions;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>
/// A running worker's completions, kept after the post to ride on the shard's next take or go together on a timer:
/// against a real server of the test's own (stopped and restarted on purpose), with the fake clock driving the timer.
/// Whatever happens to a kept completion, the feedback is posted once.
/// </summary>
public sealed class RedisCompletionTests : IAsyncLifetime
{
    private const string Answer = "Because the variance grows with dimension, the softmax would saturate and stall learning.";
    private const string Candidate = "c-1";
    private static readonly TimeSpan NoSweep = TimeSpan.FromHours(1);
    private readonly TimerWatchingClock _time = new();
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly InterviewEngine _engine = new(SampleQuestions.Bank());
    private readonly RecordingOutput _output = new();
    private readonly RubricJudge _judge = new();
    private readonly SessionStoreOptions _options = new()
    {
        ReclaimAfter = TimeSpan.FromMinutes(2),
        DeliveryLease = TimeSpan.FromMinutes(1),
    };

    private RedisServer _server = null!;
    private int _judged;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private RedisKeys Keys => new(_prefix, 4);

    private RedisKey Jobs => Keys.Jobs(Keys.ShardOf(Candidate));

    /// <summary>One host process: its own multiplexer, store, service and worker.</summary>
    private sealed record Host(ConnectionMultiplexer Redis, RedisSessionStore Store, InterviewService Service, JudgingWorker Worker) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Store.Dispose();
            await Redis.DisposeAsync();
        }
    }

    private async Task<Host> StartHostAsync(IInterviewOutput? output = null)
    {
        var (redis, store) = await RedisFixture.OpenStoreAsync(_server, _options, _time, _prefix);
        var judge = new CountingJudge(_judge, () => Interlocked.Increment(ref _judged));
        return new Host(
            redis,
            store,
            new InterviewService(_engine, store, judge, _time, JudgingMode.Queued),
            new JudgingWorker(_engine, store, store, judge, output ?? _output, _time, NullLogger<JudgingWorker>.Instance));
    }

    /// <summary>Starts the host's running worker and waits until it listens (it has set its sweep's timer).</summary>
    private async Task<Task> RunWorkerAsync(Host host, CancellationToken stop)
    {
        var running = host.Worker.RunAsync("w1", maxInFlight: 4, NoSweep, stop);
        await _time.WaitForTimerAsync(NoSweep);
        return running;
    }

    private static async Task AnswerAndWaitForFeedbackAsync(Host host, RecordingOutput platform, int answers)
    {
        await host.Service.HandleAsync(Candidate, new AnswerSubmitted(Answer), $"evt-{answers}", default);
        await Poll.UntilAsync(() => platform.Feedback.Count() == answers, $"feedback on answer {answers}");
        await Poll.UntilAsync(() => host.Store.CompletionsWaiting == 1, "the posted job's completion kept");
    }

    private static async Task<bool> SessionHoldsADeliveryAsync(IDatabase db, string key) =>
        (await db.HashKeysAsync(key)).Any(field => ((string)field!).StartsWith("d:", StringComparison.Ordinal));

    [Fact]
    public async Task A_posted_jobs_completion_rides_on_the_next_take_of_its_shard_without_a_round_trip_of_its_own()
    {
        await using var host = await StartHostAsync();
        var db = host.Redis.GetDatabase();
        using var stop = new CancellationTokenSource();
        var running = await RunWorkerAsync(host, stop.Token);
        await host.Service.StartAsync(Candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3), 1, default);

        await AnswerAndWaitForFeedbackAsync(host, _output, answers: 1);
        var first = Assert.Single(await db.StreamRangeAsync(Jobs));
        Assert.True(await SessionHoldsADeliveryAsync(db, Keys.Session(Candidate)), "the first feedback's delivery is kept until its completion is sent");
        await AnswerAndWaitForFeedbackAsync(host, _output, answers: 2);

        // The clock has not moved, so no timer sent the first completion: the second answer's take carried it.
        var left = Assert.Single(await db.StreamRangeAsync(Jobs));
        Assert.NotEqual(first.Id, left.Id);
        Assert.Equal(1, (await db.StreamPendingAsync(Jobs, "judges")).PendingMessageCount);
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");
        Assert.Equal(2, _output.Feedback.Count());
    }

    [Fact]
    public async Task A_kept_completion_with_no_answer_to_ride_on_rides_on_the_next_sweep()
    {
        var sweep = TimeSpan.FromSeconds(1);
        Assert.True(sweep < RedisSessionStore.CompletionsWaitAtMost);
        await using var host = await StartHostAsync();
        var db = host.Redis.GetDatabase();
        using var stop = new CancellationTokenSource();
        var running = host.Worker.RunAsync("w1", maxInFlight: 4, sweep, stop.Token);
        await _time.WaitForTimerAsync(sweep);
        await host.Service.StartAsync(Candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3), 1, default);
        await AnswerAndWaitForFeedbackAsync(host, _output, answers: 1);

        _time.Advance(sweep);

        await Poll.UntilAsync(async () => host.Store.CompletionsWaiting == 0 && await db.StreamLengthAsync(Jobs) == 0, "the sweep carries the completion");
        Assert.False(await SessionHoldsADeliveryAsync(db, Keys.Session(Candidate)), "the posted delivery is dropped");
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");
    }

    [Fact]
    public async Task A_kept_completion_with_no_take_to_ride_on_is_sent_by_its_timer()
    {
        await using var host = await StartHostAsync();
        var db = host.Redis.GetDatabase();
        using var stop = new CancellationTokenSource();
        var running = await RunWorkerAsync(host, stop.Token);
        await host.Service.StartAsync(Candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3), 1, default);
        await AnswerAndWaitForFeedbackAsync(host, _output, answers: 1);

        await _time.WaitForTimerAsync(RedisSessionStore.CompletionsWaitAtMost);
        _time.Advance(RedisSessionStore.CompletionsWaitAtMost);

        await Poll.UntilAsync(async () => host.Store.CompletionsWaiting == 0 && await db.StreamLengthAsync(Jobs) == 0, "the timer sends the completion");
        Assert.Equal(0, (await db.StreamPendingAsync(Jobs, "judges")).PendingMessageCount);
        Assert.False(await SessionHoldsADeliveryAsync(db, Keys.Session(Candidate)), "the posted delivery is dropped");
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");
    }

    [Fact]
    public async Task Completions_that_cannot_be_sent_while_redis_is_down_are_kept_sent_once_it_is_back_and_the_feedback_is_posted_once()
    {
        await using var host = await StartHostAsync();
        var db = host.Redis.GetDatabase();
        using var stop = new CancellationTokenSource();
        var running = await RunWorkerAsync(host, stop.Token);
        await host.Service.StartAsync(Candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3), 1, default);
        await AnswerAndWaitForFeedbackAsync(host, _output, answers: 1);
        await _time.WaitForTimerAsync(RedisSessionStore.CompletionsWaitAtMost);

        await _server.StopAsync();
        _time.Advance(RedisSessionStore.CompletionsWaitAtMost);
        await _time.WaitForTimerAsync(RedisSessionStore.CompletionsRetryAfter);
        Assert.Equal(1, host.Store.CompletionsWaiting);

        await _server.RestartAsync();
        await Poll.UntilAsync(
            async () => host.Store.CompletionsWaiting == 0 && host.Redis.IsConnected && await db.StreamLengthAsync(Jobs) == 0,
            "the kept completion sent once Redis is back",
            TimeSpan.FromSeconds(30),
            between: () => _time.Advance(RedisSessionStore.CompletionsRetryAfter));
        Assert.False(await SessionHoldsADeliveryAsync(db, Keys.Session(Candidate)), "the posted delivery is dropped");

        _time.Advance(_options.ReclaimAfter + _options.DeliveryLease);
        Assert.Empty(await host.Store.TakeAsync("w2", 10, default));
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");
        Assert.Single(_output.Feedback);
        Assert.Equal(1, _judged);
    }

    [Fact]
    public async Task A_process_that_dies_before_sending_its_completion_leaves_a_repeat_of_the_post_that_the_ledger_drops()
    {
        await using var survivor = await StartHostAsync();
        var ledger = new RedisDeliveryLedger(
            survivor.Redis,
            Microsoft.Extensions.Options.Options.Create(_options),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }),
            _time);
        var output = new LedgerOutput(ledger, _time);
        var dying = await StartHostAsync(output);
        using var stop = new CancellationTokenSource();
        var running = await RunWorkerAsync(dying, stop.Token);
        await dying.Service.StartAsync(Candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3), 1, default);
        await AnswerAndWaitForFeedbackAsync(dying, output.Platform, answers: 1);

        // The process dies: its connection goes before it can send what it kept.
        await dying.Redis.CloseAsync(allowCommandsToComplete: false);
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");
        Assert.Equal(1, dying.Store.CompletionsWaiting);
        var db = survivor.Redis.GetDatabase();
        Assert.Equal(1, (await db.StreamPendingAsync(Jobs, "judges")).PendingMessageCount);

        // The next worker's sweeps lease the job, then take it back once the lease has run out.
        var next = new JudgingWorker(_engine, survivor.Store, survivor.Store, new CountingJudge(_judge, () => Interlocked.Increment(ref _judged)), output, _time, NullLogger<JudgingWorker>.Instance);
        Assert.Equal(0, await next.RunOnceAsync("w2", 10, default));
        _time.Advance(_options.ReclaimAfter + _options.DeliveryLease);
        Assert.Equal(1, await next.RunOnceAsync("w2", 10, default));

        Assert.Single(output.Platform.Feedback);
        Assert.Equal(1, _judged);
        Assert.Equal(0, await db.StreamLengthAsync(Jobs));
        Assert.Equal(0, (await db.StreamPendingAsync(Jobs, "judges")).PendingMessageCount);
        await dying.DisposeAsync();
    }

    [Fact]
    public async Task A_worker_that_stops_sends_the_completions_it_kept_so_no_job_comes_back()
    {
        await using var host = await StartHostAsync();
        var db = host.Redis.GetDatabase();
        using var stop = new CancellationTokenSource();
        var running = await RunWorkerAsync(host, stop.Token);
        await host.Service.StartAsync(Candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3), 1, default);
        await AnswerAndWaitForFeedbackAsync(host, _output, answers: 1);
        Assert.Equal(1, await db.StreamLengthAsync(Jobs));

        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");

        Assert.Equal(0, host.Store.CompletionsWaiting);
        Assert.Equal(0, await db.StreamLengthAsync(Jobs));
        Assert.Equal(0, (await db.StreamPendingAsync(Jobs, "judges")).PendingMessageCount);
        Assert.False(await SessionHoldsADeliveryAsync(db, Keys.Session(Candidate)), "the posted delivery is dropped");
        _time.Advance(_options.ReclaimAfter + _options.DeliveryLease);
        Assert.Empty(await host.Store.TakeAsync("w2", 10, default));
        Assert.Single(_output.Feedback);
    }

    /// <summary>The rubric judge, counting its calls: an answer judged twice would show.</summary>
    private sealed class CountingJudge(RubricJudge inner, Action judged) : IAnswerJudge
    {
        public async Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
        {
            judged();
            return await inner.JudgeAsync(request, cancellationToken);
        }
    }
}
