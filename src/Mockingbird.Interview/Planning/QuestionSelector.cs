using Mockingbird.Interview.Questions;

namespace Mockingbird.Interview.Planning;

/// <summary>The questions chosen for an interview, and anything the candidate should know about the choice.</summary>
public sealed record Selection(IReadOnlyList<Question> Questions, IReadOnlyList<string> Notes);

/// <summary>
/// Chooses an interview's questions. The same bank, options, seed and history always give the same questions;
/// questions the candidate has not seen come first, then those suiting the job they pasted, and within a stage the
/// main topics are spread out.
/// </summary>
public static class QuestionSelector
{
    public static Selection Select(
        QuestionBank bank,
        InterviewOptions options,
        ulong seed,
        IReadOnlySet<string> seenQuestionIds)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(seenQuestionIds);

        var chosen = new List<Question>();
        var notes = new List<string>();
        var counts = options.QuestionsPerStage();
        foreach (var stage in options.Stages)
        {
            var wanted = counts[stage];
            var pool = Pool(bank, stage, options, notes, wanted);
            var unseen = Shuffled(pool.Where(q => !seenQuestionIds.Contains(q.Id)), seed, options.Job);
            var seen = Shuffled(pool.Where(q => seenQuestionIds.Contains(q.Id)), seed, options.Job);
            var picked = new List<Question>(wanted);
            TakeSpreadingTopics(unseen, picked, wanted);
            TakeSpreadingTopics(seen, picked, wanted);
            if (picked.Count == 0)
            {
                notes.Add($"No {stage.Title().ToLowerInvariant()} questions match; that stage is left out.");
            }
            else if (picked.Count < wanted)
            {
                notes.Add($"Only {picked.Count} {stage.Title().ToLowerInvariant()} question(s) match; asking those.");
            }

            if (picked.Any(q => seenQuestionIds.Contains(q.Id)))
            {
                notes.Add($"You have seen every matching {stage.Title().ToLowerInvariant()} question; some are repeats.");
            }

            chosen.AddRange(picked);
        }

        return new Selection(chosen, notes);
    }

    private static List<Question> Pool(QuestionBank bank, Stage stage, InterviewOptions options, List<string> notes, int wanted)
    {
        var exact = bank.ForStage(stage).Where(q => q.Suits(options.Level, options.Track)).ToList();
        if (exact.Count >= wanted || (options.Level is null && options.Track is null))
        {
            return exact;
        }

        // Too few for the exact track: a question from another track at the right level beats a short interview.
        var levelOnly = bank.ForStage(stage).Where(q => q.Suits(options.Level, null)).ToList();
        if (levelOnly.Count > exact.Count)
        {
            notes.Add($"Too few {stage.Title().ToLowerInvariant()} questions for the {options.Track?.ToWire()} track; others at your level fill in.");
            return [.. exact, .. levelOnly.Except(exact)];
        }

        return exact;
    }

    /// <summary>In seeded random order, except that questions suiting the candidate's job come first.</summary>
    private static List<Question> Shuffled(IEnumerable<Question> questions, ulong seed, JobDescription? job) =>
        [.. questions.OrderByDescending(q => job?.Weight(q) ?? 0).ThenBy(q => StableHash.Of(q.Id, seed)).ThenBy(q => q.Id, StringComparer.Ordinal)];

    /// <summary>Takes from <paramref name="ordered"/> until full: first one per main topic, then in order.</summary>
    private static void TakeSpreadingTopics(List<Question> ordered, List<Question> picked, int wanted)
    {
        var usedTopics = picked.Select(q => q.Topics[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var question in ordered)
        {
            if (picked.Count < wanted && usedTopics.Add(question.Topics[0]))
            {
                picked.Add(question);
            }
        }

        foreach (var question in ordered)
        {
            if (picked.Count < wanted && !picked.Contains(question))
            {
                picked.Add(question);
            }
        }
    }
}
