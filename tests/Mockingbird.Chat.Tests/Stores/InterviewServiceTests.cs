using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Chat.Tests.Stores;

public sealed class InterviewServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private InterviewService Service(ISessionStore store, IAnswerJudge? judge = null) =>
        new(new InterviewEngine(SampleQuestions.Bank()), store, judge ?? new RubricJudge(), _time);

    [Fact]
    public async Task An_answer_is_judged_and_the_feedback_and_next_question_come_back_together()
    {
        var service = Service(new InMemorySessionStore());
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, CancellationToken.None);

        var actions = await service.HandleAsync("c-1", new AnswerSubmitted("Because the variance grows with dimension, the softmax can saturate."), CancellationToken.None);

        Assert.Collection(
            actions,
            a => Assert.IsType<AcknowledgeAnswer>(a),
            a => Assert.IsType<RequestJudgement>(a),
            a => Assert.Equal(RubricJudge.JudgeName, Assert.IsType<PostFeedback>(a).Feedback.Judge),
            a => Assert.Equal(2, Assert.IsType<PostQuestion>(a).Number));
    }

    [Fact]
    public async Task Starting_twice_keeps_the_first_interview_and_says_so()
    {
        var service = Service(new InMemorySessionStore());
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory), 1, CancellationToken.None);

        var again = await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Full), 2, CancellationToken.None);

        Assert.Contains("already have an interview", Assert.IsType<PostNotice>(Assert.Single(again)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_without_an_interview_gets_a_clear_reply()
    {
        var actions = await Service(new InMemorySessionStore()).HandleAsync("nobody", new HintRequested(), CancellationToken.None);

        Assert.Contains("no interview in progress", Assert.IsType<PostNotice>(Assert.Single(actions)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_save_conflict_reloads_the_session_and_applies_the_input_to_the_newer_version()
    {
        var engine = new InterviewEngine(SampleQuestions.Bank());
        var start = engine.Start("s-1", "c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, new HashSet<string>(), _time.GetUtcNow());
        var original = start.Session!;
        var newer = original with { Hints = new Dictionary<string, int> { [original.Current.Key] = 1 } };
        var store = new Mock<ISessionStore>();
        store.Setup(s => s.FindActiveForWriteAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new VersionedSession(original, 1));
        store.Setup(s => s.FindActiveAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new VersionedSession(newer, 2));
        store.Setup(s => s.WriteAsync(It.Is<SessionWrite>(w => w.ExpectedVersion == 1), It.IsAny<CancellationToken>())).ReturnsAsync(new WriteResult(WriteOutcome.Conflict, 2));
        store.Setup(s => s.WriteAsync(It.Is<SessionWrite>(w => w.ExpectedVersion == 2), It.IsAny<CancellationToken>())).ReturnsAsync(new WriteResult(WriteOutcome.Saved, 3));

        var actions = await Service(store.Object).HandleAsync("c-1", new HintRequested(), CancellationToken.None);

        Assert.Equal(2, Assert.IsType<PostHint>(Assert.Single(actions)).HintNumber);
        store.Verify(s => s.WriteAsync(It.Is<SessionWrite>(w => w.Session.HintsGiven == 2 && w.ExpectedVersion == 2), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Inputs_that_change_nothing_are_not_saved()
    {
        var engine = new InterviewEngine(SampleQuestions.Bank());
        var session = engine.Start("s-1", "c-1", new InterviewOptions(InterviewPlan.Theory), 1, new HashSet<string>(), _time.GetUtcNow()).Session!;
        var store = new Mock<ISessionStore>();
        store.Setup(s => s.FindActiveForWriteAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new VersionedSession(session, 1));

        await Service(store.Object).HandleAsync("c-1", new RepeatRequested(), CancellationToken.None);

        store.Verify(s => s.WriteAsync(It.IsAny<SessionWrite>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_second_interview_avoids_the_questions_of_the_first()
    {
        var service = Service(new InMemorySessionStore());
        var options = new InterviewOptions(InterviewPlan.Behavioral, QuestionCount: 1);
        var first = (await service.StartAsync("c-1", options, 1, CancellationToken.None)).OfType<PostQuestion>().Single();
        await service.HandleAsync("c-1", new EndRequested(), CancellationToken.None);

        var second = (await service.StartAsync("c-1", options, 1, CancellationToken.None)).OfType<PostQuestion>().Single();

        Assert.NotEqual(first.QuestionId, second.QuestionId);
        Assert.Equal(Stage.Behavioral, second.Stage);
    }

    [Fact]
    public async Task An_interviewer_rewrites_the_follow_up_from_the_answer_and_the_judge_then_sees_that_text()
    {
        var writer = new Mock<IFollowUpWriter>();
        writer.Setup(w => w.WriteAsync(It.IsAny<FollowUpRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new WrittenText("You mentioned caching: what hit rate do you expect?", new FeedbackSource("llm")));
        var judge = new Mock<IAnswerJudge>();
        judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync((JudgeRequest r, CancellationToken _) => RubricJudge.Judge(r));
        var service = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), new InMemorySessionStore(), judge.Object, _time, JudgingMode.Inline, writer.Object);
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.SystemDesign, QuestionCount: 1), 1, CancellationToken.None);

        var afterMain = await service.HandleAsync("c-1", new AnswerSubmitted("I would stream tokens and cache frequent answers so that latency stays low."), CancellationToken.None);
        await service.HandleAsync("c-1", new AnswerSubmitted("About a third of questions repeat, so I would aim for a 30% hit rate."), CancellationToken.None);

        Assert.Equal("You mentioned caching: what hit rate do you expect?", afterMain.OfType<PostQuestion>().Single().Text);
        writer.Verify(w => w.WriteAsync(It.Is<FollowUpRequest>(r => r.LastAnswer.StartsWith("I would stream", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
        judge.Verify(j => j.JudgeAsync(It.Is<JudgeRequest>(r => r.FollowUp == "You mentioned caching: what hit rate do you expect?"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_scorecard_writer_adds_its_summary_written_from_the_judged_answers()
    {
        var writer = new Mock<IScorecardWriter>();
        writer.Setup(w => w.SummariseAsync(It.IsAny<Interview.Scoring.Scorecard>(), InterviewPlan.Theory, It.Is<IReadOnlyList<TurnNote>>(n => n.Count == 1), "c-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WrittenText("Strong on attention; practise trade-offs next.", new FeedbackSource("llm")));
        var service = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), new InMemorySessionStore(), new RubricJudge(), _time, JudgingMode.Inline, scorecardWriter: writer.Object);
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, CancellationToken.None);
        await service.HandleAsync("c-1", new AnswerSubmitted("Because the variance grows with dimension, the softmax saturates and the gradients vanish."), CancellationToken.None);

        var ended = await service.HandleAsync("c-1", new EndRequested(), CancellationToken.None);

        Assert.Equal("Strong on attention; practise trade-offs next.", Assert.IsType<PostScorecard>(Assert.Single(ended)).Scorecard.Summary);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("evt-1")]
    public async Task An_input_that_would_change_nothing_in_a_session_the_store_has_not_confirmed_is_decided_again_on_the_session_read(string? eventId)
    {
        var engine = new InterviewEngine(SampleQuestions.Bank());
        var now = _time.GetUtcNow();
        var asked = engine.Start("s-1", "c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3), 1, new HashSet<string>(), now).Session!;
        var answered = engine.Handle(asked, new AnswerSubmitted("Scaling keeps the softmax out of saturation as the dimension grows."), now);
        var request = answered.Actions.OfType<RequestJudgement>().Single();
        var judgedElsewhere = engine.Handle(answered.Session, new JudgementReady(request.TurnNumber, RubricJudge.Judge(request.Request)), now).Session;
        var store = new Mock<ISessionStore>();
        store.Setup(s => s.FindActiveForWriteAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new VersionedSession(answered.Session, 2) { Stamp = "kept-stamp" });
        store.Setup(s => s.FindActiveAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new VersionedSession(judgedElsewhere, 3));
        store.Setup(s => s.WriteAsync(It.IsAny<SessionWrite>(), It.IsAny<CancellationToken>())).ReturnsAsync(new WriteResult(WriteOutcome.Saved, 4));

        var actions = await Service(store.Object).HandleAsync("c-1", new AnswerSubmitted("Because dot products grow with dimension."), eventId, CancellationToken.None);

        Assert.Contains(actions, a => a is AcknowledgeAnswer);
        store.Verify(s => s.WriteAsync(It.Is<SessionWrite>(w => w.ExpectedVersion == 3 && !w.MarkOnly && w.Session.Turns.Count == 2), It.IsAny<CancellationToken>()), Times.Once);
        store.Verify(s => s.WriteAsync(It.Is<SessionWrite>(w => w.ExpectedVersion == 2), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_write_from_a_session_the_store_has_not_confirmed_that_conflicts_applies_the_input_to_the_session_read_after_it()
    {
        var engine = new InterviewEngine(SampleQuestions.Bank());
        var kept = engine.Start("s-1", "c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, new HashSet<string>(), _time.GetUtcNow()).Session!;
        var changedElsewhere = kept with { Hints = new Dictionary<string, int> { [kept.Current.Key] = 1 } };
        var store = new Mock<ISessionStore>();
        store.Setup(s => s.FindActiveForWriteAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new VersionedSession(kept, 1) { Stamp = "kept-stamp" });
        store.Setup(s => s.FindActiveAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new VersionedSession(changedElsewhere, 2));
        store.Setup(s => s.WriteAsync(It.Is<SessionWrite>(w => w.ExpectedVersion == 1 && w.ExpectedStamp == "kept-stamp"), It.IsAny<CancellationToken>())).ReturnsAsync(new WriteResult(WriteOutcome.Conflict, 2));
        store.Setup(s => s.WriteAsync(It.Is<SessionWrite>(w => w.ExpectedVersion == 2 && w.ExpectedStamp == null), It.IsAny<CancellationToken>())).ReturnsAsync(new WriteResult(WriteOutcome.Saved, 3));

        var actions = await Service(store.Object).HandleAsync("c-1", new HintRequested(), CancellationToken.None);

        Assert.Equal(2, Assert.IsType<PostHint>(Assert.Single(actions)).HintNumber);
        store.Verify(s => s.FindActiveForWriteAsync("c-1", It.IsAny<CancellationToken>()), Times.Once);
        store.Verify(s => s.WriteAsync(It.IsAny<SessionWrite>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task An_input_given_where_the_candidates_interview_is_not_held_does_nothing()
    {
        var engine = new InterviewEngine(SampleQuestions.Bank());
        var current = engine.Start("s-2", "c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, new HashSet<string>(), _time.GetUtcNow()).Session! with { Place = "thread-2" };
        var store = new Mock<ISessionStore>();
        store.Setup(s => s.FindActiveForWriteAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new VersionedSession(current, 1));

        var actions = await Service(store.Object).HandleInPlaceAsync("c-1", "thread-1", new AnswerSubmitted("Meant for the interview before."), "evt-1", CancellationToken.None);

        Assert.Null(actions);
        store.Verify(s => s.WriteAsync(It.IsAny<SessionWrite>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task An_input_given_where_the_interview_is_held_is_applied_and_a_session_stored_without_a_place_takes_none()
    {
        var store = new InMemorySessionStore();
        var service = Service(store);
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, eventId: null, _ => Task.FromResult("thread-1"), CancellationToken.None);
        await service.StartAsync("c-2", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, CancellationToken.None);

        var held = await service.HandleInPlaceAsync("c-1", "thread-1", new HintRequested(), "evt-1", CancellationToken.None);
        var nowhere = await service.HandleInPlaceAsync("c-2", "thread-1", new HintRequested(), "evt-2", CancellationToken.None);

        Assert.IsType<PostHint>(Assert.Single(held!));
        Assert.Null(nowhere);
        Assert.Equal("thread-1", (await store.FindActiveAsync("c-1", CancellationToken.None))!.Session.Place);
    }

    [Fact]
    public async Task A_start_refused_as_already_in_progress_opens_no_place()
    {
        var service = Service(new InMemorySessionStore());
        var opened = 0;
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, eventId: null, _ => Task.FromResult($"thread-{++opened}"), CancellationToken.None);

        var again = await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 2, eventId: null, _ => Task.FromResult($"thread-{++opened}"), CancellationToken.None);

        Assert.DoesNotContain(again, a => a is PostIntroduction);
        Assert.Equal(1, opened);
    }

    [Fact]
    public async Task A_start_retried_after_a_conflict_opens_its_place_once()
    {
        var engine = new InterviewEngine(SampleQuestions.Bank());
        var store = new Mock<ISessionStore>();
        store.Setup(s => s.FindActiveAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync((VersionedSession?)null);
        store.Setup(s => s.SeenQuestionsAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new HashSet<string>());
        store.SetupSequence(s => s.WriteAsync(It.IsAny<SessionWrite>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WriteResult(WriteOutcome.Conflict, 0))
            .ReturnsAsync(new WriteResult(WriteOutcome.Saved, 1));
        var opened = 0;

        var started = await Service(store.Object).StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, eventId: null, _ => Task.FromResult($"thread-{++opened}"), CancellationToken.None);

        Assert.Contains(started, a => a is PostIntroduction);
        Assert.Equal(1, opened);
        store.Verify(s => s.WriteAsync(It.Is<SessionWrite>(w => w.Session.Place == "thread-1"), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Moving_an_interview_makes_inputs_in_its_old_place_do_nothing_and_a_candidate_without_one_has_nothing_moved()
    {
        var store = new InMemorySessionStore();
        var service = Service(store);
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, eventId: null, _ => Task.FromResult("thread-1"), CancellationToken.None);

        Assert.True(await service.MoveAsync("c-1", "thread-2", CancellationToken.None));
        Assert.False(await service.MoveAsync("c-9", "thread-2", CancellationToken.None));

        Assert.Null(await service.HandleInPlaceAsync("c-1", "thread-1", new HintRequested(), "evt-1", CancellationToken.None));
        Assert.NotNull(await service.HandleInPlaceAsync("c-1", "thread-2", new HintRequested(), "evt-2", CancellationToken.None));
    }

    [Fact]
    public async Task An_interview_this_process_last_wrote_elsewhere_is_read_before_an_input_given_in_its_place_is_refused()
    {
        // Another replica moved the interview back, or a failover lost this process's last write (the move).
        var engine = new InterviewEngine(SampleQuestions.Bank());
        var options = new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2);
        var stored = engine.Start("s-1", "c-1", options, 1, new HashSet<string>(), _time.GetUtcNow()).Session! with { Place = "thread-1" };
        var store = new Mock<ISessionStore>();
        store.Setup(s => s.FindActiveForWriteAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new VersionedSession(stored with { Place = "thread-2" }, 1) { Stamp = "lost-stamp" });
        store.Setup(s => s.FindActiveAsync("c-1", It.IsAny<CancellationToken>())).ReturnsAsync(new VersionedSession(stored, 1));
        store.Setup(s => s.WriteAsync(It.IsAny<SessionWrite>(), It.IsAny<CancellationToken>())).ReturnsAsync(new WriteResult(WriteOutcome.Saved, 2));

        var actions = await Service(store.Object).HandleInPlaceAsync("c-1", "thread-1", new HintRequested(), "evt-1", CancellationToken.None);

        Assert.IsType<PostHint>(Assert.Single(actions!));
        store.Verify(s => s.WriteAsync(It.Is<SessionWrite>(w => w.Session.Place == "thread-1"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task An_unreadable_session_is_left_alone_by_an_input_given_only_in_a_place_and_reset_by_one_given_where_the_candidates_record_says()
    {
        var store = new Mock<ISessionStore>();
        store.Setup(s => s.FindActiveForWriteAsync("c-1", It.IsAny<CancellationToken>())).ThrowsAsync(new UnreadableSessionException("damaged"));

        var inPlace = await Service(store.Object).HandleInPlaceAsync("c-1", "thread-1", new AnswerSubmitted("Chatter, perhaps."), "evt-1", CancellationToken.None);
        store.Verify(s => s.DiscardActiveAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        var recorded = await Service(store.Object).HandleInRecordedPlaceAsync("c-1", "thread-1", new AnswerSubmitted("My answer."), "evt-2", CancellationToken.None);

        Assert.Null(inPlace);
        Assert.Contains("could not be read", Assert.IsType<PostNotice>(Assert.Single(recorded!)).Text, StringComparison.Ordinal);
        store.Verify(s => s.DiscardActiveAsync("c-1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task An_input_in_the_recorded_thread_applies_to_an_interview_held_there_or_nowhere_but_not_to_one_held_elsewhere()
    {
        var store = new InMemorySessionStore();
        var service = Service(store);
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, eventId: null, _ => Task.FromResult("thread-2"), CancellationToken.None);
        await service.StartAsync("c-2", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, CancellationToken.None);

        var elsewhere = await service.HandleInRecordedPlaceAsync("c-1", "thread-1", new HintRequested(), "evt-1", CancellationToken.None);
        var there = await service.HandleInRecordedPlaceAsync("c-1", "thread-2", new HintRequested(), "evt-2", CancellationToken.None);
        var heldNowhere = await service.HandleInRecordedPlaceAsync("c-2", "thread-9", new HintRequested(), "evt-3", CancellationToken.None);
        var none = await service.HandleInRecordedPlaceAsync("c-3", "thread-3", new HintRequested(), "evt-4", CancellationToken.None);

        Assert.Null(elsewhere);
        Assert.IsType<PostHint>(Assert.Single(there!));
        Assert.IsType<PostHint>(Assert.Single(heldNowhere!));
        Assert.Contains("no interview in progress", Assert.IsType<PostNotice>(Assert.Single(none!)).Text, StringComparison.Ordinal);
    }
}
