using System.Collections.Concurrent;

namespace Mockingbird.Judging.Rubric;

/// <summary>
/// A Porter-style stemmer (M. F. Porter, 1980), so "drafts", "drafted" and "drafting" all match an evidence phrase
/// that says "draft". British -ise spellings are folded onto -ize first. Stems are only ever compared with each other,
/// never shown, so an odd-looking stem ("normal" for "normalisation") is harmless as long as both sides agree.
/// </summary>
internal static class WordStems
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string Of(string word) =>
        word.Length <= 2 || !word.All(char.IsAsciiLetterLower) ? word : Cache.GetOrAdd(word, Stem);

    private static string Stem(string word)
    {
        var w = FoldBritish(word);
        w = Step1a(w);
        w = Step1b(w);
        w = Step1c(w);
        w = Replace(w, Step2Suffixes, minimumMeasure: 1);
        w = Replace(w, Step3Suffixes, minimumMeasure: 1);
        w = Step4(w);
        return Step5(w);
    }

    private static string FoldBritish(string w)
    {
        foreach (var (british, american) in BritishSpellings)
        {
            if (w.EndsWith(british, StringComparison.Ordinal) && w.Length > british.Length + 2)
            {
                return string.Concat(w.AsSpan(0, w.Length - british.Length), american);
            }
        }

        return w;
    }

    private static readonly (string, string)[] BritishSpellings =
    [
        ("isations", "izations"), ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"), ("ise", "ize"),
        ("yses", "yzes"), ("ysed", "yzed"), ("yse", "yze"), ("ysing", "yzing"), ("ours", "ors"), ("our", "or"),
    ];

    private static readonly (string, string)[] Step2Suffixes =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("abli", "able"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
    ];

    private static readonly (string, string)[] Step3Suffixes =
    [
        ("icate", "ic"), ("ative", string.Empty), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", string.Empty), ("ness", string.Empty),
    ];

    private static readonly string[] Step4Suffixes =
    [
        "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion", "al", "er", "ic", "ou",
    ];

    private static bool IsConsonant(string w, int i) => w[i] switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => false,
        'y' => i == 0 || !IsConsonant(w, i - 1),
        _ => true,
    };

    /// <summary>Porter's m: the number of vowel-consonant sequences in the first <paramref name="length"/> letters.</summary>
    private static int Measure(string w, int length)
    {
        var m = 0;
        var i = 0;
        while (i < length && IsConsonant(w, i))
        {
            i++;
        }

        while (i < length)
        {
            while (i < length && !IsConsonant(w, i))
            {
                i++;
            }

            if (i >= length)
            {
                break;
            }

            m++;
            while (i < length && IsConsonant(w, i))
            {
                i++;
            }
        }

        return m;
    }

    private static bool HasVowel(string w, int length) => Enumerable.Range(0, length).Any(i => !IsConsonant(w, i));

    private static bool EndsWithDoubleConsonant(string w) =>
        w.Length >= 2 && w[^1] == w[^2] && IsConsonant(w, w.Length - 1);

    /// <summary>Consonant-vowel-consonant at the end, the last not w, x or y ("hop", not "snow").</summary>
    private static bool EndsCvc(string w, int length) =>
        length >= 3 && IsConsonant(w, length - 1) && !IsConsonant(w, length - 2) && IsConsonant(w, length - 3)
        && w[length - 1] is not ('w' or 'x' or 'y');

    private static string Step1a(string w) =>
        w.EndsWith("sses", StringComparison.Ordinal) ? w[..^2]
        : w.EndsWith("ies", StringComparison.Ordinal) ? w[..^2]
        : w.EndsWith("ss", StringComparison.Ordinal) ? w
        : w.EndsWith('s') && w.Length > 3 && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal) ? w[..^1]
        : w;

    private static string Step1b(string w)
    {
        if (w.EndsWith("eed", StringComparison.Ordinal))
        {
            return Measure(w, w.Length - 3) > 0 ? w[..^1] : w;
        }

        var suffix = w.EndsWith("ed", StringComparison.Ordinal) ? 2 : w.EndsWith("ing", StringComparison.Ordinal) ? 3 : 0;
        if (suffix == 0 || !HasVowel(w, w.Length - suffix))
        {
            return w;
        }

        var stem = w[..^suffix];
        if (stem.EndsWith("at", StringComparison.Ordinal) || stem.EndsWith("bl", StringComparison.Ordinal) || stem.EndsWith("iz", StringComparison.Ordinal))
        {
            return stem + "e";
        }

        if (EndsWithDoubleConsonant(stem) && stem[^1] is not ('l' or 's' or 'z'))
        {
            return stem[..^1];
        }

        return Measure(stem, stem.Length) == 1 && EndsCvc(stem, stem.Length) ? stem + "e" : stem;
    }

    private static string Step1c(string w) =>
        w.EndsWith('y') && w.Length > 2 && HasVowel(w, w.Length - 1) ? string.Concat(w.AsSpan(0, w.Length - 1), "i") : w;

    private static string Replace(string w, (string Suffix, string With)[] rules, int minimumMeasure)
    {
        foreach (var (suffix, with) in rules)
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal))
            {
                return Measure(w, w.Length - suffix.Length) >= minimumMeasure ? string.Concat(w.AsSpan(0, w.Length - suffix.Length), with) : w;
            }
        }

        return w;
    }

    private static string Step4(string w)
    {
        foreach (var suffix in Step4Suffixes)
        {
            if (!w.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var length = w.Length - suffix.Length;
            if (Measure(w, length) <= 1 || (suffix == "ion" && (length == 0 || w[length - 1] is not ('s' or 't'))))
            {
                return w;
            }

            return w[..length];
        }

        return w;
    }

    private static string Step5(string w)
    {
        if (w.EndsWith('e'))
        {
            var m = Measure(w, w.Length - 1);
            if (m > 1 || (m == 1 && !EndsCvc(w, w.Length - 1)))
            {
                w = w[..^1];
            }
        }

        return w.EndsWith("ll", StringComparison.Ordinal) && Measure(w, w.Length) > 1 ? w[..^1] : w;
    }
}
