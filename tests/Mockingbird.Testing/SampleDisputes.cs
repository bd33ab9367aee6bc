using Mockingbird.Disputes;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Testing;

/// <summary>Disputes and the feedback they contest, for the dispute tests and the store contract.</summary>
public static class SampleDisputes
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The server the sample disputes are filed in and their voters opt in to.</summary>
    public const string Place = "discord:100000000000000001";

    /// <summary>Another server, whose people must see nothing of <see cref="Place"/>'s disputes.</summary>
    public const string Elsewhere = "slack:T0ELSEWHERE";

    public const string Answer = "Dot products grow with the dimension, so the softmax saturates. Thanks <@U0CANDIDATE> and @ann.";

    public static FeedbackSource Llm(string version = "v1", string prompt = "judge-theory") => new("llm", "gpt-x", prompt, version);

    public static Feedback Feedback(int coverage = 2, FeedbackSource? source = null) => new(
        SampleQuestions.Attention.Id,
        "llm",
        "LLM judge",
        [new DimensionScore("coverage", coverage, ["the softmax saturates"], "two of four points"), new DimensionScore("depth", 3, [], "explains why")],
        [],
        [],
        2.5,
        [],
        [],
        "Say why saturation hurts gradients.",
        Source: source ?? Llm());

    public static DisputeRequest Request(string candidate = "cand-1", string feedbackId = "f-1", string dimension = "coverage", string reason = "I named the variance growth and the saturation.", int judgeScore = 2, FeedbackSource? source = null, string place = Place) =>
        new(candidate, place, feedbackId, SampleQuestions.Attention, Answer, Feedback(judgeScore, source), dimension, reason);

    /// <summary>A dispute as the rules draft it, opened <paramref name="openedAt"/>.</summary>
    public static Dispute Dispute(string candidate = "cand-1", string feedbackId = "f-1", DateTimeOffset? openedAt = null, int judgeScore = 2, FeedbackSource? source = null, string place = Place) =>
        DisputeRules.Draft(Request(candidate, feedbackId, judgeScore: judgeScore, source: source, place: place), openedAt ?? Start).Dispute!;

    /// <summary>A finished one-question theory interview whose answer the LLM judge scored, served with <paramref name="servedWith"/>.</summary>
    public static InterviewSession FinishedInterview(string candidate, FeedbackSource? servedWith = null, string answer = "Dot products grow with the dimension, so the softmax saturates.")
    {
        var question = SampleQuestions.Attention;
        return new InterviewSession(
            $"s-{candidate}",
            candidate,
            new InterviewOptions(InterviewPlan.Theory),
            7,
            [new PlannedQuestion(question.Id, question.Stage)],
            new InterviewItem(0),
            SessionPhase.Completed,
            [new Turn(1, question.Id, question.Stage, null, TurnOutcome.Answered, answer, 0, Start, new TurnScore("llm:gpt-x", 2, [new ScoredDimension("coverage", 2)], [], "drill") { Source = servedWith ?? Llm() })],
            new Dictionary<string, int>(),
            false,
            Start,
            Start);
    }
}
