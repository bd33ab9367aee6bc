using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Moq;
using Xunit;

namespace Mockingbird.Testing;

/// <summary>
/// The queued path from an accepted answer to its posted feedback, against a store: workers that die, jobs that run
/// twice, judges that fail. In every case no accepted answer is lost and no feedback is posted twice.
/// </summary>
public abstract class JudgingPipelineContract : IAsyncLifetime
{
    private const string AcceptedAnswer = "Because the variance grows with dimension, the softmax would saturate and stall learning.";

    protected TimerWatchingClock Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    protected SessionStoreOptions Options { get; } = new()
    {
        // Every store decides these by the fake clock, which the tests move past them.
        ReclaimAfter = TimeSpan.FromMilliseconds(600),
        DeliveryLease = TimeSpan.FromMilliseconds(600),
        MaxAttempts = 2,
    };

    protected ISessionStore Store { get; private set; } = null!;

    protected IJudgingQueue Queue { get; private set; } = null!;

    protected RecordingOutput Output { get; } = new();

    protected Mock<IAnswerJudge> Judge { get; } = new();

    protected InterviewEngine Engine { get; } = new(SampleQuestions.Bank());

    protected InterviewService Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (Store, Queue) = await CreateAsync(Options, Time);
        Service = new InterviewService(Engine, Store, Judge.Object, Time, JudgingMode.Queued);
        Judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((JudgeRequest r, CancellationToken _) => Judging.Rubric.RubricJudge.Judge(r));
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<(ISessionStore Store, IJudgingQueue Queue)> CreateAsync(SessionStoreOptions options, FakeTimeProvider time);

    /// <summary>A delivery ledger on the same server as the store, with the same options.</summary>
    protected abstract Task<IDeliveryLedger> CreateLedgerAsync(SessionStoreOptions options, FakeTimeProvider time);

    /// <summary>Runs the worker, then lets a reclaim and a delivery lease pass, <paramref name="times"/> times.</summary>
    private async Task RunThroughReclaimsAsync(int times)
    {
        for (var run = 0; run < times; run++)
        {
            await Worker().RunOnceAsync("w1", 10, default);
            Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        }
    }

    protected JudgingWorker Worker(IFollowUpWriter? interviewer = null, IInterviewOutput? output = null) =>
        new(Engine, Store, Queue, Judge.Object, output ?? Output, Time, NullLogger<JudgingWorker>.Instance, interviewer);

    protected async Task StartAndAnswerAsync(string candidate = "c-1", int questions = 2)
    {
        await Service.StartAsync(candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: questions), 1, eventId: null, _ => Task.FromResult($"thread-{candidate}"), default);
        var actions = await Service.HandleAsync(candidate, new AnswerSubmitted(AcceptedAnswer), "evt-answer-1", default);
        Assert.IsType<AcknowledgeAnswer>(Assert.Single(actions));
    }

    /// <summary>
    /// A running worker takes an answer; once its judge has been called (<paramref name="judgeCalls"/> reads 1) the
    /// worker is told to stop, and its drain, a third of the reclaim timeout, runs out with the answer still judged.
    /// </summary>
    private async Task StopWorkerWhileJudgingUntilItsDrainEndsAsync(Func<int> judgeCalls)
    {
        var sweep = TimeSpan.FromHours(1);
        var drain = Options.ReclaimAfter / 3;
        using var stop = new CancellationTokenSource();
        var running = Worker().RunAsync("w1", maxInFlight: 4, sweep, drain, stop.Token);
        await Time.WaitForTimerAsync(sweep);
        await StartAndAnswerAsync();
        await Poll.UntilAsync(() => judgeCalls() == 1, "the answer is being judged");

        await stop.CancelAsync();
        await Time.WaitForTimerAsync(drain);
        Time.Advance(drain);
        await Poll.EndsAsync(running, "the stopped worker");
    }

    [Fact]
    public async Task A_running_worker_takes_an_answer_as_soon_as_it_is_queued_with_the_clock_standing_still()
    {
        var sweep = TimeSpan.FromHours(1);
        using var stop = new CancellationTokenSource();
        var running = Worker().RunAsync("w1", maxInFlight: 4, sweep, stop.Token);
        await Time.WaitForTimerAsync(sweep);

        await StartAndAnswerAsync();
        await Poll.UntilAsync(() => Output.Feedback.Any(), "the running worker posts the feedback without its sweep");
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");

        Assert.Single(Output.Feedback);
    }

    [Fact]
    public async Task A_wait_for_queued_jobs_that_is_cancelled_ends_cancelled_and_the_next_wait_still_hears_of_a_job_queued_after_it()
    {
        // Listening, with everything announced so far taken, so that the next wait blocks.
        await StartAndAnswerAsync("c-0");
        await Queue.JobsQueuedAsync(default);
        Assert.Single(await Queue.TakeQueuedAsync("w1", 10, default));
        using var cancel = new CancellationTokenSource();
        var cancelled = Queue.JobsQueuedAsync(cancel.Token);
        Assert.False(cancelled.IsCompleted);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True(cancelled.IsCanceled);

        var next = Queue.JobsQueuedAsync(default);
        await StartAndAnswerAsync();
        await Poll.UntilAsync(() => next.IsCompleted, "the wait after the cancelled one ends when the answer is queued");
        Assert.True(next.IsCompletedSuccessfully);
        Assert.Single(await Queue.TakeQueuedAsync("w1", 10, default));
    }

    [Fact]
    public async Task A_running_worker_judges_at_most_its_places_at_once_and_a_freed_place_takes_the_next_answer_without_waiting_for_the_others()
    {
        var gates = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource>(StringComparer.Ordinal);
        var judging = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (JudgeRequest r, CancellationToken _) =>
            {
                judging.Enqueue(r.CandidateId!);
                await gates.GetOrAdd(r.CandidateId!, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                return Judging.Rubric.RubricJudge.Judge(r);
            });
        foreach (var candidate in new[] { "c-1", "c-2", "c-3" })
        {
            await StartAndAnswerAsync(candidate);
        }

        using var stop = new CancellationTokenSource();
        var running = Worker().RunAsync("w1", maxInFlight: 2, TimeSpan.FromHours(1), stop.Token);
        await Poll.UntilAsync(() => judging.Count == 2, "two answers are being judged");
        var first = judging.ToArray();
        gates.GetOrAdd(first[0], _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        await Poll.UntilAsync(() => judging.Count == 3, "the freed place takes the third answer while the second is still judged");
        var third = judging.ToArray()[2];
        foreach (var gate in new[] { first[1], third })
        {
            gates.GetOrAdd(gate, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        }

        await Poll.UntilAsync(() => Output.Feedback.Count() == 3, "every answer's feedback is posted");
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");

        Assert.Equal(3, judging.Distinct().Count());
        Assert.DoesNotContain(third, first);
    }

    [Fact]
    public async Task A_running_worker_that_stops_right_after_posting_leaves_no_job_to_come_back_and_post_again()
    {
        var sweep = TimeSpan.FromHours(1);
        using var stop = new CancellationTokenSource();
        var running = Worker().RunAsync("w1", maxInFlight: 4, sweep, stop.Token);
        await Time.WaitForTimerAsync(sweep);
        await StartAndAnswerAsync();
        await Poll.UntilAsync(() => Output.Feedback.Any(), "the running worker posts the feedback");

        // Stopping with the clock standing still: a completion the queue kept to send later is sent now.
        await stop.CancelAsync();
        await Poll.EndsAsync(running, "the stopped worker");
        Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));

        Assert.Empty(await Queue.TakeAsync("w2", 10, default));
        var leftover = await Store.ClaimDeliveryAsync("c-1", Assert.Single(Output.Delivered).Key, default);
        Assert.Null(leftover.Delivery);
        Assert.Single(Output.Feedback);
    }

    [Fact]
    public async Task A_worker_told_to_stop_finishes_the_answer_it_is_judging_within_its_drain_and_posts_its_feedback_once()
    {
        var judged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var judging = 0;
        Judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (JudgeRequest r, CancellationToken ct) =>
            {
                Interlocked.Increment(ref judging);
                await judged.Task.WaitAsync(ct);
                return Judging.Rubric.RubricJudge.Judge(r);
            });
        var sweep = TimeSpan.FromHours(1);
        var drain = TimeSpan.FromSeconds(7);
        using var stop = new CancellationTokenSource();
        var running = Worker().RunAsync("w1", maxInFlight: 4, sweep, drain, stop.Token);
        await Time.WaitForTimerAsync(sweep);
        await StartAndAnswerAsync();
        await Poll.UntilAsync(() => Volatile.Read(ref judging) == 1, "the answer is being judged");

        await stop.CancelAsync();
        await Time.WaitForTimerAsync(drain);
        Assert.False(running.IsCompleted, "the stopping worker waits for the answer it is judging");
        judged.SetResult();
        await Poll.EndsAsync(running, "the stopped worker");

        Assert.Single(Output.Feedback);
        Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        Assert.Empty(await Queue.TakeAsync("w2", 10, default));
        Assert.Equal(1, judging);
    }

    [Fact]
    public async Task An_answer_still_judged_when_the_drain_ends_is_handed_back_and_the_next_sweep_takes_it_before_the_reclaim_timeout()
    {
        var judging = 0;
        Judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (JudgeRequest r, CancellationToken ct) =>
            {
                if (Interlocked.Increment(ref judging) == 1)
                {
                    await new TaskCompletionSource().Task.WaitAsync(ct);
                }

                return Judging.Rubric.RubricJudge.Judge(r);
            });
        await StopWorkerWhileJudgingUntilItsDrainEndsAsync(() => Volatile.Read(ref judging));
        Assert.Empty(Output.Feedback);

        // Well inside the reclaim timeout of the stopped worker's take.
        Assert.Equal(1, await Worker().RunOnceAsync("w2", 10, default));
        Assert.Single(Output.Feedback);
        Assert.Equal(2, judging);
    }

    [Fact]
    public async Task An_answer_handed_back_by_a_stopping_worker_keeps_its_retry_when_its_judge_then_fails_once()
    {
        var calls = 0;
        Judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (JudgeRequest r, CancellationToken ct) =>
            {
                switch (Interlocked.Increment(ref calls))
                {
                    case 1:
                        await new TaskCompletionSource().Task.WaitAsync(ct);
                        break;
                    case 2:
                        throw new HttpRequestException("the LLM is away for a moment");
                }

                return Judging.Rubric.RubricJudge.Judge(r);
            });
        await StopWorkerWhileJudgingUntilItsDrainEndsAsync(() => Volatile.Read(ref calls));

        // Options.MaxAttempts is 2: had the hand-back spent one, this failure would dead-letter the answer.
        Assert.Equal(1, await Worker().RunOnceAsync("w2", 10, default));
        Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, await Worker().RunOnceAsync("w3", 10, default));

        Assert.Equal(3, calls);
        Assert.Single(Output.Feedback);
        Assert.DoesNotContain(Output.Delivered, delivery => delivery.Actions.OfType<PostNotice>().Any());
    }

    [Fact]
    public async Task Jobs_handed_back_again_and_again_are_taken_as_the_same_attempt()
    {
        await StartAndAnswerAsync();
        var job = Assert.Single(await Queue.TakeAsync("w1", 10, default));
        foreach (var next in new[] { "w2", "w3" })
        {
            Assert.Equal(1, await Queue.ReleaseAsync([job], default));
            job = Assert.Single(await Queue.TakeAsync(next, 10, default));
        }

        Assert.Equal(1, job.Attempt);
        Assert.False(await Queue.FailAsync(job, "the LLM is away for a moment", default), "a failure after hand-backs is its first");
    }

    [Fact]
    public async Task A_stopping_worker_hands_back_only_jobs_it_still_holds_and_leaves_one_another_worker_took_back()
    {
        await StartAndAnswerAsync();
        var stale = Assert.Single(await Queue.TakeAsync("w1", 10, default));
        Time.Advance(Options.ReclaimAfter + TimeSpan.FromMilliseconds(200));
        Assert.Equal("w2", Assert.Single(await Queue.TakeAsync("w2", 10, default)).Worker);

        Assert.Equal(0, await Queue.ReleaseAsync([stale], default));

        Assert.Empty(await Queue.TakeAsync("w3", 10, default));
    }

    [Fact]
    public async Task An_accepted_answer_is_judged_by_a_worker_and_its_feedback_and_next_question_posted_once()
    {
        await StartAndAnswerAsync();

        Assert.Equal(1, await Worker().RunOnceAsync("w1", 10, default));

        var delivery = Assert.Single(Output.Delivered);
        Assert.Equal("thread-c-1", delivery.Place);
        Assert.IsType<PostFeedback>(delivery.Actions[0]);
        Assert.Equal(2, Assert.IsType<PostQuestion>(delivery.Actions[1]).Number);
        Assert.Equal(0, await Worker().RunOnceAsync("w1", 10, default));
    }

    [Fact]
    public async Task Feedback_for_an_interview_moved_after_the_answer_was_taken_is_delivered_at_its_new_place()
    {
        await StartAndAnswerAsync();

        Assert.True(await Service.MoveAsync("c-1", "thread-moved", default));
        await Worker().RunOnceAsync("w1", 10, default);

        Assert.Equal("thread-moved", Assert.Single(Output.Delivered).Place);
        Assert.Equal("thread-moved", (await Store.FindActiveAsync("c-1", default))!.Session.Place);
    }

    [Fact]
    public async Task The_same_answer_event_delivered_twice_is_judged_and_posted_once()
    {
        await StartAndAnswerAsync();

        var again = await Service.HandleAsync("c-1", new AnswerSubmitted(AcceptedAnswer), "evt-answer-1", default);
        await Worker().RunOnceAsync("w1", 10, default);

        Assert.Empty(again);
        Assert.Single(Output.Feedback);
    }

    [Fact]
    public async Task A_job_whose_worker_died_is_reclaimed_and_finished_by_another_worker_once()
    {
        await StartAndAnswerAsync();
        var taken = await Queue.TakeAsync("worker-that-dies", 10, default);
        Assert.Single(taken);

        Time.Advance(Options.ReclaimAfter + TimeSpan.FromMilliseconds(200));
        await Worker().RunOnceAsync("w2", 10, default);

        Assert.Single(Output.Feedback);
        Assert.Equal(SessionPhase.AwaitingAnswer, (await Store.FindActiveAsync("c-1", default))!.Session.Phase);
    }

    [Fact]
    public async Task A_worker_that_crashes_after_saving_the_judgement_leaves_the_feedback_for_the_next_worker_to_post_once()
    {
        await StartAndAnswerAsync();
        Output.FailNext(1);

        await Worker().RunOnceAsync("w1", 10, default);
        Assert.Empty(Output.Feedback);
        Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        await Worker().RunOnceAsync("w2", 10, default);
        Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        await Worker().RunOnceAsync("w3", 10, default);

        Assert.Single(Output.Feedback);
        // Its interview still in progress, the leftover goes where the session says it is held.
        Assert.Equal("thread-c-1", Assert.Single(Output.Delivered).Place);
        Judge.Verify(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_leftover_of_an_interview_replaced_since_leaves_where_to_post_it_to_a_lookup()
    {
        await StartAndAnswerAsync();
        Output.FailNext(1);
        await Worker().RunOnceAsync("w1", 10, default);
        await Service.HandleAsync("c-1", new EndRequested(), "evt-end", default);
        Time.Advance(TimeSpan.FromMinutes(1));
        await Service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 2, eventId: null, _ => Task.FromResult("thread-new"), default);

        Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        await Worker().RunOnceAsync("w2", 10, default);

        var leftover = Assert.Single(Output.Delivered, d => d.Actions.OfType<PostFeedback>().Any());
        Assert.Null(leftover.Place);
    }

    [Fact]
    public async Task Two_workers_running_the_same_job_at_once_post_its_feedback_once()
    {
        await StartAndAnswerAsync();
        var job = Assert.Single(await Queue.TakeAsync("w1", 10, default));

        await Task.WhenAll(Worker().ProcessAsync(job, default), Worker().ProcessAsync(job, default));
        Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        await Worker().RunOnceAsync("w3", 10, default);

        Assert.Single(Output.Feedback);
        Assert.Empty(await Queue.TakeAsync("w4", 10, default));
    }

    [Fact]
    public async Task A_judge_that_keeps_failing_sends_the_job_to_the_dead_letters_tells_the_candidate_and_keeps_the_answer()
    {
        Judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("judge timed out"));
        await StartAndAnswerAsync();

        await Worker().RunOnceAsync("w1", 10, default);
        Time.Advance(Options.ReclaimAfter + TimeSpan.FromMilliseconds(200));
        await Worker().RunOnceAsync("w1", 10, default);

        var notice = Assert.IsType<PostNotice>(Assert.Single(Assert.Single(Output.Delivered).Actions));
        Assert.Contains("could not be produced after several tries", notice.Text, StringComparison.Ordinal);
        var session = (await Store.FindActiveAsync("c-1", default))!.Session;
        Assert.Equal(SessionPhase.Judging, session.Phase);
        Assert.Equal(AcceptedAnswer, session.PendingTurn!.Answer);

        // Resuming enqueues the judgement again; with the judge back, the feedback arrives.
        Judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync((JudgeRequest r, CancellationToken _) => Judging.Rubric.RubricJudge.Judge(r));
        await Service.HandleAsync("c-1", new ResumeRequested(), default);
        await Worker().RunOnceAsync("w1", 10, default);
        Assert.Single(Output.Feedback);
    }

    [Fact]
    public async Task A_delivery_another_poster_holds_waits_without_spending_the_jobs_attempts()
    {
        await StartAndAnswerAsync();
        Output.HeldElsewhereNext(Options.MaxAttempts - 1);
        Output.FailNext(Options.MaxAttempts - 1);

        await RunThroughReclaimsAsync(2 * (Options.MaxAttempts - 1));

        await Worker().RunOnceAsync("w1", 10, default);

        Assert.Single(Output.Feedback);
        Assert.DoesNotContain(Output.Delivered.SelectMany(d => d.Actions).OfType<PostNotice>(), n => n.Kind == NoticeKind.Rejected);
    }

    [Fact]
    public async Task A_delivery_held_by_a_poster_that_keeps_moving_on_to_the_next_part_is_waited_for_past_the_attempts()
    {
        await StartAndAnswerAsync();
        Output.HeldElsewhereNext(Options.MaxAttempts + 1, movingOn: true);

        await RunThroughReclaimsAsync(Options.MaxAttempts + 1);

        await Worker().RunOnceAsync("w1", 10, default);

        Assert.Single(Output.Feedback);
        Assert.DoesNotContain(Output.Delivered.SelectMany(d => d.Actions).OfType<PostNotice>(), n => n.Kind == NoticeKind.Rejected);
    }

    [Fact]
    public async Task A_delivery_held_elsewhere_without_end_goes_to_the_dead_letters_after_as_many_returns_as_attempts_and_the_candidate_is_told()
    {
        await StartAndAnswerAsync();
        Output.HeldElsewhereNext(Options.MaxAttempts);

        for (var run = 0; run < Options.MaxAttempts; run++)
        {
            Assert.Equal(1, await Worker().RunOnceAsync("w1", 10, default));
            Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        }

        Assert.Equal(0, await Worker().RunOnceAsync("w1", 10, default));
        Assert.Empty(Output.Feedback);
        var notice = Assert.IsType<PostNotice>(Assert.Single(Assert.Single(Output.Delivered).Actions));
        Assert.Equal(NoticeKind.Rejected, notice.Kind);
        Assert.Contains("could not be posted", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_whose_poster_died_mid_post_is_posted_once_by_the_next_worker_when_the_job_comes_back()
    {
        var output = new LedgerOutput(await CreateLedgerAsync(Options, Time), Time);
        await StartAndAnswerAsync();
        using var host = new CancellationTokenSource();
        output.DieWhilePostingNext(host);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Worker(output: output).RunOnceAsync("host-that-dies", 10, host.Token));
        Assert.Empty(output.Platform.Delivered);
        Time.Advance(Options.ReclaimAfter + TimeSpan.FromMilliseconds(200));

        Assert.Equal(1, await Worker(output: output).RunOnceAsync("w2", 10, default));
        Assert.Single(output.Platform.Feedback);
        Assert.Empty(await Queue.TakeAsync("w3", 10, default));
        Judge.Verify(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task The_last_judgement_completes_the_interview_posts_the_scorecard_and_records_history()
    {
        await StartAndAnswerAsync(questions: 1);

        await Worker().RunOnceAsync("w1", 10, default);

        Assert.IsType<PostScorecard>(Output.Delivered.Single().Actions[^1]);
        Assert.Null(await Store.FindActiveAsync("c-1", default));
        var entry = Assert.Single(await Store.HistoryAsync("c-1", default));
        Assert.NotEmpty(entry.Topics);
    }

    [Fact]
    public async Task A_worker_that_dies_after_posting_leaves_a_repeat_under_the_same_delivery_key_for_the_platform_to_drop()
    {
        await StartAndAnswerAsync();
        Output.FailAfterPostingNext();

        await Worker().RunOnceAsync("w1", 10, default);
        Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        await Worker().RunOnceAsync("w2", 10, default);
        Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));
        await Worker().RunOnceAsync("w3", 10, default);

        // At least once to the adapter, and always under one key: an adapter that drops a repeated key posts once.
        Assert.Equal(2, Output.Delivered.Count);
        Assert.Single(Output.Delivered.Select(d => d.Key).Distinct());
        Judge.Verify(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_worker_whose_job_was_reclaimed_cannot_fail_it_for_the_new_owner()
    {
        await StartAndAnswerAsync();
        var stale = Assert.Single(await Queue.TakeAsync("slow-worker", 10, default));
        Time.Advance(Options.ReclaimAfter + TimeSpan.FromMilliseconds(200));
        var reclaimed = Assert.Single(await Queue.TakeAsync("w2", 10, default));

        Assert.False(await Queue.FailAsync(stale, "timed out late", default));
        await Worker().ProcessAsync(reclaimed, default);

        Assert.Single(Output.Feedback);
        Assert.DoesNotContain(Output.Delivered.SelectMany(d => d.Actions).OfType<PostNotice>(), n => n.Kind == NoticeKind.Rejected);
    }

    [Fact]
    public async Task Messages_while_an_answer_is_judged_do_not_make_the_worker_judge_again()
    {
        await StartAndAnswerAsync();
        var job = Assert.Single(await Queue.TakeAsync("w1", 10, default));
        for (var i = 0; i < 3; i++)
        {
            await Service.HandleAsync("c-1", new HintRequested(), $"evt-hint-{i}", default);
        }

        await Worker().ProcessAsync(job, default);

        Assert.Single(Output.Feedback);
        Judge.Verify(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_retried_start_event_is_not_answered_as_a_second_start()
    {
        var options = new InterviewOptions(InterviewPlan.Theory);
        var first = await Service.StartAsync("c-1", options, 1, "evt-start", default);

        var retried = await Service.StartAsync("c-1", options, 1, "evt-start", default);
        var another = await Service.StartAsync("c-1", options, 1, "evt-start-2", default);

        Assert.IsType<PostQuestion>(first[^1]);
        Assert.Empty(retried);
        Assert.Contains("already have an interview", Assert.IsType<PostNotice>(Assert.Single(another)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_me_removes_a_job_a_worker_has_already_taken()
    {
        await StartAndAnswerAsync();
        Assert.Single(await Queue.TakeAsync("w1", 10, default));

        var report = await Store.ForgetAsync("c-1", default);
        Time.Advance(Options.ReclaimAfter + TimeSpan.FromMilliseconds(200));

        Assert.Equal(1, report.QueuedJobs);
        Assert.Empty(await Queue.TakeAsync("w2", 10, default));
    }

    [Fact]
    public async Task The_worker_lets_the_interviewer_rewrite_the_follow_up_it_posts_and_keeps_that_text()
    {
        var writer = new Mock<IFollowUpWriter>();
        writer.Setup(w => w.WriteAsync(It.IsAny<FollowUpRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new WrittenText("You said you would stream: what is your first-token budget?", new FeedbackSource("llm")));
        await Service.StartAsync("c-1", new InterviewOptions(InterviewPlan.SystemDesign, QuestionCount: 1), 1, default);
        await Service.HandleAsync("c-1", new AnswerSubmitted("I would stream tokens and cache frequent answers so that latency stays low."), default);

        await Worker(writer.Object).RunOnceAsync("w1", 10, default);
        var repeated = await Service.HandleAsync("c-1", new RepeatRequested(), default);

        var posted = Assert.Single(Output.Delivered).Actions.OfType<PostQuestion>().Single();
        Assert.Equal("You said you would stream: what is your first-token budget?", posted.Text);
        Assert.Equal(posted.Text, Assert.IsType<PostQuestion>(Assert.Single(repeated)).Text);
    }
}
