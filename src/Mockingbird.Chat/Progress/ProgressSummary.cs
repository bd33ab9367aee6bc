using System.Globalization;
using System.Text;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Progress;

/// <summary>Which way a candidate's overall scores are heading.</summary>
public enum ProgressTrend
{
    Improving,
    Flat,
    Slipping,
}

/// <summary>
/// A candidate's history in a few lines, the same in chat and on the command line: the best and weakest rubric
/// dimensions, the trend over the last interviews with their scores, and the last interviews' scorecard lines.
/// </summary>
public static class ProgressSummary
{
    /// <summary>The interviews the trend is read over: recent enough to be about now, enough to be more than noise.</summary>
    public const int TrendWindow = 5;

    /// <summary>A change smaller than this (on the 1–4 scale, over the window) is read as flat.</summary>
    public const double FlatWithin = 0.25;

    public const int InterviewsListed = 10;

    public const string NoHistory = "No completed interviews yet. Start one with the start command.";

    public static string Text(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            return NoHistory;
        }

        var newestFirst = history.OrderByDescending(h => h.CompletedAt).ToList();
        var text = new StringBuilder();
        if (BestAndWeakest(newestFirst) is { } dimensions)
        {
            text.Append(dimensions).Append('\n');
        }

        text.Append(TrendLine(newestFirst)).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Your last {Math.Min(newestFirst.Count, InterviewsListed)} interview(s):\n");
        foreach (var entry in newestFirst.Take(InterviewsListed))
        {
            var overall = entry.Overall is { } o ? string.Create(CultureInfo.InvariantCulture, $"{o:0.0}/4{(entry.EndedEarly ? " (ended early)" : string.Empty)}") : "not scored";
            var stages = entry.Stages.Count == 0 ? string.Empty : " · " + string.Join(", ", entry.Stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage.Title()} {s.Score:0.0}")));
            text.Append(CultureInfo.InvariantCulture, $"• {entry.CompletedAt:yyyy-MM-dd} · {entry.Plan.ToWire()} · {overall}{stages}\n");
        }

        var weakest = newestFirst.SelectMany(h => h.Topics).GroupBy(t => t.Topic).Select(g => (Topic: g.Key, Score: g.Average(t => t.Score))).OrderBy(t => t.Score).Take(3).ToList();
        if (weakest.Count > 0)
        {
            text.Append("Topics to work on: ").Append(string.Join(", ", weakest.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Topic} ({w.Score:0.0})"))));
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// The trend of the overall scores of the last <see cref="TrendWindow"/> scored interviews (not ended early), oldest first, and the
    /// change a least-squares line through them makes over the window (one odd interview moves it less than it
    /// would move a first-to-last difference). Null with fewer than two scored interviews.
    /// </summary>
    public static (ProgressTrend Trend, double Change, IReadOnlyList<double> Scores)? Trend(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var scores = history.Where(Trended).OrderByDescending(h => h.CompletedAt).Take(TrendWindow)
            .Reverse().Select(h => h.Overall!.Value).ToList();
        if (scores.Count < 2)
        {
            return null;
        }

        var meanX = (scores.Count - 1) / 2.0;
        var meanY = scores.Average();
        var slope = scores.Select((y, x) => (x - meanX) * (y - meanY)).Sum() / scores.Select((_, x) => (x - meanX) * (x - meanX)).Sum();
        var change = slope * (scores.Count - 1);
        var trend = change >= FlatWithin ? ProgressTrend.Improving : change <= -FlatWithin ? ProgressTrend.Slipping : ProgressTrend.Flat;
        return (trend, change, scores);
    }

    /// <summary>Scored, and not ended early: an interview cut short is scored on what was answered, which reads high.</summary>
    private static bool Trended(HistoryEntry entry) => entry.Overall is not null && !entry.EndedEarly;

    private static string TrendLine(List<HistoryEntry> newestFirst)
    {
        if (Trend(newestFirst) is not { } trend)
        {
            return newestFirst.FirstOrDefault(Trended)?.Overall is { } only
                ? string.Create(CultureInfo.InvariantCulture, $"Trend: one scored interview so far ({only:0.0}/4), so no trend yet.")
                : "Trend: no scored interview yet, so no trend.";
        }

        var word = trend.Trend switch
        {
            ProgressTrend.Improving => "improving",
            ProgressTrend.Slipping => "slipping",
            _ => "flat",
        };
        var scores = string.Join(" → ", trend.Scores.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture)));
        return string.Create(CultureInfo.InvariantCulture, $"Trend over your last {trend.Scores.Count} scored interviews: {word} (overall {scores}; about {trend.Change:+0.0;-0.0;0.0} over them).");
    }

    /// <summary>Each dimension's mean over the interviews that judged it; null when none kept dimensions.</summary>
    private static string? BestAndWeakest(List<HistoryEntry> newestFirst)
    {
        var means = newestFirst.SelectMany(h => h.Dimensions ?? [])
            .GroupBy(d => d.Dimension, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Score: g.Average(d => d.Score), Count: g.Count()))
            .OrderByDescending(d => d.Score).ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
        if (means.Count == 0)
        {
            return null;
        }

        static string Of((string Name, double Score, int Count) d) =>
            string.Create(CultureInfo.InvariantCulture, $"{d.Name} ({d.Score:0.0}/4 over {d.Count} interview{(d.Count == 1 ? string.Empty : "s")})");

        return means.Count == 1
            ? $"Rubric dimension: {Of(means[0])}."
            : $"Best dimension: {Of(means[0])} · weakest: {Of(means[^1])}.";
    }
}
