using System.Text.RegularExpressions;

namespace Mockingbird.Slack.Rendering;

/// <summary>Text as Slack sends it, turned back into what the person typed.</summary>
internal static partial class SlackText
{
    /// <summary>
    /// Slack sends <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped, and mentions, channels and links as
    /// <c>&lt;…&gt;</c> tokens. An answer is judged and quoted as written: tokens become their label (or what they
    /// point at), then the escapes are undone, <c>&amp;</c> last so <c>&amp;lt;</c> stays the text <c>&amp;lt;</c>.
    /// </summary>
    public static string Plain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unwrapped = Token().Replace(text, match => match.Groups["label"].Success ? match.Groups["label"].Value : match.Groups["target"].Value.TrimStart('!'));
        return unwrapped.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
    }

    [GeneratedRegex("<(?<target>[^<>|]+)(\\|(?<label>[^<>]*))?>")]
    private static partial Regex Token();
}
