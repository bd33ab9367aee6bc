using System.Text.RegularExpressions;

namespace Mockingbird.Judging.Rubric;

/// <summary>A sentence that tries to instruct the judge.</summary>
/// <param name="Kind">What it looks like: an instruction, a verdict, a delimiter or role tag.</param>
/// <param name="Quoted">It sits inside quotation marks: the candidate discusses such text rather than issuing it.</param>
internal sealed record InjectionAttempt(string Kind, bool Quoted);

/// <summary>
/// Finds text in an answer that addresses the judge instead of the interviewer's question: instructions to ignore or
/// override the rubric, requests for a score, a verdict-shaped JSON object, prompt delimiters and chat role tags.
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

        var kind = Instruction().IsMatch(sentence) ? "an instruction to the judge"
            : ScoreRequest().IsMatch(sentence) ? "a request for a score"
            : null;
        return kind is null ? null : new InjectionAttempt(kind, IsQuoted(sentence));
    }

    private static bool IsQuoted(string sentence)
    {
        var match = Instruction().Match(sentence) is { Success: true } m ? m
            : ScoreRequest().Match(sentence) is { Success: true } s ? s
            : null;
        if (match is null)
        {
            return false;
        }

        // Quoted when an opening quote stands before the match and a closing one after it.
        var before = sentence[..match.Index];
        var after = sentence[(match.Index + match.Length)..];
        return (before.Count(c => c == '"') % 2 == 1 && after.Contains('"', StringComparison.Ordinal))
            || (before.Contains('“', StringComparison.Ordinal) && after.Contains('”', StringComparison.Ordinal))
            || (before.Count(c => c == '\'') % 2 == 1 && after.Contains('\'', StringComparison.Ordinal));
    }

    [GeneratedRegex(
        @"\b(?:ignore|disregard|forget|override|bypass|skip)\b[^.!?]{0,40}\b(?:rubric|instructions?|previous|above|prompt|rules|guidelines|criteria|system)\b" +
        @"|\b(?:you are now|act as|pretend to be|as the (?:judge|grader|evaluator|interviewer))\b" +
        @"|\bnote to (?:the )?(?:judge|grader|evaluator|ai|llm|model|reviewer)\b" +
        @"|\b(?:new|updated) instructions?\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Instruction();

    [GeneratedRegex(
        @"\b(?:score|rate|grade|mark|judge|evaluate)\b[^.!?]{0,30}(?:\b4\s*/\s*4\b|\b4 out of 4\b|\bfull marks\b|\bmaximum\b|\bperfect\b|\btop score\b|\b10\s*/\s*10\b|\bstrong hire\b|\bas (?:a )?4\b|\ba 4\b)" +
        @"|\b(?:give|award|assign)\b[^.!?]{0,30}(?:\b4\s*/\s*4\b|\bfull marks\b|\bmaximum (?:score|marks)\b|\bperfect score\b|\btop score\b|\bstrong hire\b|\ba 4\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScoreRequest();

    [GeneratedRegex(@"\{[^{}]{0,200}""(?:score|scores|total|verdict|rating|grade|dimensions|covered|missed)""\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VerdictJson();

    [GeneratedRegex(
        @"<\|[^|>]{1,30}\|>|\[/?INST\]|</?\s*(?:system|assistant|user|answer|candidate[_-]?answer|rubric|instructions?|judge)\s*>|^\s*(?:system|assistant)\s*:|#{2,}\s*(?:system|instruction|end)\b|\b(?:end|begin) of (?:answer|input|instructions?|system prompt)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RoleTag();
}
