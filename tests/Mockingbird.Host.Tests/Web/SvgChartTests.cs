using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Mockingbird.Host.Web;

namespace Mockingbird.Host.Tests.Web;

public sealed partial class SvgChartTests
{
    private static readonly DateTimeOffset Monday = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Points_scale_into_the_plot_box_with_the_first_moment_left_the_last_right_the_floor_low_and_the_ceiling_high()
    {
        var chart = Chart(
            new ChartSeries("v1", [new(Monday, 0), new(Monday.AddDays(1), 0.5), new(Monday.AddDays(2), 1)]),
            new ChartSeries("v2", [new(Monday.AddHours(12), 0.25), new(Monday.AddDays(1), 0.75)]));

        var svg = Parse(SvgChart.Render(chart));
        var points = Lines(svg).SelectMany(l => l.Points).ToList();

        Assert.Equal(5, points.Count);
        Assert.All(points, p =>
        {
            Assert.InRange(p.X, SvgChart.PlotLeft, SvgChart.PlotRight);
            Assert.InRange(p.Y, SvgChart.PlotTop, SvgChart.PlotBottom);
        });
        var v1 = Lines(svg).Single(l => l.Series == "v1").Points;
        Assert.Equal((SvgChart.PlotLeft, SvgChart.PlotBottom), v1[0]);
        Assert.Equal(((SvgChart.PlotLeft + SvgChart.PlotRight) / 2, (SvgChart.PlotTop + SvgChart.PlotBottom) / 2), v1[1]);
        Assert.Equal((SvgChart.PlotRight, SvgChart.PlotTop), v1[2]);
        Assert.Equal(5, svg.Descendants(Svg + "circle").Count());
    }

    [Fact]
    public void An_interval_is_a_band_that_stays_inside_the_box_even_past_the_ceiling()
    {
        var chart = Chart(new ChartSeries("v1", [new(Monday, 0.5, 0.3, 0.7), new(Monday.AddDays(1), 0.9, 0.8, 1.4)]));

        var svg = Parse(SvgChart.Render(chart));
        var band = svg.Descendants(Svg + "path").Single(p => (string?)p.Attribute("class") == "band");

        var corners = Coordinates((string)band.Attribute("d")!);
        Assert.Equal(4, corners.Count);
        Assert.All(corners, c => Assert.InRange(c.Y, SvgChart.PlotTop, SvgChart.PlotBottom));
        Assert.Contains(corners, c => c.Y == SvgChart.PlotTop);
    }

    [Fact]
    public void A_chart_without_points_draws_its_frame_legend_and_says_so_without_any_data_path()
    {
        var rendered = SvgChart.Render(Chart(new ChartSeries("v1", []), new ChartSeries("v2", [])));

        var svg = Parse(rendered);
        Assert.Empty(Lines(svg));
        Assert.Empty(svg.Descendants(Svg + "circle"));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "No data yet");
        Assert.Equal(["v1", "v2"], svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend").Elements(Svg + "text").Select(t => t.Value));
        Assert.Equal("Share per arm: no data yet.", svg.Element(Svg + "desc")!.Value);
    }

    [Fact]
    public void A_single_look_sits_in_the_middle_and_a_flat_series_still_has_a_range()
    {
        var svg = Parse(SvgChart.Render(new LineChart("c", "Latency", [new ChartSeries("v1", [new(Monday, 2.5)])], v => v.ToString("0.0", CultureInfo.InvariantCulture), Floor: 2.5)));

        var point = Assert.Single(Lines(svg).Single().Points);
        Assert.Equal((SvgChart.PlotLeft + SvgChart.PlotRight) / 2, point.X);
        Assert.InRange(point.Y, SvgChart.PlotTop, SvgChart.PlotBottom);
    }

    [Fact]
    public void Names_are_encoded_labelled_for_screen_readers_and_the_output_is_the_same_every_time()
    {
        var chart = Chart(new ChartSeries("<script>x</script>", [new(Monday, 0.4), new(Monday.AddDays(1), 0.6)]));

        var first = SvgChart.Render(chart);

        Assert.Equal(first, SvgChart.Render(chart));
        Assert.DoesNotContain("<script>", first, StringComparison.Ordinal);
        var svg = Parse(first);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal("share-title share-desc", (string?)svg.Attribute("aria-labelledby"));
        Assert.Equal("Share per arm. Latest: <script>x</script> 60%.", svg.Element(Svg + "desc")!.Value);
    }

    [Fact]
    public void Values_that_are_not_numbers_are_left_out_and_an_interval_that_is_not_one_is_dropped_rather_than_drawn()
    {
        var chart = Chart(new ChartSeries("v1", [new(Monday, 0.4), new(Monday.AddHours(1), double.NaN), new(Monday.AddHours(2), double.PositiveInfinity), new(Monday.AddHours(3), 0.5, double.NaN, 0.7)]));

        var text = SvgChart.Render(chart);

        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", text, StringComparison.Ordinal);
        var svg = Parse(text);
        Assert.Equal(2, svg.Descendants(Svg + "circle").Count());
        Assert.Equal([(SvgChart.PlotLeft, 132.0), (SvgChart.PlotRight, 112.0)], Lines(svg).Single().Points);
        Assert.DoesNotContain(svg.Descendants(Svg + "path"), p => (string?)p.Attribute("class") == "band");
    }

    [Fact]
    public void A_series_looked_at_hourly_for_months_is_thinned_evenly_to_what_the_plot_can_show_keeping_its_first_and_latest_look()
    {
        var looks = Enumerable.Range(0, 2_000).Select(h => new ChartPoint(Monday.AddHours(h), h % 2 == 0 ? 0.4 : 0.6)).ToList();

        var svg = Parse(SvgChart.Render(Chart(new ChartSeries("v1", looks))));

        var titles = svg.Descendants(Svg + "circle").Select(c => c.Element(Svg + "title")!.Value).ToList();
        Assert.Equal(SvgChart.MaxPointsPerSeries, titles.Count);
        Assert.Equal("v1, 2025-06-02 00:00: 40%", titles[0]);
        Assert.Equal("v1, 2025-08-24 07:00: 60%", titles[^1]);
        Assert.Equal(SvgChart.MaxPointsPerSeries, Lines(svg).Single().Points.Count);
    }

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static LineChart Chart(params ChartSeries[] series) =>
        new("share", "Share per arm", series, v => v.ToString("0%", CultureInfo.InvariantCulture), 0, 1);

    private static XElement Parse(string svg) => XElement.Parse(svg);

    private static IEnumerable<(string Series, List<(double X, double Y)> Points)> Lines(XElement svg) =>
        svg.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "line")
            .Select(p => ((string)p.Attribute("data-series")!, Coordinates((string)p.Attribute("d")!)));

    private static List<(double X, double Y)> Coordinates(string path) =>
        [.. Pair().Matches(path).Select(m => (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];

    [GeneratedRegex(@"[ML]([0-9.]+) ([0-9.]+)")]
    private static partial Regex Pair();
}
