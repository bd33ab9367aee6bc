using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.StudyGroups.Rounds;

/// <summary>
/// Which question a channel gets on a day. Only questions that fit what admins pinned; none asked within the pool
/// window; a topic other than the last round's; and, unless pinned, one that exercises the rubric dimension the
/// group scored lowest on over its recent rounds, so the weakest area comes back until it improves. The choice is
/// a function of its inputs and the slot, so every replica would choose the same.
/// </summary>
public static class DailyQuestionChoice
{
    /// <param name="recent">The channel's questions, newest first.</param>
    /// <param name="records">The channel's records, for the group's weakest dimension.</param>
    public static Question? Choose(
        IReadOnlyList<Question> bank,
        DailyFocus focus,
        IReadOnlyList<string> recent,
        IReadOnlyList<DailyRecord> records,
        string slotKey,
        int poolWindow,
        int weaknessRounds)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(focus);
        ArgumentNullException.ThrowIfNull(recent);
        var fitting = bank.Where(q => Fits(q, focus)).ToList();
        if (fitting.Count == 0)
        {
            return null;
        }

        var window = recent.Take(poolWindow).ToHashSet(StringComparer.Ordinal);
        var fresh = fitting.Where(q => !window.Contains(q.Id)).ToList();
        if (fresh.Count == 0)
        {
            // Every fitting question was asked within the window: the one asked longest ago comes back first.
            var age = recent.Select((id, i) => (id, i)).GroupBy(p => p.id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(p => p.i), StringComparer.Ordinal);
            var oldest = fitting.Max(q => age.GetValueOrDefault(q.Id, int.MaxValue));
            fresh = fitting.Where(q => age.GetValueOrDefault(q.Id, int.MaxValue) == oldest).ToList();
        }

        var lastTopics = recent.Count > 0 && bank.FirstOrDefault(q => q.Id == recent[0]) is { } last ? last.Topics.ToHashSet(StringComparer.OrdinalIgnoreCase) : [];
        var rotated = focus.Topic is null ? Prefer(fresh, q => !q.Topics.Any(lastTopics.Contains)) : fresh;
        var aimed = focus.Topic is null && focus.Stage is null && WeakestDimension(records, weaknessRounds) is { } weakest
            ? Prefer(rotated, q => Exercises(q, weakest))
            : rotated;
        var ordered = aimed.OrderBy(q => q.Id, StringComparer.Ordinal).ToList();
        return ordered[(int)(StableHash.Of(slotKey, 0) % (ulong)ordered.Count)];
    }

    /// <summary>The dimension with the lowest mean score over the last <paramref name="rounds"/> rounds, if any was scored.</summary>
    public static string? WeakestDimension(IReadOnlyList<DailyRecord> records, int rounds)
    {
        ArgumentNullException.ThrowIfNull(records);
        var lastRounds = records.Select(r => (r.Day, r.RoundId)).Distinct().OrderByDescending(r => r.Day).ThenByDescending(r => r.RoundId, StringComparer.Ordinal)
            .Take(rounds).Select(r => r.RoundId).ToHashSet(StringComparer.Ordinal);
        return records
            .Where(r => lastRounds.Contains(r.RoundId))
            .SelectMany(r => r.Dimensions)
            .GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Name: g.Key, Mean: g.Average(d => d.Score)))
            .OrderBy(g => g.Mean)
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => g.Name)
            .FirstOrDefault();
    }

    /// <summary>Questions to ask the interviewer make a poor group exercise, so they come only when pinned.</summary>
    public static bool Fits(Question question, DailyFocus focus) =>
        (focus.Stage is { } stage ? question.Stage == stage : question.Stage != Stage.QuestionsToAsk)
        && question.Suits(focus.Level, focus.Track)
        && (focus.Topic is null || question.Topics.Any(t => t.Equals(focus.Topic, StringComparison.OrdinalIgnoreCase)));

    private static bool Exercises(Question question, string dimension) =>
        question.Dimensions.Any(d => d.ToWire().Equals(dimension, StringComparison.OrdinalIgnoreCase))
        || question.Rubric.Any(p => p.Dimension is { } d && d.ToWire().Equals(dimension, StringComparison.OrdinalIgnoreCase));

    private static List<Question> Prefer(List<Question> questions, Func<Question, bool> preferred)
    {
        var better = questions.Where(preferred).ToList();
        return better.Count > 0 ? better : questions;
    }
}
