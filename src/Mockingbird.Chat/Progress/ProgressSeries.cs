using System.Globalization;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Progress;

/// <summary>One interview's score on one line of a progress chart.</summary>
public sealed record ScorePoint(DateTimeOffset At, double Score);

/// <summary>A named line of a progress chart: a stage, a rubric dimension or a topic, oldest point first.</summary>
public sealed record ScoreLine(string Name, IReadOnlyList<ScorePoint> Points);

/// <summary>
/// What a candidate's progress charts show, whatever draws them (the web page's SVG, the chat image): one line per
/// stage, and the rubric dimensions and topics they were judged on most, each point one completed interview's
/// score on a 1–4 scale.
/// </summary>
public sealed record ProgressSeries(IReadOnlyList<ScoreLine> Stages, IReadOnlyList<ScoreLine> Dimensions, IReadOnlyList<ScoreLine> Topics)
{
    /// <summary>More lines than this on one chart cannot be told apart.</summary>
    public const int LinesPerChart = 6;

    /// <summary>The top of the score scale.</summary>
    public const double MaxScore = 4;

    /// <summary>The series of a history (in any order; the store keeps it newest first).</summary>
    public static ProgressSeries From(IReadOnlyList<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var oldestFirst = history.OrderBy(h => h.CompletedAt).ToList();
        return new ProgressSeries(StageLines(oldestFirst), MostJudged(oldestFirst, h => h.Dimensions ?? [], d => d.Dimension, d => d.Score), MostJudged(oldestFirst, h => h.Topics, t => t.Topic, t => t.Score));
    }

    /// <summary>How many interviews the lines hold between them.</summary>
    public int Interviews => Stages.Concat(Dimensions).SelectMany(l => l.Points).Select(p => p.At).Distinct().Count();

    /// <summary>What a screen reader says for the chart: each line's latest score.</summary>
    public string Describe()
    {
        static string Latest(IEnumerable<ScoreLine> lines) =>
            string.Join(", ", lines.Where(l => l.Points.Count > 0).Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Name} {l.Points[^1].Score:0.0}")));

        var stages = Latest(Stages);
        var dimensions = Latest(Dimensions);
        var count = Interviews;
        return $"Progress chart of {count} interview{(count == 1 ? string.Empty : "s")}, scores 1 to 4. "
            + (stages.Length == 0 ? string.Empty : $"Latest per stage: {stages}. ")
            + (dimensions.Length == 0 ? string.Empty : $"Latest per rubric dimension: {dimensions}.");
    }

    private static List<ScoreLine> StageLines(List<HistoryEntry> oldestFirst) =>
        [.. oldestFirst.SelectMany(h => h.Stages.Select(s => s.Stage)).Distinct().Order()
            .Select(stage => new ScoreLine(stage.Title(), [.. oldestFirst
                .SelectMany(h => h.Stages.Where(s => s.Stage == stage).Select(s => new ScorePoint(h.CompletedAt, s.Score)))]))];

    /// <summary>The <see cref="LinesPerChart"/> names scored in the most interviews, ties by name.</summary>
    private static List<ScoreLine> MostJudged<T>(List<HistoryEntry> oldestFirst, Func<HistoryEntry, IEnumerable<T>> items, Func<T, string> name, Func<T, double> score) =>
        [.. oldestFirst.SelectMany(h => items(h).Select(name))
            .CountBy(n => n, StringComparer.Ordinal)
            .OrderByDescending(n => n.Value).ThenBy(n => n.Key, StringComparer.Ordinal)
            .Take(LinesPerChart)
            .Select(n => new ScoreLine(n.Key, [.. oldestFirst
                .SelectMany(h => items(h).Where(i => name(i) == n.Key).Select(i => new ScorePoint(h.CompletedAt, score(i))))]))];
}
