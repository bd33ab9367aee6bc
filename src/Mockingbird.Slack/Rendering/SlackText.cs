using System.Text.RegularExpressions;
using Mockingbird.Chat;

namespace Mockingbird.Slack.Rendering;

/// <summary>Text as Slack sends it, turned back into what the person typed, and text as the bot sends it, cut to fit.</summary>
internal static partial class SlackText
{
    /// <summary>
    /// Splits mrkdwn at a section's limit (see <see cref="ChatText.Split"/>), never inside an escape such as
    /// <c>&amp;amp;</c> or a <c>&lt;…&gt;</c> token: cut, the first shows as a stray <c>amp;</c> and the second as
    /// raw text.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int limit = SlackRenderer.SectionLimit) => ChatText.Split(text, limit, Atoms());

    /// <summary>Mrkdwn shortened to <paramref name="limit"/> characters with an ellipsis, cut as <see cref="Split"/> cuts.</summary>
    public static string Shorten(string text, int limit) => ChatText.Shorten(text, limit, Atoms());

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

    /// <summary>The three escapes Slack reads, and any token in angle brackets (escaped text holds no other <c>&lt;</c>).</summary>
    [GeneratedRegex("&(?:amp|lt|gt);|<[^<>\n]+>", RegexOptions.CultureInvariant)]
    private static partial Regex Atoms();
}
