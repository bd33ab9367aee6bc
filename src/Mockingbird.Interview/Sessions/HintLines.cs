using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Interview.Sessions;

/// <summary>
/// A hint in the bank's own words: how the reference answer's sentence on a rubric point begins. It shows the way in
/// (the first person of a behavioral story, the framing of a design choice) without the rest of the sentence, which a
/// pair of keywords cannot.
/// </summary>
public static class HintLines
{
    /// <summary>At most this many words of the sentence are shown.</summary>
    private const int MostWords = 12;

    /// <summary>Words an opening does not end on ("which leaves the…" reads as cut, "which leaves…" as left open).</summary>
    private static readonly HashSet<string> TrailingWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "over", "into", "and", "or", "but",
        "so", "that", "which", "who", "is", "are", "was", "were", "be", "my", "our", "their", "its", "your",
    };

    private static readonly ConditionalWeakTable<Question, IReadOnlyList<string?>> Assigned = [];

    /// <summary>
    /// The opening of the reference answer's sentence given to <paramref name="point"/>, or null when none is (no
    /// reference answer, or no sentence left that names the point's evidence phrases).
    /// </summary>
    public static string? Opening(Question question, RubricPoint point)
    {
        ArgumentNullException.ThrowIfNull(question);
        for (var index = 0; index < question.Rubric.Count; index++)
        {
            if (ReferenceEquals(question.Rubric[index], point))
            {
                return Assigned.GetValue(question, Assign)[index];
            }
        }

        return null;
    }

    /// <summary>
    /// Gives each sentence to at most one point, the best matches first: a point's phrases in the sentence's opening
    /// (what the hint shows) count before those anywhere in it. A long sentence often serves two points; shown to
    /// both, the hints would repeat, and the second would begin on the first point rather than its own.
    /// </summary>
    private static IReadOnlyList<string?> Assign(Question question)
    {
        var openings = new string?[question.Rubric.Count];
        if (string.IsNullOrWhiteSpace(question.ReferenceAnswer))
        {
            return openings;
        }

        var sentences = Sentences.Split(question.ReferenceAnswer).Select(sentence => (Whole: sentence, Opening: OpeningOf(sentence))).ToList();
        var matches = new List<(int InOpening, int InSentence, int Point, int Sentence)>();
        for (var point = 0; point < question.Rubric.Count; point++)
        {
            var phrases = question.Rubric[point].Evidence.Select(Phrase).ToList();
            for (var sentence = 0; sentence < sentences.Count; sentence++)
            {
                var inSentence = phrases.Count(phrase => phrase.IsMatch(sentences[sentence].Whole));
                if (inSentence > 0)
                {
                    matches.Add((phrases.Count(phrase => phrase.IsMatch(sentences[sentence].Opening)), inSentence, point, sentence));
                }
            }
        }

        var taken = new HashSet<int>();
        foreach (var match in matches.OrderByDescending(m => m.InOpening).ThenByDescending(m => m.InSentence).ThenBy(m => m.Point).ThenBy(m => m.Sentence))
        {
            if (openings[match.Point] is null && taken.Add(match.Sentence))
            {
                openings[match.Point] = sentences[match.Sentence].Opening + "…";
            }
        }

        return openings;
    }

    /// <summary>Two thirds of a short sentence, at most <see cref="MostWords"/> words, so that its point is left to make.</summary>
    private static string OpeningOf(string sentence)
    {
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shown = Math.Min(MostWords, Math.Max(1, words.Length * 2 / 3));
        while (shown > 3 && TrailingWords.Contains(words[shown - 1]))
        {
            shown--;
        }

        return string.Join(' ', words[..shown]).TrimEnd(',', ';', ':', '.', '?', '!');
    }

    /// <summary>An evidence phrase as the offline judge matches it: whole words, any case, a plural tolerated.</summary>
    private static Regex Phrase(string phrase) =>
        new($@"(?<![\w-]){Regex.Escape(phrase)}s?(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
