using System.Text.RegularExpressions;

namespace Mockingbird.Interview.Scoring;

/// <summary>
/// Where a sentence ends, for everything that reads answers or reference answers a sentence at a time: the offline
/// judge, the scorecard's quotes and debrief, and hints.
/// </summary>
public static partial class Sentences
{
    /// <summary>
    /// The sentences of a text, trimmed, each line break ending one; a question keeps its question mark, and "e.g.",
    /// "vs." and the like do not end a sentence.
    /// </summary>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Boundary().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0)];
    }

    // . ! ? (or one closing a quotation or a bracket) followed by space, except after a common abbreviation; or a line
    // break. Not "ms", "no" or "st": answers end sentences on a latency ("under 50 ms.") or a "No." far more often.
    [GeneratedRegex(@"(?<!\b(?:e\.g|i\.e|etc|vs|approx|cf|fig|eq|dr|mr|w\.p|incl|esp|resp|a\.k\.a|et\s+al)\.)(?<=[.!?][""”’)]?)\s+|\n+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Boundary();
}
