using System.Globalization;
using System.Net;
using System.Text;

namespace Mockingbird.Host.Web;

/// <summary>One value at one time, with an optional interval around it.</summary>
public sealed record ChartPoint(DateTimeOffset At, double Value, double? Low = null, double? High = null);

public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);

/// <param name="Id">Unique in the page: the chart's title and description are named by it for screen readers.</param>
/// <param name="Floor">The lowest value the axis shows (e.g. 0); null to start at the lowest point.</param>
/// <param name="Ceiling">The highest value the axis shows (e.g. 1 for a share); null to end at a round number above the highest point.</param>
public sealed record LineChart(
    string Id,
    string Title,
    IReadOnlyList<ChartSeries> Series,
    Func<double, string> Format,
    double? Floor = null,
    double? Ceiling = null);

/// <summary>
/// A line chart over time as inline SVG: axes, tick labels, a legend, one path per series (a shaded band where points
/// carry an interval) and a circle per point whose title reads its value. No script, no style attribute, no external
/// resource, so it passes a strict content security policy and renders without JavaScript. The same input always
/// gives the same text.
/// </summary>
public static class SvgChart
{
    /// <summary>Narrow, so that scaled down to a phone's width its labels stay readable.</summary>
    public const double Width = 480;

    /// <summary>The plotting area inside the axes; every point lands in it.</summary>
    public const double PlotLeft = 72, PlotRight = 468, PlotTop = 12, PlotBottom = 212;

    private const double LegendTop = 268, LegendRow = 22;

    private const int YTicks = 4;

    /// <summary>Okabe–Ito colours, told apart with colour-blindness; dash patterns tell them apart without colour.</summary>
    private static readonly string[] Colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

    private static readonly string[] Dashes = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4"];

    /// <summary>
    /// More points than the plot is wide in pixels show nothing more, while each costs a circle with its label: an
    /// experiment looked at hourly for months would make a page of megabytes.
    /// </summary>
    public const int MaxPointsPerSeries = 120;

    public static double HeightFor(int seriesCount) => LegendTop + Math.Max(1, seriesCount) * LegendRow;

    public static string Render(LineChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        chart = chart with { Series = [.. chart.Series.Select(Drawable)] };
        var height = HeightFor(chart.Series.Count);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {N(height)}\" role=\"img\" aria-labelledby=\"{chart.Id}-title {chart.Id}-desc\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{chart.Id}-title\">{E(chart.Title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{chart.Id}-desc\">{E(Describe(chart))}</desc>");

        var points = chart.Series.SelectMany(s => s.Points).ToList();
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(PlotLeft)}\" y=\"{N(PlotTop)}\" width=\"{N(PlotRight - PlotLeft)}\" height=\"{N(PlotBottom - PlotTop)}\" fill=\"#fafafa\" stroke=\"#767676\"/>");
        if (points.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N((PlotLeft + PlotRight) / 2)}\" y=\"{N((PlotTop + PlotBottom) / 2)}\" text-anchor=\"middle\" fill=\"#444\" font-size=\"16\">No data yet</text>");
            AppendLegend(svg, chart.Series);
            return svg.Append("</svg>").ToString();
        }

        var scale = Scale.For(chart, points);
        AppendAxes(svg, chart, scale);
        for (var i = 0; i < chart.Series.Count; i++)
            AppendSeries(svg, chart, chart.Series[i], i, scale);
        AppendLegend(svg, chart.Series);
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Where time and value map in the plotting area; a single moment sits in the middle.</summary>
    internal sealed record Scale(DateTimeOffset From, DateTimeOffset To, double Low, double High)
    {
        public static Scale For(LineChart chart, IReadOnlyList<ChartPoint> points)
        {
            var low = chart.Floor ?? points.Min(p => Math.Min(p.Value, p.Low ?? p.Value));
            var high = chart.Ceiling ?? RoundUp(points.Max(p => Math.Max(p.Value, p.High ?? p.Value)));
            if (high <= low)
                high = low + (low == 0 ? 1 : Math.Abs(low));
            return new(points.Min(p => p.At), points.Max(p => p.At), low, high);
        }

        public double X(DateTimeOffset at) => From == To
            ? (PlotLeft + PlotRight) / 2
            : PlotLeft + (at - From).TotalSeconds / (To - From).TotalSeconds * (PlotRight - PlotLeft);

        /// <summary>Values outside the axis (an interval past a ceiling) are drawn at its edge.</summary>
        public double Y(double value) =>
            PlotBottom - (Math.Clamp(value, Low, High) - Low) / (High - Low) * (PlotBottom - PlotTop);

        /// <summary>1, 2, 2.5 or 5 times a power of ten: axis labels people read at a glance.</summary>
        private static double RoundUp(double value)
        {
            if (value <= 0)
                return value;
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
            foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
            {
                if (step * magnitude >= value)
                    return step * magnitude;
            }

            return 10 * magnitude;
        }
    }

    private static void AppendAxes(StringBuilder svg, LineChart chart, Scale scale)
    {
        svg.Append("<g class=\"axes\" font-size=\"14\" fill=\"#333\">");
        for (var i = 0; i <= YTicks; i++)
        {
            var value = scale.Low + (scale.High - scale.Low) * i / YTicks;
            var y = scale.Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(PlotLeft)}\" x2=\"{N(PlotRight)}\" y1=\"{N(y)}\" y2=\"{N(y)}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(PlotLeft - 6)}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{E(chart.Format(value))}</text>");
        }

        var times = new[] { scale.From, scale.To }.Distinct().ToList();
        var format = scale.To - scale.From > TimeSpan.FromDays(2) ? "yyyy-MM-dd" : "MM-dd HH:mm";
        foreach (var at in times)
        {
            var anchor = times.Count == 1 ? "middle" : at == scale.From ? "start" : "end";
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(scale.X(at))}\" y=\"{N(PlotBottom + 20)}\" text-anchor=\"{anchor}\">{at.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N((PlotLeft + PlotRight) / 2)}\" y=\"{N(PlotBottom + 40)}\" text-anchor=\"middle\">time (UTC)</text>");
        svg.Append("</g>");
    }

    private static void AppendSeries(StringBuilder svg, LineChart chart, ChartSeries series, int index, Scale scale)
    {
        if (series.Points.Count == 0)
            return;
        var colour = Colours[index % Colours.Length];
        var points = series.Points;
        var banded = points.Where(p => p.Low is not null && p.High is not null).ToList();
        if (banded.Count > 0)
        {
            var upper = banded.Select(p => $"{N(scale.X(p.At))} {N(scale.Y(p.High!.Value))}");
            var lower = banded.AsEnumerable().Reverse().Select(p => $"{N(scale.X(p.At))} {N(scale.Y(p.Low!.Value))}");
            var outline = banded.Count == 1
                ? Bar(scale.X(banded[0].At), scale.Y(banded[0].High!.Value), scale.Y(banded[0].Low!.Value))
                : "M" + string.Join(" L", upper.Concat(lower)) + " Z";
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"band\" data-series=\"{E(series.Name)}\" d=\"{outline}\" fill=\"{colour}\" fill-opacity=\"0.15\" stroke=\"none\"/>");
        }

        var line = "M" + string.Join(" L", points.Select(p => $"{N(scale.X(p.At))} {N(scale.Y(p.Value))}"));
        var dash = Dashes[index % Dashes.Length];
        svg.Append(CultureInfo.InvariantCulture, $"<path class=\"line\" data-series=\"{E(series.Name)}\" d=\"{line}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : string.Empty)}/>");
        foreach (var p in points)
        {
            var interval = p.Low is { } low && p.High is { } high ? $" ({chart.Format(low)} to {chart.Format(high)})" : string.Empty;
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"point\" cx=\"{N(scale.X(p.At))}\" cy=\"{N(scale.Y(p.Value))}\" r=\"3\" fill=\"{colour}\"><title>{E($"{series.Name}, {p.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}: {chart.Format(p.Value)}{interval}")}</title></circle>");
        }
    }

    /// <summary>
    /// The points in time order, without values that are not numbers (a corrupt count would draw "NaN" into the path,
    /// or an infinite axis), thinned evenly to <see cref="MaxPointsPerSeries"/> keeping the first and the latest.
    /// </summary>
    private static ChartSeries Drawable(ChartSeries series)
    {
        var points = series.Points
            .Where(p => double.IsFinite(p.Value))
            .Select(p => double.IsFinite(p.Low ?? 0) && double.IsFinite(p.High ?? 0) ? p : p with { Low = null, High = null })
            .OrderBy(p => p.At)
            .ToList();
        if (points.Count > MaxPointsPerSeries)
        {
            var last = points.Count - 1;
            points = [.. Enumerable.Range(0, MaxPointsPerSeries).Select(i => points[(int)Math.Round((double)i * last / (MaxPointsPerSeries - 1))])];
        }

        return series with { Points = points };
    }

    /// <summary>A single look's interval is a thin bar: an area needs two moments.</summary>
    private static string Bar(double x, double top, double bottom) =>
        $"M{N(x - 4)} {N(top)} L{N(x + 4)} {N(top)} L{N(x + 4)} {N(bottom)} L{N(x - 4)} {N(bottom)} Z";

    private static void AppendLegend(StringBuilder svg, IReadOnlyList<ChartSeries> series)
    {
        svg.Append("<g class=\"legend\" font-size=\"15\" fill=\"#222\">");
        for (var i = 0; i < series.Count; i++)
        {
            var y = LegendTop + i * LegendRow;
            var dash = Dashes[i % Dashes.Length];
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(PlotLeft)}\" x2=\"{N(PlotLeft + 28)}\" y1=\"{N(y - 4)}\" y2=\"{N(y - 4)}\" stroke=\"{Colours[i % Colours.Length]}\" stroke-width=\"3\"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : string.Empty)}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(PlotLeft + 36)}\" y=\"{N(y)}\">{E(series[i].Name)}</text>");
        }

        svg.Append("</g>");
    }

    /// <summary>What a screen reader says for the chart: the latest value of each series.</summary>
    private static string Describe(LineChart chart)
    {
        var latest = chart.Series.Where(s => s.Points.Count > 0)
            .Select(s => s.Points.MaxBy(p => p.At)!)
            .Zip(chart.Series.Where(s => s.Points.Count > 0), (p, s) => $"{s.Name} {chart.Format(p.Value)}")
            .ToList();
        return latest.Count == 0 ? $"{chart.Title}: no data yet." : $"{chart.Title}. Latest: {string.Join(", ", latest)}.";
    }

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
