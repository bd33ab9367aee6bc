using System.Text.RegularExpressions;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Judging.Rubric;

/// <summary>
/// Finds the bank's known wrong statements of rubric points in an answer. A sentence states a mix-up when one of its
/// clauses holds the mix-up's phrases in the order listed, each close after the one before, and the sentence holds
/// none of the mix-up's <c>unless</c> phrases and nothing that negates, compares or reports: "L2 is Gaussian and
/// lasso Laplace", "L2 is not a Laplace prior", "a Laplace prior is sharper than the Gaussian L2 stands for" and "a
/// common confusion is that L2 gives sparse weights" state nothing wrong. Questions and text addressed to the judge
/// state nothing either. Phrase matching cannot read every sentence right, so it errs towards flagging nothing, and a
/// mix-up is only what the bank lists, checked against its own example and its question's reference answer.
/// </summary>
internal static partial class MixUpFinder
{
    /// <summary>How many content words may stand between one listed phrase and the next.</summary>
    private const int MaxGap = 5;

    private static readonly HashSet<string> StopStems = [.. AnswerText.StopWords.Select(WordStems.Of)];

    /// <summary>The first sentence per rubric point (by index into <paramref name="rubric"/>) that states one of its mix-ups.</summary>
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

    /// <summary>Whether any sentence of the text states the mix-up (for checking the bank's examples and reference answers).</summary>
    public static bool StatedIn(string text, MixUp mixUp) =>
        AnswerText.Split(text).Any(sentence => !sentence.IsQuestion && States(sentence, mixUp));

    private static bool States(Sentence sentence, MixUp mixUp)
    {
        if (Hedge().IsMatch(sentence.Text))
        {
            return false;
        }

        var all = StemsOf(sentence.Text);
        var said = mixUp.Said.Select(StemsOf).ToList();
        return !mixUp.Unless.Any(phrase => AnswerText.Contains(all, StemsOf(phrase)))
            && sentence.Clauses.Any(clause => InOrder(StemsOf(clause), said));
    }

    /// <summary>Whether the phrases occur in <paramref name="words"/> in order, at most <see cref="MaxGap"/> content words apart.</summary>
    private static bool InOrder(List<string> words, List<List<string>> phrases)
    {
        for (var start = 0; start < words.Count; start++)
        {
            if (FollowsFrom(words, phrases, 0, start, requireAt: true))
            {
                return true;
            }
        }

        return false;
    }

    private static bool FollowsFrom(List<string> words, List<List<string>> phrases, int index, int from, bool requireAt)
    {
        if (index == phrases.Count)
        {
            return true;
        }

        var phrase = phrases[index];
        var gap = 0;
        for (var at = from; at + phrase.Count <= words.Count; at++)
        {
            if (At(words, phrase, at) && FollowsFrom(words, phrases, index + 1, at + phrase.Count, requireAt: false))
            {
                return true;
            }

            if (requireAt || (!StopStems.Contains(words[at]) && ++gap > MaxGap))
            {
                return false;
            }
        }

        return false;
    }

    private static bool At(List<string> words, List<string> phrase, int at)
    {
        for (var i = 0; i < phrase.Count; i++)
        {
            if (words[at + i] != phrase[i])
            {
                return false;
            }
        }

        return phrase.Count > 0;
    }

    /// <summary>Stems of the text's words, a possessive's <c>'s</c> dropped ("L1's prior" names L1).</summary>
    private static List<string> StemsOf(string text) => [.. AnswerText.Words(Possessive().Replace(text, "$1")).Select(WordStems.Of)];

    [GeneratedRegex(@"(\w)['’]s\b")]
    private static partial Regex Possessive();

    [GeneratedRegex(@"\b(?:not|no|never|without|rarely|seldom|hardly|unlike|neither|nor|instead|rather|than|compared|opposite|avoid(?:s|ed|ing)?|useless|pointless|cannot|fail(?:s|ed|ing)?|rules?\s+out|ruled\s+out|away\s+from|only\s+if|unless|myth|misconception|mistaken(?:ly)?|wrong(?:ly)?|incorrect(?:ly)?|confus(?:e|es|ed|ing|ion)|assum(?:e|es|ed|ing|ption)|untouched|unchanged|unaffected)\b|n['’]t\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Hedge();
}
