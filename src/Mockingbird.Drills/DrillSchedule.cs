using Mockingbird.Interview.Sessions;

namespace Mockingbird.Drills;

/// <summary>
/// The rules of practice that comes back: which dimensions are drilled, when each returns, and how an answer moves it.
/// A dimension returns 1, 3, 7 and then 14 days after its last drill; a weak answer sends it back to 1 day, a strong
/// one up a step. At 14 days it stays until two strong answers in a row there retire it; a later interview that
/// scores it weak brings it back at 1 day. Pure: every time is a parameter.
/// </summary>
public static class DrillSchedule
{
    public static readonly IReadOnlyList<TimeSpan> Intervals = [TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(7), TimeSpan.FromDays(14)];

    /// <summary>A drill answer whose total (out of 4) is below this is weak.</summary>
    public const double WeakBelow = 2.5;

    /// <summary>A dimension whose recent average is below this is worth drilling.</summary>
    public const double DrillBelow = 3.0;

    /// <summary>The most dimensions drilled at the same time, so each comes back often enough to stick.</summary>
    public const int DrilledAtOnce = 3;

    /// <summary>Strong answers in a row at the longest interval that retire a dimension.</summary>
    public const int StrongToRetire = 2;

    /// <summary>How often a candidate with nothing to drill yet is looked at again (a new interview may bring some).</summary>
    public static readonly TimeSpan CheckIn = TimeSpan.FromDays(1);

    /// <summary>Scores weighed per dimension, newest first: old interviews should not keep a dimension weak.</summary>
    private const int Recent = 5;

    /// <summary>Each dimension's average over its most recent scores, from interviews and drill answers.</summary>
    public static IReadOnlyDictionary<string, double> Standing(IReadOnlyList<HistoryEntry> history, IReadOnlyList<DrillAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(answers);
        return history
            .SelectMany(h => (h.Dimensions ?? []).Select(d => (d.Dimension, d.Score, At: h.CompletedAt)))
            .Concat(answers.Select(a => (a.Dimension, Score: a.Total, a.At)))
            .GroupBy(s => s.Dimension, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.At).Take(Recent).Average(s => s.Score), StringComparer.Ordinal);
    }

    /// <summary>
    /// Takes in what interviews since the last look say: the weakest dimensions not drilled yet join (up to
    /// <see cref="DrilledAtOnce"/> active), each first due a day after the interview that scored it; a retired one an
    /// interview scored weak after it retired comes back at the first step.
    /// </summary>
    public static DrillPlan Refresh(DrillPlan plan, IReadOnlyList<HistoryEntry> history, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(history);
        var lastScored = history
            .SelectMany(h => (h.Dimensions ?? []).Select(d => (d.Dimension, d.Score, h.CompletedAt)))
            .GroupBy(s => s.Dimension, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(s => s.CompletedAt), StringComparer.Ordinal);

        foreach (var retired in plan.Dimensions.Where(d => d.Retired))
        {
            if (lastScored.TryGetValue(retired.Dimension, out var scored) && scored.Score < WeakBelow && scored.CompletedAt > (retired.LastDrilledAt ?? DateTimeOffset.MinValue))
            {
                plan = plan.With(new DrilledDimension(retired.Dimension, 0, Later(now, scored.CompletedAt + Intervals[0]), retired.LastDrilledAt));
            }
        }

        var room = DrilledAtOnce - plan.Dimensions.Count(d => !d.Retired);
        var standing = Standing(history, plan.Answers);
        foreach (var (dimension, _) in standing.Where(s => s.Value < DrillBelow && plan.Find(s.Key) is null && lastScored.ContainsKey(s.Key)).OrderBy(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Take(Math.Max(0, room)))
        {
            plan = plan.With(new DrilledDimension(dimension, 0, Later(now, lastScored[dimension].CompletedAt + Intervals[0])));
        }

        return plan;
    }

    /// <summary>When the candidate's next drill may go, out of quiet hours; null when drills are off.</summary>
    public static DateTimeOffset? NextDue(DrillPlan plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.On)
        {
            return null;
        }

        var active = plan.Dimensions.Where(d => !d.Retired).ToList();
        var due = active.Count == 0 ? now + CheckIn : active.Min(d => d.DueAt);
        return QuietHours.Outside(due, QuietHours.Zone(plan.TimeZone));
    }

    /// <summary>The dimension to drill now: of those due, the weakest (the longest overdue among equals); null when none is due.</summary>
    public static DrilledDimension? Choose(DrillPlan plan, IReadOnlyDictionary<string, double> standing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(standing);
        return plan.Dimensions
            .Where(d => !d.Retired && d.DueAt <= now)
            .OrderBy(d => standing.GetValueOrDefault(d.Dimension, 0))
            .ThenBy(d => d.DueAt)
            .FirstOrDefault();
    }

    /// <summary>A drill went out: unanswered, the dimension comes back after the same interval.</summary>
    public static DrillPlan Sent(DrillPlan plan, DrilledDimension dimension, string drillId, string questionId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(dimension);
        return plan.With(dimension with { LastDrilledAt = now, DueAt = now + Intervals[dimension.Step] }) with
        {
            Sent = [.. plan.Sent.TakeLast(DrillPlan.Kept - 1), new SentDrill(drillId, dimension.Dimension, questionId, now)],
        };
    }

    /// <summary>
    /// A judged drill answer moves its dimension: weak (total below <see cref="WeakBelow"/>) back to 1 day, strong
    /// up a step, both counted from when the drill was sent. An answer to an unknown or answered drill changes nothing.
    /// </summary>
    public static DrillPlan Answered(DrillPlan plan, string drillId, double total, DateTimeOffset now, IReadOnlyList<DrillScore>? scores = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Sent.FirstOrDefault(s => s.DrillId == drillId) is not { Answered: false } sent)
        {
            return plan;
        }

        plan = plan with
        {
            Sent = [.. plan.Sent.Select(s => s.DrillId == drillId ? s with { Answered = true } : s)],
            Answers = [.. plan.Answers.TakeLast(DrillPlan.Kept - 1), new DrillAnswer(drillId, sent.Dimension, total, now, scores)],
        };
        if (plan.Find(sent.Dimension) is not { } dimension)
        {
            return plan;
        }

        var longest = Intervals.Count - 1;
        var moved = total < WeakBelow
            ? dimension with { Step = 0, StrongAtLongest = 0 }
            : dimension.Step == longest
                ? dimension with { StrongAtLongest = dimension.StrongAtLongest + 1, Retired = dimension.StrongAtLongest + 1 >= StrongToRetire }
                : dimension with { Step = dimension.Step + 1 };
        return plan.With(moved with { DueAt = Later(now, sent.SentAt + Intervals[moved.Step]) });
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
