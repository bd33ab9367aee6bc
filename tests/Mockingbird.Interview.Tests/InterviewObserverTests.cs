using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;

namespace Mockingbird.Interview.Tests;

/// <summary>The steps of an interview reach an observer once each, after the store took them, on both judging paths.</summary>
public sealed class InterviewObserverTests
{
    private const string Candidate = "discord:g:c-1";
    private const string Answer = "Dot products grow in variance with the key dimension, so the softmax saturates and its gradients vanish.";

    private readonly FakeTimeProvider _time = new(EngineTestKit.Now);
    private readonly InMemorySessionStore _store = new();
    private readonly StepsSeen _steps = new();

    private InterviewService Service(JudgingMode mode) =>
        new(new InterviewEngine(SampleQuestions.Bank()), _store, new RubricJudge(), _time, mode, observer: _steps);

    [Fact]
    public async Task Inline_a_start_each_answer_and_the_scorecard_are_reported_once_each_with_the_session_and_turn()
    {
        var service = Service(JudgingMode.Inline);

        await service.StartAsync(Candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, "start-1", default);
        await service.StartAsync(Candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, "start-1", default);
        await service.HandleAsync(Candidate, new AnswerSubmitted(Answer), "answer-1", default);
        await service.HandleAsync(Candidate, new AnswerSubmitted(Answer), "answer-1", default);
        await service.HandleAsync(Candidate, new AnswerSubmitted(Answer), "answer-2", default);

        var session = (await service.HistoryAsync(Candidate, default)).Single().SessionId;
        Assert.Equal([$"started {session}", $"answered {session}:1", $"answered {session}:2", $"finished {session}"], _steps.Seen);
    }

    [Fact]
    public async Task Queued_the_worker_reports_the_finish_once_and_a_rerun_job_reports_nothing_more()
    {
        var service = Service(JudgingMode.Queued);
        var worker = new JudgingWorker(new InterviewEngine(SampleQuestions.Bank()), _store, _store, new RubricJudge(), new RecordingOutput(), _time, new RecordingLogger<JudgingWorker>(), observer: _steps);
        await service.StartAsync(Candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 1), 1, default);

        await service.HandleAsync(Candidate, new AnswerSubmitted(Answer), default);
        var job = Assert.Single(await _store.TakeAsync("w-1", 10, default));
        await worker.ProcessAsync(job, default);
        await worker.ProcessAsync(job, default);

        Assert.Equal(["started", "answered", "finished"], _steps.Seen.Select(s => s.Split(' ')[0]));
    }

    [Fact]
    public async Task A_skipped_question_or_a_hint_is_not_reported_as_an_answer()
    {
        var service = Service(JudgingMode.Inline);
        await service.StartAsync(Candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 1, default);

        await service.HandleAsync(Candidate, new SkipRequested(), default);
        await service.HandleAsync(Candidate, new HintRequested(), default);

        Assert.Equal(["started"], _steps.Seen.Select(s => s.Split(' ')[0]));
    }

    private sealed class StepsSeen : IInterviewObserver
    {
        public List<string> Seen { get; } = [];

        public Task StartedAsync(string candidateId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken)
        {
            Seen.Add($"started {sessionId}");
            return Task.CompletedTask;
        }

        public Task AnsweredAsync(string candidateId, string sessionId, int turn, DateTimeOffset at, CancellationToken cancellationToken)
        {
            Seen.Add($"answered {sessionId}:{turn}");
            return Task.CompletedTask;
        }

        public Task FinishedAsync(string candidateId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken)
        {
            Seen.Add($"finished {sessionId}");
            return Task.CompletedTask;
        }
    }
}
