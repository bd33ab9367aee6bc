using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Xunit;

namespace Mockingbird.Testing;

/// <summary>
/// The behaviour every session store and judging queue must have. The in-memory and the Redis store each run this
/// same suite; a test here that fails for one of them is a difference users would notice.
/// </summary>
public abstract class SessionStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    protected SessionStoreOptions Options { get; } = new()
    {
        // Every store decides these by the fake clock, which the tests move past them.
        ReclaimAfter = TimeSpan.FromMilliseconds(1500),
        DeliveryLease = TimeSpan.FromMilliseconds(1500),
        MaxAttempts = 2,
        MaxHistoryEntries = 3,
        EventRetention = TimeSpan.FromHours(1),
    };

    protected ISessionStore Store { get; private set; } = null!;

    protected IJudgingQueue Queue { get; private set; } = null!;

    public async Task InitializeAsync() => (Store, Queue) = await CreateAsync(Options, Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fresh, empty store and queue over the given options and clock.</summary>
    protected abstract Task<(ISessionStore Store, IJudgingQueue Queue)> CreateAsync(SessionStoreOptions options, FakeTimeProvider time);

    protected static InterviewSession Session(string candidate = "c-1", string id = "s-1", SessionPhase phase = SessionPhase.AwaitingAnswer, int current = 0) =>
        SampleSessions.Theory(Start, candidate, id, phase, current);

    private static HistoryEntry History(string sessionId) =>
        new(Start, sessionId, InterviewPlan.Theory, 3.0, [new StageScore(Stage.Theory, 3.0)], [new TopicScore("attention", 3.0)], ["q-1"]);

    [Fact]
    public async Task A_created_session_is_found_at_version_one_with_every_field_intact()
    {
        var session = Session() with { Hints = new Dictionary<string, int> { ["0"] = 2 }, EndRequested = true };

        var result = await Store.WriteAsync(new SessionWrite(session, 0), default);
        var found = await Store.FindActiveAsync("c-1", default);

        Assert.Equal(new WriteResult(WriteOutcome.Saved, 1), result);
        Assert.NotNull(found);
        Assert.Equal(1, found.Version);
        Assert.Equal(("s-1", 2, true, 3), (found.Session.Id, found.Session.HintsGiven, found.Session.EndRequested, found.Session.Questions.Count));
    }

    [Fact]
    public async Task A_write_against_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        await Store.WriteAsync(new SessionWrite(Session(current: 1), 1), default);

        var stale = await Store.WriteAsync(new SessionWrite(Session(current: 2), 1), default);

        Assert.Equal(WriteOutcome.Conflict, stale.Outcome);
        var found = await Store.FindActiveAsync("c-1", default);
        Assert.Equal((2L, 1), (found!.Version, found.Session.Current.QuestionIndex));
    }

    [Fact]
    public async Task A_second_session_cannot_be_created_while_one_is_active()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);

        var second = await Store.WriteAsync(new SessionWrite(Session(id: "s-2"), 0), default);

        Assert.Equal(WriteOutcome.Conflict, second.Outcome);
    }

    [Fact]
    public async Task Concurrent_writers_from_the_same_version_never_both_win()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Store.WriteAsync(new SessionWrite(Session(current: i % 3), 1), default)));

        Assert.Equal(1, results.Count(r => r.Outcome == WriteOutcome.Saved));
        Assert.Equal(2, (await Store.FindActiveAsync("c-1", default))!.Version);
    }

    [Fact]
    public async Task The_same_event_applied_twice_changes_nothing_the_second_time()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, EventId: "evt-1"), default);

        var again = await Store.WriteAsync(new SessionWrite(Session(current: 1), 1, EventId: "evt-1", Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);

        Assert.Equal(WriteOutcome.Duplicate, again.Outcome);
        Assert.Equal(1, (await Store.FindActiveAsync("c-1", default))!.Version);
        Assert.Empty(await Queue.TakeAsync("w", 10, default));
    }

    [Fact]
    public async Task The_events_of_a_finished_session_stay_duplicates_for_the_retention_and_are_forgotten_after_it()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, EventId: "evt-1"), default);
        await Store.WriteAsync(new SessionWrite(Session(phase: SessionPhase.Completed), 1, EventId: "evt-2"), default);

        var retried = await Store.WriteAsync(new SessionWrite(Session(), 0, EventId: "evt-2"), default);
        Time.Advance(Options.EventRetention + TimeSpan.FromSeconds(1));
        var later = await Store.WriteAsync(new SessionWrite(Session(), 0, EventId: "evt-1"), default);

        Assert.Equal(WriteOutcome.Duplicate, retried.Outcome);
        Assert.Equal(WriteOutcome.Saved, later.Outcome);
    }

    [Fact]
    public async Task A_job_is_enqueued_with_its_write_and_not_by_a_write_that_lost()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        await Store.WriteAsync(new SessionWrite(Session(), 5, Jobs: [new JudgeJob("c-1", "s-1", 9)]), default);

        await Store.WriteAsync(new SessionWrite(Session(), 1, Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);
        var taken = await Queue.TakeAsync("w", 10, default);

        var job = Assert.Single(taken);
        Assert.Equal((new JudgeJob("c-1", "s-1", 1), 1), (job.Job, job.Attempt));
    }

    [Fact]
    public async Task A_taken_job_is_not_handed_out_again_until_the_reclaim_timeout_then_it_is()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);
        var first = Assert.Single(await Queue.TakeAsync("dead-worker", 10, default));

        Assert.Empty(await Queue.TakeAsync("other", 10, default));
        Time.Advance(Options.ReclaimAfter - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await Queue.TakeAsync("other", 10, default));
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var reclaimed = Assert.Single(await Queue.TakeAsync("other", 10, default));

        Assert.Equal((first.Id, first.Job, 2), (reclaimed.Id, reclaimed.Job, reclaimed.Attempt));
    }

    [Fact]
    public async Task A_completed_job_is_gone_with_its_pending_delivery()
    {
        var job = new JudgeJob("c-1", "s-1", 1);
        await Store.WriteAsync(new SessionWrite(Session(), 0, Jobs: [job], Delivery: new PendingDelivery(job.DeliveryKey, [new PostNotice("hi")])), default);
        var taken = Assert.Single(await Queue.TakeAsync("w", 10, default));

        await Queue.CompleteAsync(taken, default);
        Time.Advance(Options.ReclaimAfter + Options.DeliveryLease + TimeSpan.FromMilliseconds(200));

        Assert.Empty(await Queue.TakeAsync("w", 10, default));
        Assert.Equal(DeliveryClaim.Nothing, await Store.ClaimDeliveryAsync("c-1", job.DeliveryKey, default));
    }

    [Fact]
    public async Task A_job_that_keeps_failing_goes_to_the_dead_letters_and_is_not_retried()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, Jobs: [new JudgeJob("c-1", "s-1", 1)]), default);
        var first = Assert.Single(await Queue.TakeAsync("w", 10, default));
        Assert.False(await Queue.FailAsync(first, "timeout", default));
        Time.Advance(Options.ReclaimAfter + TimeSpan.FromMilliseconds(200));
        var second = Assert.Single(await Queue.TakeAsync("w", 10, default));

        Assert.True(await Queue.FailAsync(second, "timeout again", default));
        Time.Advance(Options.ReclaimAfter + TimeSpan.FromMilliseconds(200));

        Assert.Empty(await Queue.TakeAsync("w", 10, default));
        var dead = Assert.Single(await DeadLettersAsync());
        Assert.Equal((new JudgeJob("c-1", "s-1", 1), "timeout again"), dead);
    }

    /// <summary>The dead-letter entries, as the store exposes them.</summary>
    protected abstract Task<IReadOnlyList<(JudgeJob Job, string Reason)>> DeadLettersAsync();

    [Fact]
    public async Task Feedback_saved_but_not_posted_outlives_the_session_ending_before_its_job_comes_back()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, Delivery: new PendingDelivery("s-1:1", [new PostNotice("feedback")])), default);
        await Store.WriteAsync(new SessionWrite(Session(phase: SessionPhase.Completed), 1), default);
        Time.Advance(Options.DeliveryLease);

        var claimed = await Store.ClaimDeliveryAsync("c-1", "s-1:1", default);

        Assert.Equal("feedback", Assert.IsType<PostNotice>(Assert.Single(claimed.Delivery!.Actions)).Text);
    }

    [Fact]
    public async Task Feedback_saved_but_not_posted_outlives_a_discarded_session()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0, Delivery: new PendingDelivery("s-1:1", [new PostNotice("feedback")])), default);
        Assert.True(await Store.DiscardActiveAsync("c-1", default));
        Time.Advance(Options.DeliveryLease);

        var claimed = await Store.ClaimDeliveryAsync("c-1", "s-1:1", default);

        Assert.Null(await Store.FindActiveAsync("c-1", default));
        Assert.Equal("feedback", Assert.IsType<PostNotice>(Assert.Single(claimed.Delivery!.Actions)).Text);
    }

    [Fact]
    public async Task A_pending_delivery_belongs_to_its_writer_until_the_lease_runs_out()
    {
        var delivery = new PendingDelivery("s-1:1", [new PostNotice("feedback")]);
        await Store.WriteAsync(new SessionWrite(Session(), 0, Delivery: delivery), default);

        Assert.Equal(DeliveryClaim.Held, await Store.ClaimDeliveryAsync("c-1", "s-1:1", default));
        Time.Advance(Options.DeliveryLease - TimeSpan.FromMilliseconds(1));
        Assert.Equal(DeliveryClaim.Held, await Store.ClaimDeliveryAsync("c-1", "s-1:1", default));
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var claimed = await Store.ClaimDeliveryAsync("c-1", "s-1:1", default);

        Assert.Equal("feedback", Assert.IsType<PostNotice>(Assert.Single(claimed.Delivery!.Actions)).Text);
        Assert.Equal(DeliveryClaim.Held, await Store.ClaimDeliveryAsync("c-1", "s-1:1", default));
        Assert.Equal(DeliveryClaim.Nothing, await Store.ClaimDeliveryAsync("c-1", "s-1:2", default));
    }

    [Fact]
    public async Task A_completed_session_leaves_history_and_the_questions_it_asked_as_seen()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);

        await Store.WriteAsync(new SessionWrite(Session(phase: SessionPhase.Completed, current: 1), 1, History: History("s-1")), default);

        Assert.Null(await Store.FindActiveAsync("c-1", default));
        Assert.Equal(["q-1", "q-2"], (await Store.SeenQuestionsAsync("c-1", default)).Order());
        var entry = Assert.Single(await Store.HistoryAsync("c-1", default));
        Assert.Equal(("s-1", 3.0, "attention"), (entry.SessionId, entry.Overall, entry.Topics[0].Topic));
    }

    [Fact]
    public async Task History_keeps_the_newest_entries_up_to_the_limit()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.WriteAsync(new SessionWrite(Session(id: $"s-{i}"), 0), default);
            await Store.WriteAsync(new SessionWrite(Session(id: $"s-{i}", phase: SessionPhase.Completed), 1, History: History($"s-{i}")), default);
        }

        var history = await Store.HistoryAsync("c-1", default);

        Assert.Equal(["s-4", "s-3", "s-2"], history.Select(h => h.SessionId));
    }

    [Fact]
    public async Task History_and_seen_questions_older_than_the_retention_are_not_returned()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        await Store.WriteAsync(new SessionWrite(Session(phase: SessionPhase.Completed), 1, History: History("s-1")), default);

        Time.Advance(Options.HistoryRetention + TimeSpan.FromDays(1));

        Assert.Empty(await Store.HistoryAsync("c-1", default));
        Assert.Empty(await Store.SeenQuestionsAsync("c-1", default));
    }

    [Fact]
    public async Task Forget_me_removes_every_trace_and_reports_what_it_removed()
    {
        await Store.WriteAsync(new SessionWrite(Session(id: "old"), 0), default);
        await Store.WriteAsync(new SessionWrite(Session(id: "old", phase: SessionPhase.Completed), 1, History: History("old")), default);
        await Store.WriteAsync(new SessionWrite(Session(), 0, EventId: "evt", Jobs: [new JudgeJob("c-1", "s-1", 1)], Delivery: new PendingDelivery("s-1:1", [new PostNotice("x")])), default);
        await Store.WriteAsync(new SessionWrite(Session(candidate: "someone-else", id: "s-9"), 0, Jobs: [new JudgeJob("someone-else", "s-9", 1)]), default);

        var report = await Store.ForgetAsync("c-1", default);

        Assert.Equal(new ForgetReport(Sessions: 1, HistoryEntries: 1, SeenQuestions: 1, QueuedJobs: 1, PendingDeliveries: 1, EventMarks: 1, FinishedKept: 1), report);
        Assert.Null(await Store.FindActiveAsync("c-1", default));
        Assert.Null(await Store.FindFinishedAsync("c-1", default));
        Assert.Empty(await Store.HistoryAsync("c-1", default));
        Assert.Empty(await Store.SeenQuestionsAsync("c-1", default));
        Assert.Equal("someone-else", Assert.Single(await Queue.TakeAsync("w", 10, default)).Job.CandidateId);
        Assert.Equal(0, (await Store.ForgetAsync("c-1", default)).Total);
    }

    [Fact]
    public async Task A_completed_interview_is_kept_as_the_last_finished_one_without_its_job_description_until_its_retention_ends()
    {
        var answered = new Turn(1, "q-1", Stage.Theory, null, TurnOutcome.Answered, "My answer.", 0, Start, new TurnScore("rubric", 3, [new ScoredDimension("Depth", 3)], [], "drill"));
        var session = Session(phase: SessionPhase.Completed) with
        {
            Options = new InterviewOptions(InterviewPlan.Theory) { Job = new JobDescription(["Ship retrieval systems"], ["rag"], null) },
            Turns = [answered],
            JobRequirementsCovered = [0],
        };
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        await Store.WriteAsync(new SessionWrite(session, 1), default);

        var kept = await Store.FindFinishedAsync("c-1", default);
        Time.Advance(Options.FinishedRetention);

        Assert.NotNull(kept);
        Assert.Equal(("s-1", "My answer.", 3.0), (kept.Id, kept.Turns.Single().Answer, kept.Turns.Single().Score!.Total));
        Assert.Null(kept.Options.Job);
        Assert.Empty(kept.JobRequirementsCovered);
        Assert.Null(await Store.FindActiveAsync("c-1", default));
        Assert.Null(await Store.FindFinishedAsync("c-1", default));
    }

    [Fact]
    public async Task A_later_completed_interview_replaces_the_finished_one_kept()
    {
        await Store.WriteAsync(new SessionWrite(Session(id: "first", phase: SessionPhase.Completed), 0), default);
        await Store.WriteAsync(new SessionWrite(Session(id: "second", phase: SessionPhase.Completed), 0), default);

        Assert.Equal("second", (await Store.FindFinishedAsync("c-1", default))?.Id);
        Assert.Null(await Store.FindFinishedAsync("someone-else", default));
    }

    [Fact]
    public async Task Discarding_removes_the_active_session()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);

        Assert.True(await Store.DiscardActiveAsync("c-1", default));

        Assert.Null(await Store.FindActiveAsync("c-1", default));
        Assert.False(await Store.DiscardActiveAsync("c-1", default));
    }

    [Fact]
    public async Task Marking_an_event_that_changed_nothing_keeps_the_version_and_still_catches_its_repeat()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);

        var marked = await Store.WriteAsync(new SessionWrite(Session(), 1, EventId: "evt-noop", MarkOnly: true), default);
        var repeat = await Store.WriteAsync(new SessionWrite(Session(), 1, EventId: "evt-noop", MarkOnly: true), default);

        Assert.Equal(WriteOutcome.Saved, marked.Outcome);
        Assert.Equal(WriteOutcome.Duplicate, repeat.Outcome);
        Assert.Equal(1, (await Store.FindActiveAsync("c-1", default))!.Version);
    }

    [Fact]
    public async Task A_turn_already_queued_is_not_queued_again_until_its_job_is_done()
    {
        var job = new JudgeJob("c-1", "s-1", 1);
        await Store.WriteAsync(new SessionWrite(Session(), 0, Jobs: [job]), default);
        await Store.WriteAsync(new SessionWrite(Session(), 1, Jobs: [job]), default);

        var taken = Assert.Single(await Queue.TakeAsync("w", 10, default));
        await Queue.CompleteAsync(taken, default);
        await Store.WriteAsync(new SessionWrite(Session(), 2, Jobs: [job]), default);

        Assert.Single(await Queue.TakeAsync("w", 10, default));
    }
}
