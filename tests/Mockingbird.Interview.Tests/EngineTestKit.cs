using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Interview.Tests;

/// <summary>Drives the engine through a session for the tests, with a fixed clock and a canned judgement.</summary>
internal sealed class EngineTestKit
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public EngineTestKit(QuestionBank? bank = null, InterviewRules? rules = null)
    {
        Engine = new InterviewEngine(bank ?? SampleQuestions.Bank(), rules ?? new InterviewRules());
    }

    public InterviewEngine Engine { get; }

    public InterviewSession Session { get; private set; } = null!;

    public IReadOnlyList<InterviewAction> LastActions { get; private set; } = [];

    public EngineTestKit Start(InterviewPlan plan, int? questions = null, ulong seed = 7)
    {
        var start = Engine.Start("s-1", "c-1", new InterviewOptions(plan, QuestionCount: questions), seed, new HashSet<string>(), Now);
        Session = start.Session ?? throw new InvalidOperationException("start was refused");
        LastActions = start.Actions;
        return this;
    }

    public IReadOnlyList<InterviewAction> Send(InterviewInput input)
    {
        var step = Engine.Handle(Session, input, Now.AddMinutes(1));
        Session = step.Session;
        LastActions = step.Actions;
        return step.Actions;
    }

    /// <summary>Answers and feeds back a canned judgement of <paramref name="total"/> for the pending turn.</summary>
    public IReadOnlyList<InterviewAction> AnswerAndJudge(string answer = "An answer with enough words to be judged.", double total = 3)
    {
        Send(new AnswerSubmitted(answer));
        var request = LastActions.OfType<RequestJudgement>().Single();
        return Send(new JudgementReady(request.TurnNumber, Feedback(request.Request.Question.Id, total)));
    }

    public static Feedback Feedback(string questionId, double total, string judge = "test-judge") => new(
        questionId,
        judge,
        "test",
        [new DimensionScore("coverage", (int)Math.Round(total), [], "canned")],
        [],
        ["a missed point"],
        total,
        [],
        [],
        $"drill for {questionId}");
}
