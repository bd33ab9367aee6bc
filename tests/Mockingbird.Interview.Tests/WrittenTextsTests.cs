using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Interview.Tests;

/// <summary>Follow-ups and summaries an LLM wrote: one call per turn when the judge writes the follow-up, and every text stamped.</summary>
public sealed class WrittenTextsTests
{
    private const string MainAnswer = "I would stream tokens and cache frequent answers so that latency stays low.";
    private static readonly FeedbackSource JudgePrompt = new("llm", "m", "judge-design", "v3", "abc123", "default");
    private static readonly FeedbackSource InterviewerPrompt = new("llm", "m", "interviewer-follow-up", "v1", "def456", "default");

    private readonly FakeTimeProvider _time = new(EngineTestKit.Now);
    private readonly InMemorySessionStore _store = new();
    private readonly List<SessionWrite> _writes = [];
    private readonly Mock<IFollowUpWriter> _interviewer = new();

    /// <summary>How many completing writes lose to a version conflict before one is saved.</summary>
    private int _completionConflicts;

    private InterviewService Service(Func<JudgeRequest, Feedback> judge, IScorecardWriter? summaries = null, IDebriefWriter? debriefs = null)
    {
        var judgeMock = new Mock<IAnswerJudge>();
        judgeMock.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync((JudgeRequest r, CancellationToken _) => judge(r));
        var store = new Mock<ISessionStore>();
        store.Setup(s => s.FindActiveAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns((string c, CancellationToken t) => _store.FindActiveAsync(c, t));
        store.Setup(s => s.FindActiveForWriteAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns((string c, CancellationToken t) => _store.FindActiveAsync(c, t));
        store.Setup(s => s.SeenQuestionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns((string c, CancellationToken t) => _store.SeenQuestionsAsync(c, t));
        store.Setup(s => s.WriteAsync(It.IsAny<SessionWrite>(), It.IsAny<CancellationToken>())).Returns((SessionWrite w, CancellationToken t) =>
        {
            _writes.Add(w);
            if (w.Session.Phase == SessionPhase.Completed && _completionConflicts > 0)
            {
                _completionConflicts--;
                return Task.FromResult(new WriteResult(WriteOutcome.Conflict, w.ExpectedVersion));
            }

            return _store.WriteAsync(w, t);
        });
        return new InterviewService(new InterviewEngine(SampleQuestions.Bank()), store.Object, judgeMock.Object, _time, JudgingMode.Inline, _interviewer.Object, summaries, debriefWriter: debriefs);
    }

    private static Feedback Judged(JudgeRequest request, FeedbackSource source, WrittenText? next = null) =>
        EngineTestKit.Feedback(request.Question.Id, 3) with { Source = source, NextFollowUp = next };

    [Fact]
    public async Task The_judges_own_follow_up_is_asked_and_kept_with_its_stamp_and_the_interviewer_is_not_called()
    {
        const string written = "You said you would cache answers: what hit rate do you expect?";
        var service = Service(r => Judged(r, JudgePrompt, new WrittenText(written, JudgePrompt)));
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.SystemDesign, QuestionCount: 1), 1, default);

        var actions = await service.HandleAsync("c-1", new AnswerSubmitted(MainAnswer), default);

        Assert.Equal(written, actions.OfType<PostQuestion>().Single().Text);
        var saved = (await _store.FindActiveAsync("c-1", default))!.Session;
        Assert.Equal(written, Assert.Single(saved.WrittenFollowUps).Value);
        Assert.Equal(JudgePrompt, saved.FollowUpSources[saved.Current.Key]);
        _interviewer.Verify(w => w.WriteAsync(It.IsAny<FollowUpRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Without_a_follow_up_from_the_judge_the_interviewer_writes_it_and_its_own_stamp_is_kept()
    {
        const string written = "What would your first-token budget be?";
        _interviewer.Setup(w => w.WriteAsync(It.IsAny<FollowUpRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new WrittenText(written, InterviewerPrompt));
        var service = Service(r => Judged(r, JudgePrompt));
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.SystemDesign, QuestionCount: 1), 1, default);

        var actions = await service.HandleAsync("c-1", new AnswerSubmitted(MainAnswer), default);

        Assert.Equal(written, actions.OfType<PostQuestion>().Single().Text);
        var saved = (await _store.FindActiveAsync("c-1", default))!.Session;
        Assert.Equal(InterviewerPrompt, saved.FollowUpSources[saved.Current.Key]);
    }

    [Fact]
    public async Task After_the_offline_judge_stood_in_for_a_failing_llm_the_banks_follow_up_is_asked_without_another_llm_call()
    {
        var service = Service(r => Judged(r, new FeedbackSource("offline-fallback")));
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.SystemDesign, QuestionCount: 1), 1, default);

        var actions = await service.HandleAsync("c-1", new AnswerSubmitted(MainAnswer), default);

        Assert.Equal(SampleQuestions.SupportAssistant.FollowUps[0], actions.OfType<PostQuestion>().Single().Text);
        Assert.Empty((await _store.FindActiveAsync("c-1", default))!.Session.FollowUpSources);
        _interviewer.Verify(w => w.WriteAsync(It.IsAny<FollowUpRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task The_judge_of_a_follow_up_answer_gets_the_earlier_answers_on_the_question_for_its_summary()
    {
        var requests = new List<JudgeRequest>();
        var service = Service(r =>
        {
            requests.Add(r);
            return Judged(r, JudgePrompt);
        });
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.SystemDesign, QuestionCount: 1), 1, default);

        await service.HandleAsync("c-1", new AnswerSubmitted(MainAnswer), default);
        await service.HandleAsync("c-1", new AnswerSubmitted("About a third of questions repeat, so I would aim for a 30% hit rate."), default);

        Assert.Empty(requests[0].Earlier!);
        var earlier = Assert.Single(requests[1].Earlier!);
        Assert.Equal((SampleQuestions.SupportAssistant.Prompt, 3.0), (earlier.Asked, earlier.Score));
    }

    [Fact]
    public async Task The_written_summary_is_saved_with_the_completed_session_and_its_stamp()
    {
        var summaryPrompt = new FeedbackSource("llm", "m", "interview-summary", "v1", "0123", "default");
        var summaries = new Mock<IScorecardWriter>();
        summaries.Setup(w => w.SummariseAsync(It.IsAny<Scoring.Scorecard>(), It.IsAny<InterviewPlan>(), It.IsAny<IReadOnlyList<TurnNote>>(), "c-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WrittenText("Strong on serving; practise cost next.", summaryPrompt));
        var service = Service(r => Judged(r, JudgePrompt), summaries.Object);
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, default);
        await service.HandleAsync("c-1", new AnswerSubmitted("Because the variance grows with dimension, the softmax saturates and the gradients vanish."), default);

        var ended = await service.HandleAsync("c-1", new EndRequested(), default);

        var card = Assert.IsType<PostScorecard>(Assert.Single(ended)).Scorecard;
        Assert.Equal(("Strong on serving; practise cost next.", summaryPrompt), (card.Summary, card.SummarySource));
        var completed = _writes[^1].Session;
        Assert.Equal(SessionPhase.Completed, completed.Phase);
        Assert.Equal(new WrittenText("Strong on serving; practise cost next.", summaryPrompt), completed.Summary);
    }

    /// <summary>Answers until the interview has reached its second round, so its end report reads the rounds together.</summary>
    private async Task AnswerIntoTheSecondRoundAsync(InterviewService service)
    {
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Full), 1, default);
        for (var guard = 0; guard < 6 && (await _store.FindActiveAsync("c-1", default))!.Session.Turns.All(t => t.Stage == Stage.Behavioral); guard++)
        {
            await service.HandleAsync("c-1", new AnswerSubmitted("I led the rollback and we cut the error rate by 40% within an hour."), default);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_llms_debrief_replaces_the_offline_one_on_the_posted_end_report_and_a_failed_one_leaves_it(bool llmAnswers)
    {
        var debriefPrompt = new FeedbackSource("llm", "m", "debrief", "v1", "4567", "default");
        var debriefs = new Mock<IDebriefWriter>();
        DebriefRequest? asked = null;
        debriefs.Setup(w => w.DebriefAsync(It.IsAny<DebriefRequest>(), It.IsAny<CancellationToken>()))
            .Callback((DebriefRequest r, CancellationToken _) => asked = r)
            .ReturnsAsync(llmAnswers ? new Debrief([], debriefPrompt) : null);
        var service = Service(r => Judged(r, JudgePrompt), debriefs: debriefs.Object);
        await AnswerIntoTheSecondRoundAsync(service);

        var ended = await service.HandleAsync("c-1", new EndRequested(), default);

        var card = ended.OfType<PostScorecard>().Single().Scorecard;
        Assert.Equal(llmAnswers ? debriefPrompt : Debriefs.Offline, card.Debrief!.Source);
        Assert.Equal([Stage.Behavioral, Stage.Theory], asked!.Turns.Select(t => t.Stage).Distinct());
        Assert.All(asked.Turns, t => Assert.NotEmpty(t.Quotes));
        Assert.Equal("c-1", asked.CandidateId);
        Assert.Equal(llmAnswers ? card.Debrief : null, _writes[^1].Session.Debrief);
    }

    [Fact]
    public async Task Without_a_debrief_writer_the_offline_debrief_is_posted_beside_the_written_summary()
    {
        var summaries = new Mock<IScorecardWriter>();
        summaries.Setup(w => w.SummariseAsync(It.IsAny<Scoring.Scorecard>(), It.IsAny<InterviewPlan>(), It.IsAny<IReadOnlyList<TurnNote>>(), "c-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WrittenText("Strong on serving; practise cost next.", new FeedbackSource("llm", "m", "interview-summary", "v1", "0123", "default")));
        var service = Service(r => Judged(r, JudgePrompt), summaries.Object);
        await AnswerIntoTheSecondRoundAsync(service);

        var ended = await service.HandleAsync("c-1", new EndRequested(), default);

        var card = ended.OfType<PostScorecard>().Single().Scorecard;
        Assert.Equal(Debriefs.Offline, card.Debrief!.Source);
        Assert.Equal("Strong on serving; practise cost next.", card.Summary);
        Assert.Null(_writes[^1].Session.Debrief);
    }

    [Fact]
    public async Task A_completion_applied_again_after_a_version_conflict_posts_the_debrief_and_summary_written_the_first_time()
    {
        var debriefPrompt = new FeedbackSource("llm", "m", "debrief", "v1", "4567", "default");
        var finding = new DebriefFinding(DebriefKind.UnbackedClaim, "first reading", new DebriefSide(Stage.Behavioral, "I led the rollback"), new DebriefSide(Stage.Theory, "the softmax saturates"));
        var debriefs = new Mock<IDebriefWriter>();
        debriefs.SetupSequence(w => w.DebriefAsync(It.IsAny<DebriefRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Debrief([finding], debriefPrompt))
            .ReturnsAsync(new Debrief([], debriefPrompt));
        var summaries = new Mock<IScorecardWriter>();
        summaries.SetupSequence(w => w.SummariseAsync(It.IsAny<Scoring.Scorecard>(), It.IsAny<InterviewPlan>(), It.IsAny<IReadOnlyList<TurnNote>>(), "c-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WrittenText("first summary", debriefPrompt with { PromptName = "interview-summary" }))
            .ReturnsAsync(new WrittenText("second summary", debriefPrompt with { PromptName = "interview-summary" }));
        var service = Service(r => Judged(r, JudgePrompt), summaries.Object, debriefs.Object);
        await AnswerIntoTheSecondRoundAsync(service);
        _completionConflicts = 1;

        var ended = await service.HandleAsync("c-1", new EndRequested(), default);

        var card = ended.OfType<PostScorecard>().Single().Scorecard;
        Assert.Equal([finding], card.Debrief!.Findings);
        Assert.Equal("first summary", card.Summary);
        debriefs.Verify(w => w.DebriefAsync(It.IsAny<DebriefRequest>(), It.IsAny<CancellationToken>()), Times.Once);
        summaries.Verify(w => w.SummariseAsync(It.IsAny<Scoring.Scorecard>(), It.IsAny<InterviewPlan>(), It.IsAny<IReadOnlyList<TurnNote>>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(2, _writes.Count(w => w.Session.Phase == SessionPhase.Completed));
        Assert.Equal([finding], _writes[^1].Session.Debrief!.Findings);
    }

    [Fact]
    public void A_session_stored_before_written_texts_were_stamped_still_loads_with_no_stamps()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);
        kit.AnswerAndJudge();
        kit.Send(new FollowUpWritten(kit.Session.Current, "What hit rate do you expect?"));
        var stored = JsonNode.Parse(JsonSerializer.Serialize(kit.Session, JsonSerializerOptions.Web))!.AsObject();
        stored.Remove("followUpSources");
        stored.Remove("summary");

        var loaded = JsonSerializer.Deserialize<InterviewSession>(stored.ToJsonString(), JsonSerializerOptions.Web)!;

        Assert.Equal("What hit rate do you expect?", loaded.WrittenFollowUps[loaded.Current.Key]);
        Assert.Empty(loaded.FollowUpSources);
        Assert.Null(loaded.Summary);
    }
}
