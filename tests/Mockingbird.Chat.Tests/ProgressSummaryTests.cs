using Mockingbird.Chat.Progress;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Tests;

public sealed class ProgressSummaryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rising_overall_scores_read_as_improving_with_the_scores_and_the_change()
    {
        var text = ProgressSummary.Text(History(2.0, 2.2, 2.6, 2.9));

        Assert.Contains("Trend over your last 4 scored interviews: improving (overall 2.0 → 2.2 → 2.6 → 2.9; about +0.9 over them).", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Falling_overall_scores_read_as_slipping()
    {
        var text = ProgressSummary.Text(History(3.2, 3.0, 2.9, 2.5, 2.4));

        Assert.Contains("slipping (overall 3.2 → 3.0 → 2.9 → 2.5 → 2.4; about -0.8 over them)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scores_that_wobble_around_one_level_read_as_flat_and_the_trend_reads_only_the_last_five()
    {
        // The first interview, long ago and weak, is outside the window.
        var text = ProgressSummary.Text(History(1.0, 2.5, 2.7, 2.4, 2.6, 2.5));

        Assert.Contains("Trend over your last 5 scored interviews: flat (overall 2.5 → 2.7 → 2.4 → 2.6 → 2.5", text, StringComparison.Ordinal);
        Assert.Equal(ProgressTrend.Flat, ProgressSummary.Trend(History(1.0, 2.5, 2.7, 2.4, 2.6, 2.5))!.Value.Trend);
    }

    [Fact]
    public void One_interview_has_no_trend_yet_and_still_lists_its_scorecard()
    {
        var text = ProgressSummary.Text(History(2.5));

        Assert.Contains("Trend: one scored interview so far (2.5/4), so no trend yet.", text, StringComparison.Ordinal);
        Assert.Contains("Your last 1 interview(s):\n• 2026-03-01 · full · 2.5/4 · Behavioral 2.0, Theory 2.5", text, StringComparison.Ordinal);
        Assert.Null(ProgressSummary.Trend(History(2.5)));
    }

    [Fact]
    public void An_interview_ended_early_is_listed_as_such_and_left_out_of_the_trend()
    {
        // The newest comes first: one strong answer, then /end.
        var history = History(2.0, 2.6, 2.4).Select((h, i) => i == 0 ? h with { Overall = 4.0, EndedEarly = true } : h).ToList();

        var text = ProgressSummary.Text(history);

        Assert.Contains("Trend over your last 2 scored interviews: improving (overall 2.0 → 2.6;", text, StringComparison.Ordinal);
        Assert.Contains("· 4.0/4 (ended early) ·", text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_history_says_how_to_start()
    {
        Assert.Equal(ProgressSummary.NoHistory, ProgressSummary.Text([]));
    }

    [Fact]
    public void The_best_and_weakest_rubric_dimensions_are_named_with_their_means()
    {
        var text = ProgressSummary.Text(History(2.0, 3.0));

        Assert.StartsWith("Best dimension: depth (3.5/4 over 2 interviews) · weakest: trade-offs (1.5/4 over 2 interviews).", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scorecard_lines_are_newest_first_and_at_most_ten_with_the_weakest_topics()
    {
        var text = ProgressSummary.Text(History([.. Enumerable.Range(0, 12).Select(i => 2.0)]));

        var lines = text.Split('\n').Where(l => l.StartsWith('•')).ToList();
        Assert.Equal(ProgressSummary.InterviewsListed, lines.Count);
        Assert.StartsWith("• 2026-05-17", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("Topics to work on: attention (2.0)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_series_shared_with_the_web_page_has_a_line_per_stage_and_the_most_judged_dimensions_oldest_first()
    {
        var series = ProgressSeries.From(History(2.0, 3.0));

        Assert.Equal(["Behavioral", "Theory"], series.Stages.Select(s => s.Name));
        Assert.Equal([2.0, 3.0], series.Stages[1].Points.Select(p => p.Score));
        Assert.Equal(["coverage", "depth", "trade-offs"], series.Dimensions.Select(s => s.Name));
        Assert.Equal(2, series.Interviews);
    }

    /// <summary>Interviews a week apart with these overall scores, oldest first; handed over newest first, as the store does.</summary>
    internal static List<HistoryEntry> History(params double[] overall) =>
        [.. overall.Select((score, i) => new HistoryEntry(
            Start.AddDays(7 * i),
            $"s-{i}",
            InterviewPlan.Full,
            score,
            [new StageScore(Stage.Behavioral, 2.0), new StageScore(Stage.Theory, score)],
            [new TopicScore("attention", 2.0)],
            [],
            [new DimensionAverage("coverage", score), new DimensionAverage("depth", 3.5), new DimensionAverage("trade-offs", 1.5)]))
            .Reverse()];
}
