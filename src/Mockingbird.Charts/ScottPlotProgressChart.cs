using System.Globalization;
using Mockingbird.Chat;
using Mockingbird.Chat.Progress;
using ScottPlot;
using SkiaSharp;

namespace Mockingbird.Charts;

/// <summary>
/// The progress chart as a PNG drawn headless with ScottPlot (Skia, no display): scores per stage above, per rubric
/// dimension below, over time. Colours are Okabe–Ito and lines differ in dash too, so they can be told apart without
/// colour; a line with one point is a marker alone.
/// </summary>
internal sealed class ScottPlotProgressChart : IProgressChart
{
    /// <summary>Wide enough for a legend beside the lines, small enough that chat previews it whole and it stays tens of KB.</summary>
    public const int Width = 1000;

    public const int Height = 600;

    public const string FileName = "progress.png";

    private static readonly string[] Colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

    private static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed, LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted];

    private static readonly MarkerShape[] Markers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp];

    public ChatImage Render(ProgressSeries progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var times = progress.Stages.Concat(progress.Dimensions).SelectMany(l => l.Points).Select(p => p.At).ToList();
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("Skia could not make a drawing surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        var panels = new List<(string Title, IReadOnlyList<ScoreLine> Lines)> { ("Score per stage", progress.Stages) };
        if (progress.Dimensions.Count > 0)
        {
            panels.Add(("Score per rubric dimension", progress.Dimensions));
        }

        // Each panel on a surface of its own: a plot clears the whole canvas it is given before drawing.
        var panelHeight = Height / panels.Count;
        for (var i = 0; i < panels.Count; i++)
        {
            using var panel = SKSurface.Create(new SKImageInfo(Width, panelHeight, SKColorType.Rgba8888, SKAlphaType.Premul))
                ?? throw new InvalidOperationException("Skia could not make a drawing surface.");
            Panel(panels[i].Title, panels[i].Lines, times).Render(panel);
            using var drawn = panel.Snapshot();
            canvas.DrawImage(drawn, 0, i * panelHeight);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        var count = progress.Interviews;
        return new ChatImage(FileName, png.ToArray(), $"Your progress over {count} interview{(count == 1 ? string.Empty : "s")}", progress.Describe());
    }

    private static Plot Panel(string title, IReadOnlyList<ScoreLine> lines, List<DateTimeOffset> times)
    {
        var plot = new Plot();
        if (SansSerif.Value is { } font)
        {
            plot.Font.Set(font);
        }

        plot.Title(title, 18);
        plot.YLabel("score (1 weak – 4 strong)", 14);
        for (var i = 0; i < lines.Count; i++)
        {
            var points = lines[i].Points;
            var scatter = plot.Add.Scatter(
                points.Select(p => p.At.UtcDateTime.ToOADate()).ToArray(),
                points.Select(p => p.Score).ToArray());
            scatter.LegendText = lines[i].Name;
            scatter.Color = Color.FromHex(Colours[i % Colours.Length]);
            scatter.MarkerShape = Markers[i % Markers.Length];
            scatter.MarkerSize = 9;
            scatter.LineWidth = points.Count > 1 ? 2 : 0;
            scatter.LinePattern = Patterns[i % Patterns.Length];
        }

        if (plot.Axes.DateTimeTicksBottom().TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic ticks)
        {
            ticks.LabelFormatter = at => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        var (from, to) = TimeRange(times);
        plot.Axes.SetLimits(from.UtcDateTime.ToOADate(), to.UtcDateTime.ToOADate(), 0.8, ProgressSeries.MaxScore + 0.2);
        if (lines.Count > 0)
        {
            plot.ShowLegend(Edge.Right);
        }

        return plot;
    }

    /// <summary>
    /// A plain sans-serif the machine has (the image installs DejaVu), else Skia's default: without a font file Skia
    /// finds no glyphs and the chart has no words.
    /// </summary>
    private static readonly Lazy<string?> SansSerif = new(() =>
    {
        var families = SKFontManager.Default.GetFontFamilies();
        return new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial" }.FirstOrDefault(f => families.Contains(f, StringComparer.OrdinalIgnoreCase));
    });

    /// <summary>A margin either side of the points, so none sits on the frame; days always, so ticks are dates.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) TimeRange(List<DateTimeOffset> times)
    {
        if (times.Count == 0)
        {
            var now = DateTimeOffset.UnixEpoch;
            return (now, now.AddDays(1));
        }

        var first = times.Min();
        var last = times.Max();
        var margin = last - first < TimeSpan.FromDays(20) ? TimeSpan.FromDays(3) : (last - first) / 15;
        return (first - margin, last + margin);
    }
}
