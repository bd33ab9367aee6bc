using System.Text.RegularExpressions;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Judging.Rubric;

/// <summary>
/// Finds the bank's known wrong statements of rubric points in an answer, clause by clause. A clause states a mix-up
/// when it holds every phrase the mix-up lists as said and none of those that mean it is probably right after all, in
/// a sentence with no negation: "L2 is Gaussian and L1 Laplace", "L2 is not a Laplace prior" and "some say L2 is a
/// Laplace prior, but that is wrong" state nothing wrong. Questions and text addressed to the judge state nothing
/// either. Phrase matching cannot read every sentence right, so it errs towards flagging nothing: a mix-up is only
/// what the bank lists, checked against its own example and its question's reference answer.
/// </summary>
internal static partial class MixUpFinder
{
    /// <summary>The first clause per rubric point (by index into <paramref name="rubric"/>) that states one of its mix-ups.</summary>
    public static Dictionary<int, (MixUp MixUp, Sentence Sentence)> Find(IReadOnlyList<RubricPoint> rubric, IReadOnlyList<Sentence> sentences)
    {
        var found = new Dictionary<int, (MixUp, Sentence)>();
        for (var p = 0; p < rubric.Count; p++)
        {
            if (rubric[p].MixUps is not { Count: > 0 } mixUps)
            {
                continue;
            }

            foreach (var sentence in sentences.Where(s => s.Injection is null && !s.IsQuestion))
            {
                if (mixUps.FirstOrDefault(mixUp => States(sentence, mixUp)) is { } stated)
                {
                    found[p] = (stated, sentence);
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>Whether any clause of the text states the mix-up (for checking the bank's examples and reference answers).</summary>
    public static bool StatedIn(string text, MixUp mixUp) =>
        AnswerText.Split(text).Any(sentence => !sentence.IsQuestion && States(sentence, mixUp));

    private static bool States(Sentence sentence, MixUp mixUp) =>
        !Negation().IsMatch(sentence.Text)
        && sentence.ClauseStems.Any(clause =>
            mixUp.Said.All(phrase => AnswerText.Contains(clause, Stems(phrase)))
            && !mixUp.Unless.Any(phrase => AnswerText.Contains(clause, Stems(phrase))));

    private static List<string> Stems(string phrase) => [.. AnswerText.Words(phrase).Select(WordStems.Of)];

    [GeneratedRegex(@"\b(?:not|no|never|without|rarely|seldom|hardly|unlike|neither|nor|instead\s+of|rather\s+than|myth|misconception|mistaken(?:ly)?|wrong(?:ly)?|incorrect(?:ly)?)\b|n't\b|n’t\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Negation();
}
