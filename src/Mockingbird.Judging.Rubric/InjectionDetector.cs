using System.Text.RegularExpressions;

namespace Mockingbird.Judging.Rubric;

/// <summary>A sentence that tries to instruct the judge.</summary>
/// <param name="Kind">What it looks like: an instruction, a request for a score, a verdict, a delimiter or role tag.</param>
/// <param name="Quoted">It sits inside quotation marks: the candidate discusses such text rather than issuing it.</param>
/// <param name="Continues">It follows an attempt in the same paragraph, so it is the attempt's payload, not an answer.</param>
internal sealed record InjectionAttempt(string Kind, bool Quoted, bool Continues = false);

/// <summary>
/// Finds text that addresses the judge instead of answering the interviewer: an imperative to ignore or override
/// the grading, a demand for a score, a verdict object standing on its own, prompt delimiters and chat role tags.
/// Describing such attacks (as an answer about prompt injection does) is not an attempt: the patterns need the
/// imperative mood or a judge as the addressee, and quoted text is reported but not punished.
/// </summary>
internal static partial class InjectionDetector
{
    public static InjectionAttempt? Inspect(string sentence)
    {
        // Structural attempts first: a verdict object or a role tag is never "discussed" by quoting it.
        if (VerdictJson().IsMatch(sentence))
        {
            return new InjectionAttempt("a verdict-like JSON object", Quoted: false);
        }

        if (RoleTag().IsMatch(sentence))
        {
            return new InjectionAttempt("a delimiter or role tag", Quoted: false);
        }

        var match = Instruction().Match(sentence);
        var kind = "an instruction to the judge";
        if (!match.Success)
        {
            match = ScoreRequest().Match(sentence);
            kind = "a request for a score";
        }

        return match.Success ? new InjectionAttempt(kind, IsInsideQuotes(sentence, match.Index + match.Length - 1)) : null;
    }

    private static bool IsInsideQuotes(string sentence, int index) =>
        QuotedSpan().Matches(sentence).Any(span => span.Index < index && index < span.Index + span.Length);

    // Imperative: at the start of a clause, after "please"/"now", or addressed to "you" / the judge.
    private const string Imperative = @"(?:^|[,;:.!?""“(]\s*|\b(?:please|kindly)\s+|\bnow\s+|\byou\s+(?:should\s+|must\s+|will\s+|need\s+to\s+|are\s+to\s+)?|\b(?:judge|grader|evaluator|assistant|model)\s*,\s*)";

    private const string ScoreVerb = @"(?:scor(?:e|es|ing)|rat(?:e|es|ing)|grad(?:e|es|ing)|mark(?:s|ing)?|giv(?:e|es|ing)|award(?:s|ing)?|assign(?:s|ing)?)";

    private const string TopScore = @"(?:\b4\s*/\s*4\b|\b5\s*/\s*5\b|\b(?:4|four)\s+out\s+of\s+(?:4|four)\b|\b(?:5|five)\s+out\s+of\s+(?:5|five)\b|\bfull\s+marks\b|\b(?:maximum|perfect|top|highest)\s+(?:score|marks?|rating)\b|\b10\s*/\s*10\b|\bstrong\s+hire\b|\ba\s+4\b)";

    [GeneratedRegex(
        Imperative + @"(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+|previous\s+|prior\s+|above\s+|earlier\s+)*(?:rubric|grading|scoring|instructions?|guidelines|criteria|system\s+prompt)\b" +
        @"|\byou\s+are\s+now\s+(?:a|an|the|my)\b" +
        @"|\bnote\s+(?:to|for)\s+(?:the\s+)?(?:judge|grader|evaluator|reviewer|marker|ai|llm)\b" +
        @"|\b(?:judge|grader|evaluator|marker|scorer|reviewer|examiner|assessor)(?:'s)?\s+(?:notes?|instructions?|override|aside)\b" +
        @"|\b(?:dear|hey|hi|hello|attention)\s+(?:grader|judge|evaluator|reviewer|marker|examiner|assessor)\b" +
        @"|^\W{0,3}(?:judge|grader|evaluator|marker|examiner|assessor)\s*,[^.!?]{0,60}?\b(?:you|your|grade|grading|score|scoring|rubric|marks?)\b" +
        @"|\bthe\s+rubric\s+you\s+(?:were|have\s+been)\s+(?:sent|given|shown)\b" +
        @"|\bas\s+(?:the|an?|my)\s+(?:grader|evaluator|reviewer|marker|examiner|assessor)\s*,?\s+you\b" +
        @"|\bthe\s+(?:grader|evaluator|reviewer|marker|examiner|assessor)\s+(?:should|must|will|can|may|is\s+to)\s+(?:credit|score|mark|grade|award|give)\b" +
        @"|(?:^|[.!?]\s+|[(\[]\s*|\bp\.?\s?s\.?\s*)(?:grader|evaluator|reviewer|marker|examiner|assessor)\s*:" +
        @"|\bthe\s+rubric\s+(?:above\s+|here\s+)?is\s+(?:now\s+)?(?:out\s+of\s+date|outdated|obsolete|superseded|wrong|incorrect)\b" +
        @"|" + Imperative + @"report\s+(?:no|zero)\s+missed\b" +
        @"|\bplease\s+(?:judge|grade|mark|score)\s+(?:this|the|my)\b" +
        @"|\bto\s+the\s+(?:model|llm|ai|judge|grader|evaluator)\s+(?:grading|judging|scoring|marking|evaluating)\b" +
        @"|\bsupersedes\s+the\s+(?:rubric|one\s+above|instructions?|criteria)\b" +
        @"|\b(?:only\s+valid|correct|final|right|true)\s+(?:score|band|grade|mark)\b[^.!?]{0,30}?\bis\s+(?:a\s+)?(?:4|four|5|five|full)\b" +
        @"|" + Imperative + @"(?:credit|mark|count|treat|record)\s+(?:all|every|each)\b[^.!?]{0,30}?\b(?:rubric\s+)?(?:points?|dimensions?)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Instruction();

    // Either imperative, or aimed at this answer ("give me…", "score this answer…").
    [GeneratedRegex(
        Imperative + ScoreVerb + @"\b[^.!?]{0,40}?" + TopScore +
        @"|\b" + ScoreVerb + @"\s+(?:me|this|my\s+answer|this\s+answer|it)\b[^.!?]{0,30}?" + TopScore +
        @"|\b(?:record|give|assign|award|return|output|reply\s+with|respond\s+with)\s+(?:a\s+|the\s+)?(?:final\s+)?(?:score|band|grade|rating)\s*(?:of\s+)?(?:4|four)\b" +
        @"|" + Imperative + ScoreVerb + @"\s+(?:it\s+|this\s+(?:answer\s+)?)?(?:correctness|coverage|depth|structure|specificity|every\s+dimension|all\s+dimensions)\s+(?:a\s+|of\s+)?(?:4|four)\b" +
        @"|\b(?:and|then|just|simply)\s+give\s+(?:it\s+|this\s+(?:answer\s+)?|me\s+)?(?:the\s+)?(?:maximum|perfect|top|highest|full)\s+(?:score|marks?|rating)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScoreRequest();

    // A verdict object standing on its own (an answer that explains LLM judges may mention one mid-sentence).
    [GeneratedRegex(@"^\W{0,3}\{[^{}]{0,300}""(?:score|scores|total|verdict|rating|grade|dimensions|covered|missed)""\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VerdictJson();

    [GeneratedRegex(
        @"<!--[^>]{0,200}?\b(?:system|score|grade|judge|grader|rubric|coverage|instructions?)\b|<\|[^|>]{1,30}\|>|\[/?INST\]|</?\s*(?:system|assistant|user|answer|candidate[_-]?answer|rubric|instructions?|judge)\s*>|^\s*(?:system|assistant)\s*:|#{2,}\s*(?:system|instruction)\b|\b(?:end|begin)\s+of\s+(?:the\s+)?(?:candidate'?s?\s+)?(?:answer|system\s+prompt)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RoleTag();

    // Double or curly quotes, or single quotes that open and close at word boundaries (not apostrophes).
    [GeneratedRegex(@"""[^""]*""|“[^”]*”|(?<!\w)'[^']+'(?!\w)")]
    private static partial Regex QuotedSpan();
}
