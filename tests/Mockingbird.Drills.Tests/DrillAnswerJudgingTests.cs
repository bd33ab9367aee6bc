using Microsoft.Extensions.Logging.Abstractions;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Drills.Tests;

public sealed class DrillAnswerJudgingTests
{
    private const string Candidate = "c-1";

    private const string Answer = "Attention is quadratic in length; I would use a sliding window and measure @everyone <@U1> quality.";

    private readonly InMemorySessionStore _queue;
    private readonly DyingLedger _ledger;
    private readonly DrillWorld _world;
    private readonly Mock<IAnswerJudge> _judge = new();

    public DrillAnswerJudgingTests()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DrillWorld.Start);
        var options = Microsoft.Extensions.Options.Options.Create(new SessionStoreOptions());
        _queue = new InMemorySessionStore(options, time);
        _ledger = new DyingLedger(new InMemoryDeliveryLedger(options, time));
        _world = new DrillWorld(new InMemoryDrillStore(_queue), _ledger, time);
    }

    private DrillAnswerJudging Handler(IDrillPlatform? platform = null) => new(
        _world.Plans, _world.Store, _queue, _judge.Object, SampleQuestions.Bank(), _world.Ledger, _world.Time, NullLogger<DrillAnswerJudging>.Instance, platform ?? _world.Platform);

    /// <summary>The job again, as another worker takes it once the one that died has held it past the reclaim timeout.</summary>
    private async Task<QueuedJudgement> ReclaimedAsync()
    {
        _world.Time.Advance(new SessionStoreOptions().ReclaimAfter + TimeSpan.FromSeconds(1));
        return Assert.Single(await _queue.TakeAsync("w-2", 10, default));
    }

    private DrillAnswers Answers() => new(_world.Plans, _world.Store, NullLogger<DrillAnswers>.Instance);

    private static Feedback Judged(double total) =>
        new("q", "offline-rubric", "label", [new DimensionScore("depth", (int)total, [], "why")], [], [], total, [], [], "more depth");

    /// <summary>A drill on depth sent a day after a weak interview, and its id.</summary>
    private async Task<string> SentDrillAsync()
    {
        _world.Interviewed(Candidate, TimeSpan.Zero, ("depth", 1.5));
        await _world.RunAsync(Candidate, "drills on");
        await _world.AdvanceAsync(TimeSpan.FromDays(1), _world.Replica());
        return Assert.Single(_world.Platform.Sent).Message.DrillId;
    }

    [Fact]
    public async Task A_job_run_again_after_its_answer_was_judged_judges_nothing_twice_and_sends_one_feedback()
    {
        var drillId = await SentDrillAsync();
        _judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Judged(3.5));
        Assert.Equal(DrillAnswers.Taken, await Answers().SubmitAsync(Candidate, Candidate, drillId, Answer, q => q, default));
        Assert.Equal(DrillAnswers.TakenBefore, await Answers().SubmitAsync(Candidate, Candidate, drillId, Answer, q => q, default));
        var job = Assert.Single(await _queue.TakeAsync("w-1", 10, default));
        Assert.Equal(JudgeJobKind.Drill, job.Job.Kind);

        await Handler().ProcessAsync(job, default);
        await Handler().ProcessAsync(job, default);

        _judge.Verify(j => j.JudgeAsync(It.Is<JudgeRequest>(r => r.Answer == Answer && r.CandidateId == Candidate), It.IsAny<CancellationToken>()), Times.Once);
        var feedback = Assert.Single(_world.Platform.Feedback);
        Assert.StartsWith("Drill on depth: 3.5 of 4", feedback.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("sliding window", feedback.Text, StringComparison.Ordinal);
        var plan = (await _world.Store.FindAsync(Candidate, default))!;
        var sent = plan.Sent.Single(s => s.DrillId == drillId);
        Assert.True(sent.Answered);
        Assert.Equal((1, sent.SentAt + TimeSpan.FromDays(3)), (plan.Find("depth")!.Step, plan.Find("depth")!.DueAt));
        Assert.Null(await _world.Store.FindAnswerAsync(Candidate, drillId, default));
        Assert.Empty(await _queue.TakeAsync("w-1", 10, default));
    }

    [Fact]
    public async Task A_job_that_dies_after_saving_the_score_before_the_feedback_goes_out_comes_back_to_send_that_scores_feedback_without_judging_again()
    {
        var drillId = await SentDrillAsync();
        _judge.SetupSequence(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Judged(3.5)).ReturnsAsync(Judged(1));
        await Answers().SubmitAsync(Candidate, Candidate, drillId, Answer, q => q, default);
        using var death = new CancellationTokenSource();
        var dying = new Mock<IDrillPlatform>();
        dying.Setup(p => p.SendFeedbackAsync(It.IsAny<DrillFeedbackMessage>(), It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                await death.CancelAsync();
                throw new OperationCanceledException("The worker died.", death.Token);
            });

        var job = Assert.Single(await _queue.TakeAsync("w-1", 10, default));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Handler(dying.Object).ProcessAsync(job, death.Token));
        await Handler().ProcessAsync(await ReclaimedAsync(), default);

        _judge.Verify(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.StartsWith("Drill on depth: 3.5 of 4", Assert.Single(_world.Platform.Feedback).Text, StringComparison.Ordinal);
        Assert.Contains("depth 3/4", _world.Platform.Feedback[0].Text, StringComparison.Ordinal);
        Assert.Equal(3.5, Assert.Single((await _world.Store.FindAsync(Candidate, default))!.Answers).Total);
        Assert.Null(await _world.Store.FindAnswerAsync(Candidate, drillId, default));
        Assert.Empty(await _queue.TakeAsync("w-2", 10, default));
    }

    [Fact]
    public async Task A_job_that_dies_after_its_feedback_was_sent_and_recorded_comes_back_and_sends_nothing_more()
    {
        var drillId = await SentDrillAsync();
        _judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Judged(3.5));
        await Answers().SubmitAsync(Candidate, Candidate, drillId, Answer, q => q, default);
        using var death = new CancellationTokenSource();
        _ledger.DieAfterRecordingNext(death.Cancel);

        var job = Assert.Single(await _queue.TakeAsync("w-1", 10, default));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Handler().ProcessAsync(job, death.Token));
        Assert.NotNull(await _world.Store.FindAnswerAsync(Candidate, drillId, default));
        await Handler().ProcessAsync(await ReclaimedAsync(), default);

        Assert.Single(_world.Platform.Feedback);
        _judge.Verify(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Null(await _world.Store.FindAnswerAsync(Candidate, drillId, default));
        Assert.Empty(await _queue.TakeAsync("w-2", 10, default));
    }

    [Fact]
    public async Task A_judged_answer_whose_feedback_cannot_be_sent_is_not_told_it_was_not_judged()
    {
        var drillId = await SentDrillAsync();
        _judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Judged(3.5));
        await Answers().SubmitAsync(Candidate, Candidate, drillId, Answer, q => q, default);
        var failing = new Mock<IDrillPlatform>();
        failing.Setup(p => p.SendFeedbackAsync(It.IsAny<DrillFeedbackMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("down"));

        for (var attempt = 0; attempt < new SessionStoreOptions().MaxAttempts; attempt++)
        {
            _world.Time.Advance(TimeSpan.FromMinutes(10));
            foreach (var job in await _queue.TakeAsync("w-1", 10, default))
            {
                await Handler(failing.Object).ProcessAsync(job, default);
            }
        }

        Assert.Single(_queue.DeadLetters);
        Assert.Null(await _world.Store.FindAnswerAsync(Candidate, drillId, default));
        failing.Verify(p => p.SendFeedbackAsync(It.Is<DrillFeedbackMessage>(f => f.Text == DrillAnswerJudging.NotJudged), It.IsAny<CancellationToken>()), Times.Never);
        _judge.Verify(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(3.5, Assert.Single((await _world.Store.FindAsync(Candidate, default))!.Answers).Total);
    }

    [Fact]
    public async Task A_judge_call_that_times_out_as_a_cancellation_the_worker_did_not_ask_for_spends_an_attempt_instead_of_escaping()
    {
        var drillId = await SentDrillAsync();
        _judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TaskCanceledException("The HTTP call timed out.", new TimeoutException()));
        await Answers().SubmitAsync(Candidate, Candidate, drillId, Answer, q => q, default);

        for (var attempt = 0; attempt < new SessionStoreOptions().MaxAttempts; attempt++)
        {
            _world.Time.Advance(TimeSpan.FromMinutes(10));
            foreach (var job in await _queue.TakeAsync("w-1", 10, default))
            {
                await Handler().ProcessAsync(job, default);
            }
        }

        Assert.Single(_queue.DeadLetters);
        Assert.Equal(DrillAnswerJudging.NotJudged, Assert.Single(_world.Platform.Feedback).Text);
    }

    [Fact]
    public async Task An_answer_that_cannot_be_judged_after_every_attempt_is_said_so_and_leaves_the_schedule_alone()
    {
        var drillId = await SentDrillAsync();
        _judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException());
        await Answers().SubmitAsync(Candidate, Candidate, drillId, Answer, q => q, default);
        var before = (await _world.Store.FindAsync(Candidate, default))!.Find("depth");

        for (var attempt = 0; attempt < new SessionStoreOptions().MaxAttempts; attempt++)
        {
            _world.Time.Advance(TimeSpan.FromMinutes(10));
            foreach (var job in await _queue.TakeAsync("w-1", 10, default))
            {
                await Handler().ProcessAsync(job, default);
            }
        }

        Assert.Equal(DrillAnswerJudging.NotJudged, Assert.Single(_world.Platform.Feedback).Text);
        Assert.Single(_queue.DeadLetters);
        Assert.Null(await _world.Store.FindAnswerAsync(Candidate, drillId, default));
        Assert.Equal(before, (await _world.Store.FindAsync(Candidate, default))!.Find("depth"));
    }

    [Fact]
    public async Task An_answer_to_another_candidates_drill_is_refused_and_nothing_is_queued()
    {
        var drillId = await SentDrillAsync();

        Assert.Equal(DrillAnswers.NotYours, await Answers().SubmitAsync("c-2", Candidate, drillId, Answer, q => q, default));

        Assert.Empty(await _queue.TakeAsync("w-1", 10, default));
        Assert.Null(await _world.Store.FindAnswerAsync(Candidate, drillId, default));
    }
}
