using System.Text;
using System.Text.RegularExpressions;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Judging.Rubric;

/// <summary>A sentence of an answer: its original text (for quoting) and its normalised words (for matching).</summary>
/// <param name="IsExplanatory">
/// The sentence explains (a clause with a reason), or it is a plain statement (<see cref="IsPlainStatement"/>).
/// </param>
/// <param name="Paragraph">
/// Which block of the answer the sentence belongs to, counted from zero: blocks are separated by blank lines, so the
/// bullet items of one list share a block.
/// </param>
internal sealed record Sentence(string Text, IReadOnlyList<string> Words, bool IsExplanatory, bool IsList, bool IsQuestion, int Paragraph = 0)
{
    /// <summary>
    /// A note or a sentence that states something without giving a reason: notes are how many candidates write, and
    /// "decoding is memory-bandwidth bound: each step reads every weight" knows its point without a "because", as does
    /// "a small draft model proposes k tokens, and the target model verifies them in one forward pass". Such a statement
    /// credits a point only when it says something about it beyond naming it, and counts as reasoning only once it has
    /// earned one; written as a bullet or as prose, it is judged the same.
    /// </summary>
    public bool IsPlainStatement { get; init; }

    /// <summary>The words joined: the same for two sentences said word for word alike, which count once.</summary>
    public string Said { get; } = string.Join(' ', Words);

    /// <summary>The words reduced to their stems (<see cref="WordStems.Of"/>), for matching evidence in any inflection.</summary>
    public IReadOnlyList<string> Stems { get; } = [.. Words.Select(WordStems.Of)];

    /// <summary>The sentence cut at punctuation and connectives: the spans one rubric point can be said in.</summary>
    public IReadOnlyList<string> Clauses { get; } = AnswerText.Clauses(Text);

    public IReadOnlyList<IReadOnlyList<string>> ClauseStems => clauseStems ??= [.. Clauses.Select(c => (IReadOnlyList<string>)[.. AnswerText.Words(c).Select(WordStems.Of)])];

    private IReadOnlyList<IReadOnlyList<string>>? clauseStems;

    /// <summary>
    /// Per clause, whether it dismisses what it names ("I would skip scoping", "instead of a feature store", "drift
    /// doesn't matter"): naming an idea to reject it is not evidence of it. Logical negation is not dismissal: "it
    /// leaves the output distribution unchanged" and "L2 never reaches exactly zero" are how strong answers explain.
    /// </summary>
    public IReadOnlyList<bool> ClauseDismisses => clauseDismisses ??= [.. Clauses.Select(AnswerText.Dismisses)];

    private IReadOnlyList<bool>? clauseDismisses;

    /// <summary>The stems of the clauses that do not dismiss what they name: the spans where evidence counts.</summary>
    public IEnumerable<IReadOnlyList<string>> CreditableClauseStems => ClauseStems.Where((_, i) => !ClauseDismisses[i]);

    /// <summary>Set when the sentence tries to instruct the judge; such a sentence earns nothing.</summary>
    public InjectionAttempt? Injection { get; init; }

    /// <summary>
    /// The sentence says the candidate does not know ("I don't know how the KV cache works"): it names the topic, so by
    /// meaning it sits close to every point, yet it explains none of them.
    /// </summary>
    public bool AdmitsNotKnowing { get; } = AnswerText.AdmitsNotKnowing(Text);

    public bool Earns => IsExplanatory && Injection is null && !AdmitsNotKnowing;
}

/// <summary>Splits an answer into sentences and words, and tells explanation from a list of keywords.</summary>
internal static partial class AnswerText
{
    // Words that make a clause give a reason, a consequence, a condition, a mechanism or a contrast. Plain
    // prepositions (to, for, by, as) are left out on purpose: nearly every sentence has one.
    private static readonly HashSet<string> ReasonMarkers = Stemmed(
        "because", "so", "since", "which", "where", "if", "when", "whenever", "otherwise", "therefore", "thus", "hence",
        "means", "lets", "allows", "avoids", "reduces", "prevents", "ensures", "instead", "rather", "but", "while",
        "whereas", "unless", "then", "until", "without", "once", "why", "how", "given", "via", "despite", "although",
        "though", "leads", "causes", "caused", "makes", "keeps", "cuts", "depends", "costs", "trades", "forces",
        "helps", "enables", "stops", "breaks", "fails", "after", "before");

    // Pronouns, auxiliaries and common verbs: a sentence with one of these has a subject or a verb, i.e. it is a clause.
    private static readonly HashSet<string> ClauseWords = Stemmed(
        "i", "we", "it", "they", "he", "she", "you", "this", "these", "those", "there",
        "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does", "did",
        "can", "could", "would", "should", "will", "may", "might", "must", "shall",
        "use", "uses", "make", "makes", "made", "get", "gets", "got", "give", "gives", "gave", "take", "takes", "took",
        "keep", "keeps", "kept", "run", "runs", "ran", "add", "adds", "need", "needs", "mean", "means", "let", "lets",
        "grow", "grows", "grew", "become", "becomes", "became", "help", "helps", "work", "works", "lead", "leads", "led",
        "drop", "drops", "fail", "fails", "break", "breaks", "cost", "costs", "scale", "scales", "depend", "depends",
        "matter", "matters", "show", "shows", "find", "finds", "found", "build", "builds", "built", "ship", "ships",
        "own", "owns", "learn", "learns", "learnt", "catch", "catches", "caught", "write", "writes", "wrote",
        "say", "says", "said", "tell", "tells", "told", "see", "sees", "saw", "know", "knows", "knew", "think", "thinks",
        "thought", "choose", "chooses", "chose", "split", "splits", "store", "stores", "rank", "ranks", "serve",
        "serves", "train", "trains", "reduce", "reduces", "increase", "increases", "improve", "improves",
        "prevent", "prevents", "cause", "causes", "allow", "allows", "avoid", "avoids", "ensure", "ensures",
        "compute", "computes", "measure", "measures", "check", "checks", "detect", "detects", "monitor", "monitors",
        "retrieve", "retrieves", "cache", "caches", "route", "routes", "saturate", "saturates", "shrink", "shrinks",
        "explode", "explodes", "vanish", "vanishes", "fit", "fits", "overfit", "overfits", "generalise", "generalize",
        "ask", "asks", "want", "wants", "try", "tries", "decide", "decides", "set", "sets", "put", "puts", "go", "goes",
        "went", "come", "comes", "came", "call", "calls", "pay", "pays", "paid", "spend", "spends", "spent", "save",
        "saves", "fix", "fixes", "move", "moves", "hit", "hits", "miss", "misses", "sum", "sums", "map", "maps");

    /// <summary>Words that carry no content of their own; what is left of a sentence without them is its substance.</summary>
    public static readonly HashSet<string> StopWords = Stemmed(
        "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "for", "with", "at", "by", "from", "as", "is",
        "are", "was", "were", "be", "been", "it", "its", "that", "this", "these", "those", "we", "i", "you", "they",
        "he", "she", "our", "my", "your", "their", "so", "if", "then", "than", "which", "what", "when", "how", "not",
        "no", "do", "does", "did", "have", "has", "had", "can", "could", "would", "should", "will", "there", "about",
        "into", "also", "more", "one", "all", "some", "just", "like", "me", "us", "them", "who", "because", "up", "out",
        "get", "got", "very", "really", "each", "other", "any", "only", "over", "thing", "things", "stuff", "key",
        "idea", "matter", "matters", "important", "basically", "why", "where", "here", "way",
        "clearly", "definitely", "obviously", "simply", "nicely", "carefully", "actually", "certainly", "surely", "truly",
        "otherwise", "quite", "pretty", "totally", "literally", "extremely", "indeed", "anyway", "somehow", "something",
        "everything", "anything");

    private static readonly char[] ListSeparators = [',', ';', '/', '|', '•'];

    public static IReadOnlyList<Sentence> Split(string answer)
    {
        var sentences = new List<Sentence>();
        foreach (var segment in Segments(answer))
        {
            foreach (var text in Sentences.Split(segment.Text))
            {
                var words = Words(text);
                if (words.Count == 0)
                {
                    continue;
                }

                var isList = LooksLikeList(text);
                var reasons = !isList && IsClauseWithReason(text, words);
                var isQuestion = AsksAQuestion(text);

                // A question states nothing: asking a point back is not knowing it. Where questions are the answer
                // (the questions-to-ask stage), they earn as questions do.
                var plainStatement = !isList && !reasons && !isQuestion && words.Count >= PlainStatementWords && States(text, words);
                sentences.Add(new Sentence(text, words, reasons || plainStatement, isList, isQuestion, segment.Block) { IsPlainStatement = plainStatement });
            }
        }

        return sentences;
    }

    /// <summary>Words a statement needs to state anything: "speedup depends on acceptance rate" has five.</summary>
    private const int PlainStatementWords = 4;

    // Words that relate one term to another in a note ("proposes k tokens, verified in one pass"); a run of terms has none.
    private static readonly HashSet<string> Relations = Stemmed(
        "of", "for", "per", "each", "every", "with", "to", "by", "from", "on", "in", "at", "into", "over", "under",
        "between", "across", "than", "without", "within", "via", "vs", "versus", "not", "no", "only");

    /// <summary>
    /// A note or sentence states something when it has a verb, a relation sign (":", "=", "→") or a word that relates
    /// its terms: "the causal mask and the future and the decoder" names three things and says nothing about them.
    /// </summary>
    private static bool States(string text, List<string> words) =>
        words.Any(w => ClauseWords.Contains(w) || VerbShape().IsMatch(w) || Relations.Contains(w)) || RelationSign().IsMatch(text);

    /// <param name="Block">Which blank-line-separated block of the answer the segment sits in, counted from zero.</param>
    private readonly record struct Segment(string Text, int Block);

    /// <summary>
    /// Paragraphs and list items, each joined onto one line: a hard-wrapped paragraph is still one run of sentences,
    /// while a blank line or a bullet starts a new one. Lines written as notes without bullets are items too.
    /// </summary>
    private static IEnumerable<Segment> Segments(string answer)
    {
        var block = 0;
        foreach (var blockText in BlankLine().Split(answer.Replace("\r", string.Empty, StringComparison.Ordinal)))
        {
            var lines = blockText.Split('\n').Where(l => l.Trim().Length > 0).ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            var paragraph = new List<string>();
            var item = new StringBuilder();
            var lastLine = string.Empty;
            foreach (var line in lines)
            {
                var previous = lastLine;
                lastLine = line;
                var bullet = BulletPrefix().Match(line);
                if (bullet.Success)
                {
                    foreach (var segment in Paragraph(paragraph, block))
                    {
                        yield return segment;
                    }

                    paragraph.Clear();
                    if (item.Length > 0)
                    {
                        yield return new Segment(item.ToString(), block);
                    }

                    item.Clear().Append(line[bullet.Length..]);
                }
                else if (item.Length > 0 && (char.IsWhiteSpace(line[0]) || BreaksOff(previous) || previous.TrimEnd().EndsWith(';') || previous.TrimEnd().EndsWith(':') || !SentenceStart().IsMatch(line)))
                {
                    // A wrapped bullet: its next lines belong to it, indented ones always (as in Markdown), unless one
                    // starts a sentence where the bullet could end (not mid-phrase, nor after a semicolon or colon), as
                    // prose written under notes does.
                    item.Append(' ').Append(line.Trim());
                }
                else if (item.Length > 0)
                {
                    yield return new Segment(item.ToString(), block);
                    item.Clear();
                    paragraph.Add(line);
                }
                else
                {
                    paragraph.Add(line);
                }
            }

            foreach (var segment in Paragraph(paragraph, block))
            {
                yield return segment;
            }

            if (item.Length > 0)
            {
                yield return new Segment(item.ToString(), block);
            }

            block++;
        }
    }

    /// <summary>
    /// The lines of a paragraph joined, or each line on its own when they read as notes without bullets: every line
    /// starts like a new statement (a capital or a digit), and none but the last breaks off mid-phrase (at a comma,
    /// a hyphen or a word such as "the"), as lines wrapped at a width do.
    /// </summary>
    private static IEnumerable<Segment> Paragraph(List<string> lines, int block)
    {
        if (lines.Count == 0)
        {
            yield break;
        }

        var notes = lines.Count >= 2
            && lines.All(l => NoteStart().IsMatch(l))
            && lines.Take(lines.Count - 1).All(l => !BreaksOff(l));
        if (notes)
        {
            foreach (var line in lines)
            {
                yield return new Segment(line, block);
            }
        }
        else
        {
            yield return new Segment(string.Join(' ', lines), block);
        }
    }

    private static bool BreaksOff(string line)
    {
        var trimmed = line.TrimEnd();
        if (trimmed.EndsWith(',') || trimmed.EndsWith('-'))
        {
            return true;
        }

        var words = SurfaceWords(trimmed);
        return words.Count > 0 && StopWords.Contains(Stem(words[^1]));
    }

    /// <summary>Lower-case words with a trailing plural <c>s</c> removed, so phrases match singular and plural.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var surface in SurfaceWords(text))
        {
            words.Add(Stem(surface));
        }

        return words;
    }

    /// <summary>Lower-case words as written, with a pronoun's contraction dropped ("I've" is "i").</summary>
    public static List<string> SurfaceWords(string text)
    {
        var words = new List<string>();
        foreach (Match match in WordPattern().Matches(text))
        {
            var word = match.Value.ToLowerInvariant().Replace('’', '\'');
            var apostrophe = word.IndexOf('\'', StringComparison.Ordinal);
            if (apostrophe > 0 && word[..apostrophe] is "i" or "we" or "you" or "they" or "it" or "he" or "she" or "that" or "there")
            {
                word = word[..apostrophe];
            }

            words.Add(word);
        }

        return words;
    }

    public static string Stem(string word) =>
        word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal)
            ? word[..^1]
            : word;

    /// <summary>Whether <paramref name="phrase"/> (already split into words) occurs contiguously in <paramref name="words"/>.</summary>
    public static bool Contains(IReadOnlyList<string> words, IReadOnlyList<string> phrase) => Occurrences(words, phrase) > 0;

    public static int Occurrences(IReadOnlyList<string> words, IReadOnlyList<string> phrase)
    {
        if (phrase.Count == 0 || phrase.Count > words.Count)
        {
            return 0;
        }

        var count = 0;
        for (var start = 0; start <= words.Count - phrase.Count; start++)
        {
            var matched = true;
            for (var i = 0; i < phrase.Count && matched; i++)
            {
                matched = string.Equals(words[start + i], phrase[i], StringComparison.Ordinal);
            }

            if (matched)
            {
                count++;
            }
        }

        return count;
    }

    public static string Quote(string sentence, int max = 240) =>
        sentence.Length <= max ? sentence : string.Concat(sentence.AsSpan(0, max - 1).TrimEnd(), "…");

    /// <summary>
    /// A clause explains when it has a subject or verb and a word that gives a reason, consequence, condition or
    /// contrast, and is long enough to say something. Keyword runs with no such words fail, however many terms they hold.
    /// </summary>
    private static bool IsClauseWithReason(string text, List<string> words)
    {
        if (words.Count < 6)
        {
            return false;
        }

        if (!words.Any(w => ClauseWords.Contains(w) || VerbShape().IsMatch(w)) || !words.Any(ReasonMarkers.Contains))
        {
            return false;
        }

        // At least one stretch between commas must itself be a clause, not only list items around a connective.
        return text.Split(ListSeparators).Select(Words).Any(segment =>
            segment.Count >= 4 && segment.Any(w => ClauseWords.Contains(w) || VerbShape().IsMatch(w)));
    }

    /// <summary>The most words a bare term in a list has: "time-based split", "untouched test set".</summary>
    private const int ListItemWords = 3;

    /// <summary>
    /// Mostly short comma-separated items: a list of terms, not an explanation of them. Items a clause leads into ("I
    /// would try stronger L2 or dropout, early stopping, a simpler model…") are a statement that enumerates, as
    /// answers naming several options must be: such a sentence still needs its reason, or as a plain statement its
    /// point's words.
    /// </summary>
    /// <remarks>
    /// A slash inside a term ("fp16/bf16", "k/v heads") and commas inside brackets ("shape (B, H, T, T)") are part of
    /// one item, not separators between items: read as such, a stated note looked like a run of one-word terms.
    /// </remarks>
    private static bool LooksLikeList(string text)
    {
        var items = SlashInATerm().Replace(Bracketed().Replace(text, " "), " ");
        var segments = items.Split(ListSeparators).Select(Words).Where(words => words.Count > 0).ToList();
        if (segments.Count < 3 || IsLeadIn(segments[0]))
        {
            return false;
        }

        var shortOnes = segments.Count(words => words.Count <= ListItemWords);
        return shortOnes * 10 >= segments.Count * 7;
    }

    /// <summary>
    /// A first segment that says something before the items it leads into ("I would cut capacity: …"): a clause, and
    /// longer than an item, since terms such as "time-based split" or "train-test split" carry a word that can be a verb.
    /// </summary>
    private static bool IsLeadIn(List<string> words) =>
        words.Count > ListItemWords && words.Any(w => ClauseWords.Contains(w) || VerbShape().IsMatch(w));

    public static bool Dismisses(string clause) => Dismissal().IsMatch(clause);

    public static bool AdmitsNotKnowing(string sentence) => NotKnowing().IsMatch(sentence);

    /// <summary>Cuts a sentence into clauses at punctuation and at the connectives that start a new claim.</summary>
    public static IReadOnlyList<string> Clauses(string sentence) =>
        [.. ClauseBoundary().Split(sentence).Select(c => c.Trim()).Where(c => WordPattern().IsMatch(c))];

    /// <summary>Ends with a question mark, or quotes a question the candidate would ask ("First: 'How long…?' That tells me…").</summary>
    private static bool AsksAQuestion(string text) =>
        text.TrimEnd('"', '”', '’', '\'', ')', ']').EndsWith('?') || QuotedQuestion().IsMatch(text);

    private static HashSet<string> Stemmed(params string[] words) => [.. words.Select(Stem)];

    [GeneratedRegex(@"(?<=\S)/(?=\S)", RegexOptions.CultureInvariant)]
    private static partial Regex SlashInATerm();

    [GeneratedRegex(@"\([^()]*\)|\[[^\[\]]*\]", RegexOptions.CultureInvariant)]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"[""“][^""“”]{8,}\?\s*[""”]|(?<!\w)'[^']{8,}\?'(?!\w)")]
    private static partial Regex QuotedQuestion();

    [GeneratedRegex(@"\s*[,;:()\[\]—–]\s*|\s+-\s+|\s+(?=\b(?:because|so|which|while|whereas|but|since|then|and\s+then|so\s+that)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex ClauseBoundary();

    [GeneratedRegex(@"\b(?:skip(?:s|ped|ping)?|ignor(?:e|es|ed|ing)|instead\s+of|rather\s+than|no\s+need|there(?:\s+is|'s)\s+no|(?:do|does|did)(?:\s+not|n't)\s+(?:need|matter)|don't\s+(?:need|matter)|not\s+(?:needed|necessary|worth|our\s+problem)|unnecessary|pointless|no\s+point\s+in)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Dismissal();

    [GeneratedRegex(@"\b(?:i\s+(?:do\s+not|don['’]?t|really\s+don['’]?t|honestly\s+don['’]?t)\s+(?:know(?!\s+of\b)|remember|understand)|i\s+(?:have|['’]ve)\s+no\s+idea|no\s+idea\s+(?:how|what|why)|i['’]?m\s+not\s+familiar|i\s+am\s+not\s+familiar|(?:never|not)\s+had\s+to\s+(?:think|learn|deal)|(?:would|will|'d)\s+(?:have\s+to\s+|need\s+to\s+)?(?:read\s+up|look\s+(?:it|that|this)\s+up|google))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotKnowing();

    // Dashes, stars, bullets, quotes and plus signs; "1." "1)" "(1)"; "a)" "(a)". An en or em dash is what editors
    // make of a typed hyphen.
    [GeneratedRegex(@"^\s*(?:[-*•>+–—]+|\(?\d+[.)]|\(?[a-z]\))\s+")]
    private static partial Regex BulletPrefix();

    public static bool HasArrow(string text) => Arrow().IsMatch(text);

    [GeneratedRegex(@"[:=≈<>→⇒]|->")]
    private static partial Regex RelationSign();

    [GeneratedRegex(@"[→⇒]|->|=>")]
    private static partial Regex Arrow();

    [GeneratedRegex(@"\n[ \t]*\n")]
    private static partial Regex BlankLine();

    // A word as a sentence starts with it ("This", "Overall"), not a name ("GPU", "FlashAttention").
    [GeneratedRegex(@"^\s*\p{Lu}\p{Ll}+\b")]
    private static partial Regex SentenceStart();

    // A capital or a digit, or a name written with one inside ("vLLM", "k8s").
    [GeneratedRegex(@"^\s*(?:[\p{Lu}\d]|\p{Ll}+[\p{Lu}\d])")]
    private static partial Regex NoteStart();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"^[a-z]{3,}(?:ed|ise|ize|ised|ized|ify|ified)$")]
    private static partial Regex VerbShape();
}
