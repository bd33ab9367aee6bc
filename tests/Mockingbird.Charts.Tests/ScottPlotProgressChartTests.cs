using Mockingbird.Chat.Progress;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using SkiaSharp;

namespace Mockingbird.Charts.Tests;

public sealed class ScottPlotProgressChartTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 18, 0, 0, TimeSpan.Zero);

    /// <summary>Discord's attachment limit for a bot without boosts; Slack's is far higher.</summary>
    private const int PlatformLimitBytes = 25 * 1024 * 1024;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly ScottPlotProgressChart _chart = new();

    [Fact]
    public void A_history_is_drawn_as_a_png_that_decodes_at_the_chart_size_within_platform_limits()
    {
        var image = _chart.Render(ProgressSeries.From(History(5)));
        var png = image.Png.ToArray();

        Assert.Equal(PngSignature, png[..8]);
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal((ScottPlotProgressChart.Width, ScottPlotProgressChart.Height), (bitmap.Width, bitmap.Height));
        Assert.InRange(bitmap.Width, 400, 2000);
        Assert.InRange(png.Length, 10_000, Math.Min(PlatformLimitBytes, 500_000));
        Assert.Equal("progress.png", image.FileName);
    }

    [Fact]
    public void The_chart_is_not_trivial_it_holds_many_colours_from_its_lines_markers_and_text()
    {
        using var bitmap = SKBitmap.Decode(_chart.Render(ProgressSeries.From(History(5))).Png.ToArray());

        var colours = new HashSet<uint>();
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                colours.Add((uint)bitmap.GetPixel(x, y));
            }
        }

        Assert.True(colours.Count > 50, $"only {colours.Count} distinct colours: the chart looks empty");
        Assert.True(Pixels(bitmap, 0xD5, 0x5E, 0x00) > 100, "the second line's colour (#D55E00) is hardly drawn");
    }

    [Fact]
    public void Titles_are_rendered_as_text_with_the_fonts_the_machine_has()
    {
        using var bitmap = SKBitmap.Decode(_chart.Render(ProgressSeries.From(History(3))).Png.ToArray());

        // Each panel's title is centred in a band above its plotting area. Glyphs make rows partly dark there; the
        // frame of a plot without a title would make a row wholly dark instead. Without a font nothing is drawn.
        var half = ScottPlotProgressChart.Height / 2;
        Assert.True(GlyphRows(bitmap, 0, 35) >= 8, "no text in the top panel's title band: is a font installed?");
        Assert.True(GlyphRows(bitmap, half, half + 35) >= 8, "no text in the bottom panel's title band");
    }

    [Fact]
    public void One_interview_is_drawn_as_points_without_lines()
    {
        using var one = SKBitmap.Decode(_chart.Render(ProgressSeries.From(History(1))).Png.ToArray());
        using var two = SKBitmap.Decode(_chart.Render(ProgressSeries.From(History(2))).Png.ToArray());

        var blue = (0x00, 0x72, 0xB2);
        var markerOnly = Pixels(one, blue.Item1, blue.Item2, blue.Item3);
        var withLine = Pixels(two, blue.Item1, blue.Item2, blue.Item3);
        Assert.True(markerOnly > 20, $"the single interview's point is not drawn ({markerOnly} pixels)");
        Assert.True(withLine > markerOnly * 3, $"two interviews ({withLine} pixels) should add a line that one ({markerOnly}) does not have");
    }

    [Fact]
    public void The_alt_text_says_how_many_interviews_and_the_latest_scores()
    {
        var image = _chart.Render(ProgressSeries.From(History(2)));

        Assert.Equal("Your progress over 2 interviews", image.Title);
        Assert.Contains("2 interviews", image.AltText, StringComparison.Ordinal);
        Assert.Contains("Theory 3.0", image.AltText, StringComparison.Ordinal);
        Assert.Contains("depth 3.5", image.AltText, StringComparison.Ordinal);
    }

    /// <summary>Interviews a week apart, theory scores rising by half a point, behavioral flat.</summary>
    private static List<HistoryEntry> History(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new HistoryEntry(
            Start.AddDays(7 * i),
            $"s-{i}",
            InterviewPlan.Full,
            2 + 0.25 * i,
            [new StageScore(Stage.Behavioral, 2.5), new StageScore(Stage.Theory, 2.5 + 0.5 * i), new StageScore(Stage.Design, 2 + 0.1 * i)],
            [new TopicScore("attention", 2 + 0.3 * i)],
            [],
            [new DimensionAverage("coverage", 2 + 0.2 * i), new DimensionAverage("depth", 3 + 0.5 * i), new DimensionAverage("trade-offs", 1.5)]))];

    private static int Pixels(SKBitmap bitmap, int red, int green, int blue)
    {
        var count = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - red) < 12 && Math.Abs(c.Green - green) < 12 && Math.Abs(c.Blue - blue) < 12)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Rows between <paramref name="fromRow"/> and <paramref name="toRow"/> that are partly, not wholly, dark across the middle.</summary>
    private static int GlyphRows(SKBitmap bitmap, int fromRow, int toRow)
    {
        const int left = 300, right = 600;
        var rows = 0;
        for (var y = fromRow; y < toRow; y++)
        {
            var dark = 0;
            for (var x = left; x < right; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 300)
                {
                    dark++;
                }
            }

            if (dark is > 0 and < (right - left) * 3 / 4)
            {
                rows++;
            }
        }

        return rows;
    }
}
