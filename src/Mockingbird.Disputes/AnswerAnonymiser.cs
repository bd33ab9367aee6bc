using System.Text.RegularExpressions;

namespace Mockingbird.Disputes;

/// <summary>
/// Takes out of an answer what points at a person: platform mentions and ids (Discord <c>&lt;@123&gt;</c>,
/// <c>&lt;@!123&gt;</c>, <c>&lt;@&amp;123&gt;</c>, Slack <c>&lt;@U123&gt;</c>, <c>&lt;@U123|ann&gt;</c>,
/// <c>&lt;!here&gt;</c>), plain <c>@name</c> mentions, and the names the caller knows the candidate by.
/// </summary>
public static partial class AnswerAnonymiser
{
    public const string Someone = "@someone";

    public static string Neutralise(string answer, IEnumerable<string>? candidateNames = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = PlatformMention().Replace(answer, Someone);
        text = PlainMention().Replace(text, Someone);
        foreach (var name in (candidateNames ?? []).Where(n => n.Trim().Length >= 2))
        {
            text = Regex.Replace(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(name.Trim())}(?![\p{{L}}\p{{N}}])", "the candidate", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        return text;
    }

    [GeneratedRegex(@"<(?:@[!&]?|#|!)[A-Za-z0-9^_]+(?:\|[^>]*)?>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PlatformMention();

    /// <summary>An @ that starts a word (not the middle of an e-mail address) followed by a handle, which may have dots inside but not end in one.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}._%+-])@[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PlainMention();
}
