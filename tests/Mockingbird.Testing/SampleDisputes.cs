using Mockingbird.Disputes;
using Mockingbird.Interview.Judging;

namespace Mockingbird.Testing;

/// <summary>Disputes and the feedback they contest, for the dispute tests and the store contract.</summary>
public static class SampleDisputes
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

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

    public static DisputeRequest Request(string candidate = "cand-1", string feedbackId = "f-1", string dimension = "coverage", string reason = "I named the variance growth and the saturation.", int judgeScore = 2, FeedbackSource? source = null) =>
        new(candidate, feedbackId, SampleQuestions.Attention, Answer, Feedback(judgeScore, source), dimension, reason);

    /// <summary>A dispute as the rules draft it, opened <paramref name="openedAt"/>.</summary>
    public static Dispute Dispute(string candidate = "cand-1", string feedbackId = "f-1", DateTimeOffset? openedAt = null, int judgeScore = 2, FeedbackSource? source = null) =>
        DisputeRules.Draft(Request(candidate, feedbackId, judgeScore: judgeScore, source: source), openedAt ?? Start).Dispute!;
}
