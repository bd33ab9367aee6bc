using Mockingbird.Host.Rendering;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Host.Tests;

public sealed class TextRendererTests
{
    [Fact]
    public void Feedback_shows_each_section_that_has_lines_under_its_title_and_leaves_out_the_empty_ones()
    {
        var feedback = new Feedback(
            "q1",
            "rubric",
            "solid",
            [new DimensionScore("depth", 3, [], "explains why")],
            [new CoveredPoint("batching", "we batch requests")],
            [],
            2.5,
            ["short answer"],
            [],
            "practise tail latency");

        var text = TextRenderer.Feedback(feedback);

        Assert.Equal(
            string.Join(
                Environment.NewLine,
                "--- Feedback · 2.5/4 · solid ---",
                "  depth  3/4  explains why",
                "Covered:",
                "  ✓ batching",
                "      \"we batch requests\"",
                "Delivery (not scored):",
                "  · short answer",
                "Next drill: practise tail latency"),
            text);
    }

    [Fact]
    public void The_end_report_prints_highlights_with_quotes_and_the_debrief_with_both_rounds_quoted()
    {
        var card = new Scorecard(
            "s",
            [new StageResult(Stage.Behavioral, 3.0, 1, 0, 0, 0, null, null)],
            3.0,
            HiringSignal.Hire,
            0,
            ["offline-rubric"],
            [],
            false,
            Highlights: [new DimensionHighlight("depth", 3.5, Stage.Theory, "because the variance grows")],
            Debrief: new Debrief(
                [new DebriefFinding(DebriefKind.RepeatedQuestion, "Already stated.", new DebriefSide(Stage.Design, "A 50 ms latency budget.", ByInterviewer: true), new DebriefSide(Stage.QuestionsToAsk, "What is the latency budget?"))],
                Debriefs.Offline));

        var text = TextRenderer.Render(new PostScorecard(card));

        Assert.Contains("Strongest: depth 3.5/4 (theory) — “because the variance grows”", text, StringComparison.Ordinal);
        Assert.Contains(
            string.Join(
                Environment.NewLine,
                "Debrief: the rounds read together (read offline from rubric evidence)",
                "  • System design × Questions to ask: Already stated.",
                "      Interviewer (system design question): \"A 50 ms latency budget.\"",
                "      You (questions to ask): \"What is the latency budget?\""),
            text,
            StringComparison.Ordinal);
    }
}
