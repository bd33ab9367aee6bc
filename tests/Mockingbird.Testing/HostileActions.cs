using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Testing;

/// <summary>
/// Every kind of interview action, each carrying text that tries to mention people, and long enough to press on a
/// platform's limits: what a renderer must keep inert and within bounds.
/// </summary>
public static class HostileActions
{
    /// <param name="hostile">The platform's mention and link syntax, which must never come out live.</param>
    /// <param name="padding">Characters added to each rationale (and, less 100, to each piece of evidence).</param>
    public static Feedback LongFeedback(string hostile, int padding) => new(
        "q",
        "offline-rubric",
        "Offline rubric judge " + hostile,
        [.. Enumerable.Range(1, 6).Select(i => new DimensionScore($"dimension-{i}", 3, [], hostile + new string('r', padding)))],
        [.. Enumerable.Range(1, 8).Select(i => new CoveredPoint($"point {i} " + hostile, hostile + new string('e', padding - 100)))],
        [.. Enumerable.Range(1, 8).Select(i => $"missed point {i} " + hostile)],
        2.5,
        ["Long answer " + hostile],
        ["Possible instruction to the judge " + hostile],
        "Practise " + hostile);

    /// <summary>
    /// A full interview's end report at its longest: quoted highlights, a debrief with as many findings as an LLM may
    /// return, each quoting the candidate at the longest a kept quote can be, notes at the longest a reply may write,
    /// and a job description's every requirement at its longest.
    /// </summary>
    public static PostScorecard EndReport(string hostile)
    {
        var quote = (hostile + new string('w', 120))[..120];
        var note = (hostile + new string('n', 300))[..300];
        DebriefFinding Finding(DebriefKind kind, Stage first, Stage second, bool byInterviewer = false) =>
            new(kind, note, new DebriefSide(first, quote, byInterviewer), new DebriefSide(second, quote));
        return new PostScorecard(new Scorecard(
            "s",
            [new StageResult(Stage.Behavioral, 3.0, 2, 1, 0, 0, "star-structure", "ownership"), new StageResult(Stage.Theory, 2.5, 3, 1, 0, 1, "attention", "rag")],
            2.5,
            HiringSignal.LeanHire,
            1,
            ["offline-rubric"],
            ["Drill " + hostile, "Another drill"],
            true,
            "Summary " + hostile,
            Highlights: [new DimensionHighlight("depth", 3.5, Stage.Theory, quote), new DimensionHighlight("cost", 1.5, Stage.Design, quote)],
            Debrief: new Debrief(
                [
                    Finding(DebriefKind.UnbackedClaim, Stage.Behavioral, Stage.Design),
                    Finding(DebriefKind.IgnoredTradeOff, Stage.Theory, Stage.Design),
                    Finding(DebriefKind.RepeatedQuestion, Stage.Design, Stage.QuestionsToAsk, byInterviewer: true),
                    Finding(DebriefKind.RepeatedQuestion, Stage.Theory, Stage.QuestionsToAsk),
                    Finding(DebriefKind.UnbackedClaim, Stage.Behavioral, Stage.Design),
                ],
                new FeedbackSource("llm", "m", "debrief", "v1")),
            JobCoverage: [.. Enumerable.Range(0, JobDescription.MaxRequirements).Select(i => new RequirementCoverage((hostile + new string('r', JobDescription.MaxRequirementLength))[..JobDescription.MaxRequirementLength], i % 2 == 0))]));
    }

    /// <param name="followUpPadding">Characters added to the follow-up question, to make it overflow one block or message.</param>
    public static IReadOnlyList<InterviewAction> EveryKind(string hostile, int padding, int followUpPadding = 0) =>
    [
        new PostIntroduction(new InterviewOptions(InterviewPlan.Full), [new StagePlan(Stage.Behavioral, 2), new StagePlan(Stage.Theory, 3)], ["Only 2 questions matched " + hostile]),
        new PostQuestion(1, 7, Stage.Theory, "q", "Explain attention " + hostile, null, false),
        new PostHint("Think about " + hostile, 1, 2),
        new AcknowledgeAnswer(1, 120),
        new PostFeedback(1, 1, null, LongFeedback(hostile, padding)),
        new PostQuestion(1, 7, Stage.Theory, "q", "A follow-up " + hostile + new string('q', followUpPadding), 1, true),
        EndReport(hostile),
        new PostNotice("Your answer is saved " + hostile, NoticeKind.Rejected),
    ];
}
