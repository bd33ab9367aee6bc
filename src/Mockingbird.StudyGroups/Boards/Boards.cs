using Mockingbird.StudyGroups.Rounds;

namespace Mockingbird.StudyGroups.Boards;

public enum BoardPeriod
{
    Week,
    Month,
    AllTime,
}

public static class BoardPeriods
{
    public static bool TryParse(string? word, out BoardPeriod period)
    {
        period = (word ?? string.Empty).ToLowerInvariant() switch
        {
            "week" or "weekly" => BoardPeriod.Week,
            "month" or "monthly" => BoardPeriod.Month,
            "all" or "all-time" or "alltime" => BoardPeriod.AllTime,
            _ => (BoardPeriod)(-1),
        };
        return Enum.IsDefined(period);
    }

    public static string Title(this BoardPeriod period) => period switch
    {
        BoardPeriod.Week => "This week",
        BoardPeriod.Month => "This month",
        _ => "All time",
    };
}

/// <summary>A member's line on a board: how many rounds they answered, and their judged scores summed and averaged.</summary>
public sealed record BoardRow(string MemberId, int Rounds, double Total, double? Average);

/// <summary>
/// Boards of a channel, from its records: ranked by judged score summed over the period, so both taking part and
/// answering well count; ties go to more rounds, then the better average. Members who opted out are left off.
/// </summary>
public static class DailyBoards
{
    /// <summary>The board for the period that holds <paramref name="today"/> (weeks start on Monday, in the channel's calendar).</summary>
    public static IReadOnlyList<BoardRow> Build(IEnumerable<DailyRecord> records, BoardPeriod period, DateOnly today, IReadOnlySet<string> optedOut)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(optedOut);
        var from = period switch
        {
            BoardPeriod.Week => today.AddDays(-(((int)today.DayOfWeek + 6) % 7)),
            BoardPeriod.Month => new DateOnly(today.Year, today.Month, 1),
            _ => DateOnly.MinValue,
        };
        return records
            .Where(r => r.Day >= from && r.Day <= today && !optedOut.Contains(r.MemberId))
            .GroupBy(r => r.MemberId, StringComparer.Ordinal)
            .Select(member =>
            {
                var scores = member.Select(r => r.Score).OfType<double>().ToList();
                return new BoardRow(member.Key, member.Select(r => r.RoundId).Distinct(StringComparer.Ordinal).Count(), scores.Sum(), scores.Count > 0 ? scores.Average() : null);
            })
            .OrderByDescending(row => row.Total)
            .ThenByDescending(row => row.Rounds)
            .ThenByDescending(row => row.Average ?? 0)
            .ThenBy(row => row.MemberId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Each row's place: rows that read the same share a place, and the row after them counts them all (1, 1, 3), so
    /// a tie is not decided by who answered first or by member id.
    /// </summary>
    public static IReadOnlyList<int> Places<T>(IReadOnlyList<T> ranked, Func<T, T, bool> readTheSame)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(readTheSame);
        var places = new int[ranked.Count];
        for (var i = 0; i < ranked.Count; i++)
        {
            places[i] = i > 0 && readTheSame(ranked[i], ranked[i - 1]) ? places[i - 1] : i + 1;
        }

        return places;
    }

    /// <summary>A period's board row as it is shown: total and average to one decimal, and rounds answered.</summary>
    public static bool ReadTheSame(BoardRow first, BoardRow second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return first.Rounds == second.Rounds && Shown(first.Total) == Shown(second.Total) && Shown(first.Average) == Shown(second.Average);
    }

    /// <summary>A score as boards print it, to one decimal.</summary>
    public static double? Shown(double? score) => score is { } value ? Math.Round(value, 1) : null;
}

/// <summary>A member's current and best run of answered days.</summary>
public sealed record Streak(int Current, int Best);

/// <summary>
/// Streaks count days answered in the channel's own calendar, not UTC. A missed day is forgiven while the calendar
/// week (Monday to Sunday) it falls in has a grace day left; a forgiven day keeps the run going but does not add to it.
/// </summary>
public static class DailyStreaks
{
    /// <param name="today">The channel's date now; a day still running and not yet answered does not break the run.</param>
    public static Streak Of(IEnumerable<DateOnly> answeredDays, DateOnly today, int graceDaysPerWeek)
    {
        ArgumentNullException.ThrowIfNull(answeredDays);
        var days = answeredDays.Where(d => d <= today).ToHashSet();
        if (days.Count == 0)
        {
            return new Streak(0, 0);
        }

        var first = days.Min();
        var best = 0;
        var run = 0;
        var graceUsed = new Dictionary<DateOnly, int>();
        for (var day = first; day <= today; day = day.AddDays(1))
        {
            if (days.Contains(day))
            {
                run++;
                best = Math.Max(best, run);
                continue;
            }

            if (day == today)
            {
                break;
            }

            var week = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
            var used = graceUsed.GetValueOrDefault(week);
            if (run > 0 && used < graceDaysPerWeek)
            {
                graceUsed[week] = used + 1;
                continue;
            }

            run = 0;
        }

        return new Streak(run, best);
    }
}
