using System.Text.RegularExpressions;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Interview.Sessions;

/// <summary>
/// A hint in the bank's own words: how the reference answer's sentence on a rubric point begins. It shows the way in
/// (the first person of a behavioral story, the framing of a design choice) without the rest of the point, which a
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

    /// <summary>
    /// The opening of the reference answer's sentence that names the most of <paramref name="point"/>'s evidence
    /// phrases, cut before its end; null when the question has no reference answer or no sentence names any of them.
    /// </summary>
    public static string? Opening(Question question, RubricPoint point)
    {
        if (string.IsNullOrWhiteSpace(question.ReferenceAnswer) || point.Evidence.Count == 0)
        {
            return null;
        }

        var phrases = point.Evidence.Select(phrase => new Regex(
            $@"(?<![\w-]){Regex.Escape(phrase)}s?(?![\w-])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1))).ToList();
        var (sentence, named) = AnswerDigests.Sentences(question.ReferenceAnswer)
            .Select(candidate => (Sentence: candidate, Named: phrases.Count(phrase => phrase.IsMatch(candidate))))
            .MaxBy(candidate => candidate.Named);
        if (named == 0)
        {
            return null;
        }

        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Two thirds of a short sentence, so that even then its point is left for the candidate to make.
        var shown = Math.Min(MostWords, Math.Max(1, words.Length * 2 / 3));
        while (shown > 3 && TrailingWords.Contains(words[shown - 1]))
        {
            shown--;
        }

        return string.Join(' ', words[..shown]).TrimEnd(',', ';', ':', '.', '?', '!') + "…";
    }
}
