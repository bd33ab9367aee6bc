namespace Mockingbird.Judging.Rubric;

/// <summary>
/// One way of saying a rubric point's common mistake: phrases found word for word and in order inside one clause, with
/// at most a few other words between them. It is meant to be narrow, since telling a candidate who knows the trap that
/// they fell into it is worse than missing a mistake: words are matched as written (only a plural <c>s</c> is
/// tolerated), and a clause that negates or contrasts the claim ("L2 is not a Laplace prior", "L2 rather than…"), joins
/// another subject into it ("L2 and L1…"), turns it round between its phrases ("high AUC means little about…"), a
/// limit that follows it ("…only when…") or one of the mistake's words for another topic ("the router scores every
/// expert…"), or a sentence that asks about it, discusses it as a mistake ("a common myth is that…"), reports it as
/// someone's belief ("it is often assumed…"), takes it back in the next sentence ("Actually…") or pairs things up
/// "respectively", does not state it.
/// </summary>
internal sealed class MistakePattern
{
    /// <summary>How many other words may come between two phrases of the pattern.</summary>
    private const int Gap = 4;

    /// <summary>How many words before the pattern are read for a negation ("it is not true that L2 is…").</summary>
    private const int Lead = 3;

    private static readonly HashSet<string> Negations = Plain(
        "not", "no", "never", "nor", "neither", "none", "isn't", "aren't", "doesn't", "don't", "didn't", "wasn't",
        "weren't", "won't", "can't", "cannot", "shouldn't", "wouldn't", "couldn't", "hasn't", "haven't", "hadn't",
        "nobody", "nothing", "nowhere", "far", "fails", "fail", "ignores", "ignore", "yet", "unlike", "rather",
        "instead", "opposed", "versus", "vs",
        "whereas", "while", "but", "than", "except", "rarely", "seldom", "hardly", "barely", "avoid", "avoids",
        "without", "independent", "independently", "regardless", "skip", "skips", "unnecessary");

    // Before the pattern or just after it, a word that calls the claimed practice not worth doing ("it is pointless to
    // cache the queries", "caching the queries is wasteful"); between its phrases it describes a noun instead ("L2
    // pushes useless weights to exactly zero" states the mistake).
    private static readonly HashSet<string> Dismissals = Plain("pointless", "useless", "needless", "wasteful", "redundant");

    private static readonly HashSet<string> Denials = [.. Negations, .. Dismissals];

    /// <summary>
    /// Between two phrases of the pattern, a conjunction brings in another subject ("L2 and L1 give…"), a word makes
    /// the subject something else ("BF16 swapped for FP16 needs…", "L2 plus L1 gives…"), holds its object still ("…a
    /// change in outcomes for a stable input distribution") or turns the claim round ("High AUC means little about…",
    /// "DPO removes the step that trains…", "FlashAttention beats most approximate…").
    /// </summary>
    private static readonly HashSet<string> Breaks = [.. Negations, .. Plain(
        "and", "or", "plus", "minus", "combined", "combine", "combining", "paired", "blended", "merged", "swapped",
        "swap", "swapping", "switched", "switch", "switching", "replaced", "replace", "replacing", "upgraded",
        "extended", "converted", "converting", "ported", "traded", "alternative", "stable", "steady", "preserving",
        "preserve", "preserved", "little", "poor", "poorly", "lose", "losing", "lost", "lack", "lacking", "lacked",
        "struggle", "struggled", "struggling", "opposite", "discourage", "discouraging", "remove", "removed",
        "removing", "sidestep", "sidestepped", "bypass", "bypasses", "bypassed", "supersede", "superseded", "retire",
        "retired", "exclude", "excluded", "mismatch", "mismatches", "differ", "contrast", "beat", "beating",
        "outperform", "outperformed", "underperform", "outpace", "rival", "compete", "away")];

    // Words of a sentence that talks about a claim as a mistake rather than making it, wherever they stand ("…, which is
    // a common myth", "…in theory").
    private static readonly HashSet<string> DiscussesAsAMistake = Plain(
        "myth", "misconception", "mistake", "mistaken", "mistakenly", "wrong", "wrongly", "false", "falsely",
        "incorrect", "incorrectly", "contrary", "confuse", "confused", "confusing", "misunderstanding", "respectively",
        "theory", "theoretically", "folklore", "supposedly", "trap");

    // Words that, anywhere before the pattern in its sentence, make it someone else's claim or belief ("a colleague
    // insisted…", "people often think…", "my first instinct was…"). After it they do not: "LLM judges are unbiased, so
    // we often use them" states it. "Assumes" is left out: "MSE assumes Laplace noise" is a claim.
    private static readonly HashSet<string> Reports = Plain(
        "assumed", "assuming", "assumption", "claim", "claims", "claimed", "insist", "insists", "insisted", "believe",
        "believes", "believed", "belief", "people", "commonly", "widely", "often", "say", "says", "saying", "think",
        "thinks", "thinking", "expect", "expects", "expecting", "seems", "hope", "hoping", "tell", "tells", "told",
        "argue", "argues", "argued", "instinct", "idea", "premise", "said", "stated", "promised", "figured", "reports",
        "reported", "reporting");

    // Just before the pattern, a word that makes what follows a reported or supposed claim ("…was that prefill is
    // memory bound", "if prefill is memory bound…").
    private static readonly HashSet<string> Frames = Plain("that", "if", "whether", "as");

    // Opening a sentence, a correction of the one before ("Actually it is compute bound").
    private static readonly HashSet<string> Corrections = Plain("actually", "correction", "instead");

    /// <summary>How many words after the pattern are read for a limit on it ("RAG eliminates hallucinations only when…").</summary>
    private const int Trail = 2;

    // Limits only right after the claim's words: "…deterministic on paper", and the second half of a hyphenated word
    // ("LLM judges are objective-sounding", "an approximation-free speedup"). Opening the next clause they limit nothing.
    private static readonly HashSet<string> OnlyJustAfter = Plain("paper", "sounding", "looking", "seeming", "free");

    // Words that, just after the pattern, limit it to a case ("prefill is memory bound too, for a very short prompt")
    // or deny it ("…have no bias doesn't survive the data"): the claim stated that way may well be true.
    private static readonly HashSet<string> Limits = [.. Denials, .. Plain(
        "only", "partly", "partially", "sometimes", "mostly", "largely", "roughly", "nearly", "almost", "when", "if",
        "unless", "provided", "until", "too", "also", "least", "best", "in", "intact", "untouched", "unchanged"),
        .. OnlyJustAfter];

    // Opening the next clause only a limit counts, alone or after a contrast ("…, but only when…", "…, at least
    // for…"): "…lower quality, but it is much faster" and "…saves memory because only two experts run" still state it.
    private static readonly HashSet<string> NextClauseLimits = [.. Limits.Except(Denials).Except(OnlyJustAfter), .. Plain("except")];

    private static readonly HashSet<string> BeforeALimit = Plain("but", "at", "though", "although", "yet");

    private readonly IReadOnlyList<IReadOnlyList<string>> parts;

    private readonly HashSet<string> otherTopic;

    /// <param name="unless">Words that mark a clause as about something else (see <see cref="Interview.Questions.KnownMistake.Unless"/>).</param>
    public MistakePattern(string pattern, IReadOnlyList<string>? unless = null)
    {
        Text = pattern;
        otherTopic = Plain([.. unless ?? []]);
        parts = [.. pattern.Split("...", StringSplitOptions.TrimEntries)
            .Select(part => (IReadOnlyList<string>)AnswerText.Words(part))
            .Where(part => part.Count > 0)];
    }

    public string Text { get; }

    /// <remarks>A question states nothing: "is it true that prefill is memory bound?" asks about the mistake.</remarks>
    public bool IsStatedIn(Sentence sentence)
    {
        if (parts.Count == 0 || sentence.IsQuestion || sentence.Words.Any(DiscussesAsAMistake.Contains))
        {
            return false;
        }

        var clauses = sentence.Clauses.Select(AnswerText.Words).ToList();
        for (var i = 0; i < clauses.Count; i++)
        {
            if (IsStatedIn(clauses[i], i + 1 < clauses.Count ? clauses[i + 1] : []))
            {
                return true;
            }

            if (clauses[i].Any(Reports.Contains))
            {
                return false;
            }
        }

        return false;
    }

    /// <param name="next">
    /// The next clause, whose first words limit a pattern that ends its own clause ("RAG eliminates hallucinations, at
    /// least for facts in the passages").
    /// </param>
    private bool IsStatedIn(List<string> words, List<string> next)
    {
        if (words.Any(otherTopic.Contains))
        {
            return false;
        }

        for (var start = 0; start < words.Count; start++)
        {
            if (PartAt(words, parts[0], start) && !Any(Denials, words, Math.Max(0, start - Lead), start)
                && !Any(Frames, words, Math.Max(0, start - 1), start) && !Any(Reports, words, 0, start)
                && EndFrom(words, 1, start + parts[0].Count) is var end && end >= 0
                && !Any(Limits, words, end, Math.Min(words.Count, end + Trail))
                && (end < words.Count || !OpensWithALimit(next)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OpensWithALimit(List<string> clause) =>
        clause.Count > 0 && (NextClauseLimits.Contains(clause[0]) || (clause.Count > 1 && BeforeALimit.Contains(clause[0]) && NextClauseLimits.Contains(clause[1])));

    /// <summary>Whether a sentence opens by correcting the one before it ("Actually…", "In fact…", "Turns out…").</summary>
    public static bool TakesBack(Sentence sentence) =>
        sentence.Words.Count > 1 && (Corrections.Contains(sentence.Words[0])
            || (sentence.Words[0] == "in" && sentence.Words[1] == AnswerText.Stem("fact"))
            || (sentence.Words[0] == AnswerText.Stem("turns") && sentence.Words[1] == "out"));

    /// <summary>Where the pattern's parts from <paramref name="part"/> on end when found from <paramref name="from"/>, or -1.</summary>
    private int EndFrom(List<string> words, int part, int from)
    {
        if (part == parts.Count)
        {
            return from;
        }

        for (var start = from; start <= Math.Min(from + Gap, words.Count - parts[part].Count); start++)
        {
            if (PartAt(words, parts[part], start) && !BreaksBetween(words, from, start) && EndFrom(words, part + 1, start + parts[part].Count) is var end && end >= 0)
            {
                return end;
            }
        }

        return -1;
    }

    /// <summary>Whether a word between two phrases breaks the claim; "a little" hedges it ("lowers quality a little") where "little" alone denies it.</summary>
    private static bool BreaksBetween(List<string> words, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (Breaks.Contains(words[i]) && !(words[i] == "little" && i > 0 && words[i - 1] == "a"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PartAt(List<string> words, IReadOnlyList<string> part, int start)
    {
        if (start + part.Count > words.Count)
        {
            return false;
        }

        for (var i = 0; i < part.Count; i++)
        {
            if (!string.Equals(words[start + i], part[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Any(HashSet<string> set, List<string> words, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (set.Contains(words[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> Plain(params string[] words) => [.. words.Select(AnswerText.Stem)];
}
