using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Interview.Tests;

/// <summary>The running worker when the queue cannot announce jobs, cannot be told a job's outcome, or the judge times out.</summary>
public sealed class JudgingWorkerRunTests
{
    private const string AcceptedAnswer = "Because the variance grows with dimension, the softmax would saturate and stall learning.";
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(10);

    private readonly TimerWatchingClock _time = new();
    private readonly RecordingLogger<JudgingWorker> _log = new();
    private readonly RecordingOutput _output = new();
    private readonly InterviewEngine _engine = new(SampleQuestions.Bank());

    [Fact]
    public async Task A_worker_that_cannot_listen_for_announced_jobs_sweeps_once_per_sweep_interval_instead_of_in_a_loop()
    {
        var started = _time.GetUtcNow();
        var takes = new ConcurrentQueue<DateTimeOffset>();
        var queue = new Mock<IJudgingQueue>();
        queue.Setup(q => q.JobsQueuedAsync(It.IsAny<CancellationToken>())).Returns(() => Task.FromException(new IOException("NOPERM this user has no permissions to access one of the channels")));
        queue.Setup(q => q.TakeAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                takes.Enqueue(_time.GetUtcNow());
                return [];
            });
        var worker = Worker(Mock.Of<ISessionStore>(), queue.Object, new RubricJudge());
        using var stop = new CancellationTokenSource();

        var running = worker.RunAsync("w1", maxInFlight: 4, Sweep, stop.Token);
        await _time.WaitForTimerAsync(Sweep);
        await Poll.UntilAsync(() => Logged("NotListening") > 0, "the worker to log that it cannot hear announced jobs");
        var beforeAdvancing = takes.ToArray();
        _time.Advance(Sweep);
        await _time.WaitForTimerAsync(Sweep);
        var afterOneInterval = takes.ToArray();
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");

        Assert.Equal([started], beforeAdvancing);
        Assert.Equal([started, started + Sweep], afterOneInterval);
        queue.Verify(q => q.TakeQueuedAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_job_whose_store_failed_is_run_again_by_its_worker_one_sweep_later_without_spending_an_attempt_and_its_feedback_posted_once()
    {
        var inner = new InMemorySessionStore(Options.Create(new SessionStoreOptions()), _time);
        var away = new StoreAndQueueAway(inner) { WritesToFail = 1 };
        await StartAndAnswerAsync(inner);
        var worker = Worker(away, away, new RubricJudge());
        var (feedbackBeforeTheSecondRun, writesBeforeTheSecondRun) = await RunThroughOneRunAgainAsync(worker, away);

        Assert.Equal((0, 1, 0), (feedbackBeforeTheSecondRun, writesBeforeTheSecondRun, away.FailuresTold));
        Assert.Equal(1, Logged("RunningAgain"));
        Assert.Single(_output.Feedback);
        Assert.Equal(SessionPhase.AwaitingAnswer, (await inner.FindActiveAsync("c-1", default))!.Session.Phase);
        Assert.Empty(await inner.TakeAsync("w2", 10, default));
    }

    [Fact]
    public async Task A_job_whose_judge_failed_while_the_queue_could_not_be_told_is_run_again_by_its_worker_one_sweep_later_and_its_feedback_posted_once()
    {
        var inner = new InMemorySessionStore(Options.Create(new SessionStoreOptions()), _time);
        var away = new StoreAndQueueAway(inner) { FailuresToFail = 1 };
        await StartAndAnswerAsync(inner);
        var judge = new Mock<IAnswerJudge>();
        var judged = 0;
        judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()))
            .Returns((JudgeRequest r, CancellationToken _) => Interlocked.Increment(ref judged) == 1
                ? Task.FromException<Feedback>(new HttpRequestException("The LLM is away."))
                : Task.FromResult(RubricJudge.Judge(r)));
        var worker = Worker(away, away, judge.Object);
        var (feedbackBeforeTheSecondRun, writesBeforeTheSecondRun) = await RunThroughOneRunAgainAsync(worker, away);

        Assert.Equal((0, 0, 1), (feedbackBeforeTheSecondRun, writesBeforeTheSecondRun, away.FailuresTold));
        Assert.Equal(1, Logged("RunningAgain"));
        Assert.Single(_output.Feedback);
        Assert.Equal(SessionPhase.AwaitingAnswer, (await inner.FindActiveAsync("c-1", default))!.Session.Phase);
        Assert.Empty(await inner.TakeAsync("w2", 10, default));
    }

    [Fact]
    public async Task A_judge_timing_out_with_a_task_cancelled_while_the_worker_runs_on_fails_the_job_on_the_queue_and_keeps_the_answer()
    {
        var inner = new InMemorySessionStore(Options.Create(new SessionStoreOptions()), _time);
        var queue = new StoreAndQueueAway(inner);
        await StartAndAnswerAsync(inner);
        var judge = new Mock<IAnswerJudge>();
        judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout."));
        var job = Assert.Single(await inner.TakeAsync("w1", 10, default));
        using var running = new CancellationTokenSource();

        await Worker(inner, queue, judge.Object).ProcessAsync(job, running.Token);

        var reason = Assert.Single(queue.FailReasons);
        Assert.StartsWith(nameof(TaskCanceledException), reason, StringComparison.Ordinal);
        Assert.Equal(1, Logged("JobFailed"));
        Assert.Empty(_output.Delivered);
        var session = (await inner.FindActiveAsync("c-1", default))!.Session;
        Assert.Equal((SessionPhase.Judging, AcceptedAnswer), (session.Phase, session.PendingTurn?.Answer));
    }

    [Fact]
    public async Task A_running_worker_leaves_posted_jobs_for_the_queue_to_complete_later_and_has_them_sent_as_it_stops()
    {
        var inner = new InMemorySessionStore(Options.Create(new SessionStoreOptions()), _time);
        var queue = new StoreAndQueueAway(inner) { KeepCompletions = true };
        await StartAndAnswerAsync(inner);
        using var stop = new CancellationTokenSource();

        var running = Worker(queue, queue, new RubricJudge()).RunAsync("w1", maxInFlight: 4, Sweep, stop.Token);
        await Poll.UntilAsync(() => queue.CompletionsKept == 1, "the posted job's completion kept by the queue");
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");

        Assert.Equal(0, queue.CompletionsKept);
        Assert.Single(_output.Feedback);
        _time.Advance(new SessionStoreOptions().ReclaimAfter + Sweep);
        Assert.Empty(await inner.TakeAsync("w2", 10, default));
    }

    [Fact]
    public async Task A_worker_whose_kept_completions_cannot_be_sent_as_it_stops_says_so_and_stops()
    {
        var inner = new InMemorySessionStore(Options.Create(new SessionStoreOptions()), _time);
        var queue = new StoreAndQueueAway(inner) { KeepCompletions = true, FlushesToFail = 1 };
        await StartAndAnswerAsync(inner);
        using var stop = new CancellationTokenSource();

        var running = Worker(queue, queue, new RubricJudge()).RunAsync("w1", maxInFlight: 4, Sweep, stop.Token);
        await Poll.UntilAsync(() => queue.CompletionsKept == 1, "the posted job's completion kept by the queue");
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");

        Assert.Equal(1, Logged("CompletionsLeft"));
        Assert.Equal(1, queue.CompletionsKept);
        Assert.Single(_output.Feedback);
    }

    [Fact]
    public async Task A_stopping_worker_that_cannot_hand_its_unfinished_job_back_says_so_and_the_job_comes_back_after_the_reclaim_timeout_posted_once()
    {
        var inner = new InMemorySessionStore(Options.Create(new SessionStoreOptions()), _time);
        var queue = new StoreAndQueueAway(inner) { ReleasesToFail = 1 };
        await StartAndAnswerAsync(inner);
        var judging = 0;
        var judge = new Mock<IAnswerJudge>();
        judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (JudgeRequest r, CancellationToken ct) =>
            {
                Interlocked.Increment(ref judging);
                await new TaskCompletionSource().Task.WaitAsync(ct);
                return RubricJudge.Judge(r);
            });
        using var stop = new CancellationTokenSource();

        var running = Worker(queue, queue, judge.Object).RunAsync("w1", maxInFlight: 4, Sweep, stop.Token);
        await Poll.UntilAsync(() => Volatile.Read(ref judging) == 1, "the answer is being judged");
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");

        Assert.Equal(1, Logged("NotHandedBack"));
        Assert.Empty(await inner.TakeAsync("w2", 10, default));
        _time.Advance(new SessionStoreOptions().ReclaimAfter);
        await Worker(inner, inner, new RubricJudge()).RunOnceAsync("w2", 10, default);
        Assert.Single(_output.Feedback);
    }

    /// <summary>
    /// Runs the worker with one place until the job has been run again and posted, then lets a reclaim pass; returns
    /// the feedback posted and writes made before the second run.
    /// </summary>
    private async Task<(int Feedback, int Writes)> RunThroughOneRunAgainAsync(JudgingWorker worker, StoreAndQueueAway away)
    {
        using var stop = new CancellationTokenSource();

        // One place: the taking loop waits on it, so the only timer set is the job's wait to run again.
        var running = worker.RunAsync("w1", maxInFlight: 1, Sweep, stop.Token);
        await _time.WaitForTimerAsync(Sweep);
        var before = (_output.Feedback.Count(), away.Writes);
        _time.Advance(Sweep);
        await Poll.UntilAsync(() => _output.Feedback.Any(), "the job run again to post its feedback");
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");
        _time.Advance(new SessionStoreOptions().ReclaimAfter + Sweep);
        return before;
    }

    private async Task StartAndAnswerAsync(ISessionStore store)
    {
        var service = new InterviewService(_engine, store, new RubricJudge(), _time, JudgingMode.Queued);
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, default);
        var actions = await service.HandleAsync("c-1", new AnswerSubmitted(AcceptedAnswer), "evt-answer-1", default);
        Assert.IsType<AcknowledgeAnswer>(Assert.Single(actions));
    }

    private JudgingWorker Worker(ISessionStore store, IJudgingQueue queue, IAnswerJudge judge) =>
        new(_engine, store, queue, judge, _output, _time, _log);

    private int Logged(string eventName) => _log.Entries.Count(e => e.EventId.Name == eventName);

    /// <summary>
    /// The in-memory store and queue, whose next writes and next failure reports can be made to throw, as when Redis
    /// fails over under a worker.
    /// </summary>
    private sealed class StoreAndQueueAway(InMemorySessionStore inner) : ISessionStore, IJudgingQueue
    {
        private readonly ConcurrentQueue<string> _failReasons = new();
        private int _writes;

        public int WritesToFail { get; set; }

        public int FailuresToFail { get; set; }

        public int Writes => Volatile.Read(ref _writes);

        /// <summary>Keep completions asked for later until flushed, as a queue that batches them does.</summary>
        public bool KeepCompletions { get; init; }

        public int FlushesToFail { get; set; }

        public int CompletionsKept => _kept.Count;

        private readonly ConcurrentQueue<QueuedJudgement> _kept = new();

        public Task CompleteLaterAsync(QueuedJudgement judgement, CancellationToken cancellationToken)
        {
            if (!KeepCompletions)
            {
                return inner.CompleteAsync(judgement, cancellationToken);
            }

            _kept.Enqueue(judgement);
            return Task.CompletedTask;
        }

        public async Task FlushCompletionsAsync(CancellationToken cancellationToken)
        {
            if (FlushesToFail-- > 0)
            {
                throw new IOException("The queue is away.");
            }

            while (_kept.TryDequeue(out var judgement))
            {
                await inner.CompleteAsync(judgement, cancellationToken);
            }
        }

        public int ReleasesToFail { get; set; }

        public Task<int> ReleaseAsync(IReadOnlyList<QueuedJudgement> judgements, CancellationToken cancellationToken) =>
            ReleasesToFail-- > 0 ? throw new IOException("The queue is away.") : inner.ReleaseAsync(judgements, cancellationToken);

        /// <summary>Failures reported to the queue, whether or not it could be told.</summary>
        public int FailuresTold => _failReasons.Count;

        public IReadOnlyList<string> FailReasons => [.. _failReasons];

        public Task<WriteResult> WriteAsync(SessionWrite write, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _writes);
            return WritesToFail-- > 0 ? Task.FromException<WriteResult>(new IOException("The store is failing over.")) : inner.WriteAsync(write, cancellationToken);
        }

        public Task<bool> FailAsync(QueuedJudgement judgement, string reason, CancellationToken cancellationToken)
        {
            _failReasons.Enqueue(reason);
            return FailuresToFail-- > 0 ? Task.FromException<bool>(new IOException("The queue is failing over.")) : inner.FailAsync(judgement, reason, cancellationToken);
        }

        public Task<VersionedSession?> FindActiveAsync(string candidateId, CancellationToken cancellationToken) => inner.FindActiveAsync(candidateId, cancellationToken);

        public Task<bool> DiscardActiveAsync(string candidateId, CancellationToken cancellationToken) => inner.DiscardActiveAsync(candidateId, cancellationToken);

        public Task<IReadOnlySet<string>> SeenQuestionsAsync(string candidateId, CancellationToken cancellationToken) => inner.SeenQuestionsAsync(candidateId, cancellationToken);

        public Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string candidateId, CancellationToken cancellationToken) => inner.HistoryAsync(candidateId, cancellationToken);

        public Task<DeliveryClaim> ClaimDeliveryAsync(string candidateId, string deliveryKey, CancellationToken cancellationToken) => inner.ClaimDeliveryAsync(candidateId, deliveryKey, cancellationToken);

        public Task<ForgetReport> ForgetAsync(string candidateId, CancellationToken cancellationToken) => inner.ForgetAsync(candidateId, cancellationToken);

        public Task<IReadOnlyList<QueuedJudgement>> TakeAsync(string worker, int max, CancellationToken cancellationToken) => inner.TakeAsync(worker, max, cancellationToken);

        public Task JobsQueuedAsync(CancellationToken cancellationToken) => inner.JobsQueuedAsync(cancellationToken);

        public Task<IReadOnlyList<QueuedJudgement>> TakeQueuedAsync(string worker, int max, CancellationToken cancellationToken) => inner.TakeQueuedAsync(worker, max, cancellationToken);

        public Task CompleteAsync(QueuedJudgement judgement, CancellationToken cancellationToken) => inner.CompleteAsync(judgement, cancellationToken);

        public Task<bool> HeldAsync(QueuedJudgement judgement, string heldPart, string reason, CancellationToken cancellationToken) => inner.HeldAsync(judgement, heldPart, reason, cancellationToken);
    }
}
