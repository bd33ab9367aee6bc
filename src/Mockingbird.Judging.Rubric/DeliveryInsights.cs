using System.Globalization;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Judging.Rubric;

/// <summary>How an answer is delivered: length, filler, hedging, repetition. Shown to the candidate; never scored.</summary>
internal static class DeliveryInsights
{
    private static readonly string[] Fillers = ["um", "uh", "erm", "basically", "actually", "literally", "you know", "i mean"];

    private static readonly string[] Hedges = ["i think", "maybe", "probably", "i guess", "perhaps", "not sure", "i believe", "hopefully"];

    private static readonly HashSet<string> StopWords =
    [
        "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "for", "with", "at", "by", "from", "as", "is",
        "are", "was", "were", "be", "been", "it", "its", "that", "this", "these", "those", "we", "i", "you", "they",
        "he", "she", "our", "my", "your", "their", "so", "if", "then", "than", "which", "what", "when", "how", "not",
        "no", "do", "does", "did", "have", "has", "had", "can", "could", "would", "should", "will", "there", "about",
        "into", "also", "more", "one", "all", "some", "just", "like", "me", "us", "them", "who", "because", "up", "out",
        "get", "got", "very", "really", "each", "other", "any", "only", "over",
    ];

    public static IReadOnlyList<string> For(Stage stage, string answer, IReadOnlyList<Sentence> sentences, IReadOnlyList<string> unexplained, int crowded, bool isFollowUp)
    {
        var insights = new List<string>();
        var words = AnswerText.SurfaceWords(answer);
        var (low, high) = isFollowUp ? (40, 250) : TargetWords(stage);
        var length = WordCount.Of(answer);
        var verdict = length < low ? $"short for this {(isFollowUp ? "follow-up" : stage.Title().ToLowerInvariant() + " answer")} (aim for {low}-{high})"
            : length > high ? $"long for this {(isFollowUp ? "follow-up" : stage.Title().ToLowerInvariant() + " answer")} (aim for {low}-{high}); interviewers stop listening"
            : $"in the usual range ({low}-{high})";
        insights.Add(string.Create(CultureInfo.InvariantCulture, $"Length: {length} {(length == 1 ? "word" : "words")}, {verdict}."));

        if (Counts(words, Fillers) is { Count: > 0 } fillers)
        {
            insights.Add($"Filler words: {Describe(fillers)}.");
        }

        if (Counts(words, Hedges) is { Count: > 0 } hedges && hedges.Sum(h => h.Count) >= 2)
        {
            insights.Add($"Hedging: {Describe(hedges)}. Say what you know plainly and flag real uncertainty once.");
        }

        var repeated = words
            .Where(w => w.Length > 2 && !StopWords.Contains(w) && !char.IsDigit(w[0]))
            .GroupBy(w => w, StringComparer.Ordinal)
            .Select(g => (Word: g.Key, Count: g.Count()))
            .Where(g => g.Count >= 4 && g.Count * 100 >= words.Count * 3)
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Word, StringComparer.Ordinal)
            .Take(3)
            .ToList();
        if (repeated.Count > 0)
        {
            insights.Add($"Most repeated: {Describe(repeated)}.");
        }

        if (crowded > 0)
        {
            insights.Add($"{crowded} point(s) were squeezed into sentences that already earned two; give each idea its own sentence.");
        }

        var lists = sentences.Count(s => s.IsList);
        if (unexplained.Count > 0)
        {
            insights.Add($"Named but not explained: {string.Join(", ", unexplained.Select(u => $"'{u}'"))}. Say why each matters to earn it.");
        }
        else if (lists > 0 && !sentences.Any(s => s.IsExplanatory))
        {
            insights.Add("The answer is a list of terms; explain each in a sentence with a reason.");
        }

        return insights;
    }

    private static (int Low, int High) TargetWords(Stage stage) => stage switch
    {
        Stage.Behavioral => (150, 450),
        Stage.Theory => (60, 300),
        Stage.Design => (250, 900),
        Stage.QuestionsToAsk => (15, 150),
        Stage.MlCoding => (60, 500),
        _ => (60, 300),
    };

    private static List<(string Word, int Count)> Counts(List<string> words, string[] phrases) =>
        [.. phrases
            .Select(phrase => (Word: phrase, Count: AnswerText.Occurrences(words, AnswerText.SurfaceWords(phrase))))
            .Where(c => c.Count > 0)];

    private static string Describe(IEnumerable<(string Word, int Count)> counts) =>
        string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"'{c.Word}' ×{c.Count}")));
}
