using Mockingbird.Host.Rendering;
using Mockingbird.Interview.Judging;

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
}
