using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Mockingbird.Chat;

namespace Mockingbird.Discord.Rendering;

/// <summary>Discord's text limits and the care taken with text the bot did not write.</summary>
internal static partial class DiscordText
{
    /// <summary>The most characters a message's content may hold.</summary>
    public const int MessageLimit = 2000;

    /// <summary>
    /// Splits text at Discord's message limit (see <see cref="ChatText.Split"/>), never inside a mention, channel,
    /// command, custom emoji, timestamp or navigation token, nor a link in angle brackets: cut, each would show as
    /// raw text.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int limit = MessageLimit) => ChatText.Split(text, limit, Tokens());

    /// <summary>
    /// Text from a candidate or a model, made inert: mentions and <c>@everyone</c> cannot ping (the messages also
    /// carry <c>allowed_mentions: {"parse": []}</c>) and do not even render as mentions.
    /// </summary>
    public static string Inert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('@', StringComparison.Ordinal))
        {
            return text;
        }

        // A zero-width space after '@' breaks <@id>, <@&id>, @everyone and @here without changing what readers see.
        return text.Replace("@", "@\u200B", StringComparison.Ordinal);
    }

    /// <summary>
    /// A nonce of at most 25 characters, the same for the same delivery and part: Discord returns the message
    /// already created under it instead of posting it again (with <c>enforce_nonce</c>).
    /// </summary>
    public static string Nonce(string deliveryKey, int part)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{deliveryKey}#{part}"));
        return Convert.ToBase64String(hash)[..25];
    }

    /// <summary>
    /// Discord's message-formatting tokens: <c>&lt;@id&gt;</c>, <c>&lt;@!id&gt;</c>, <c>&lt;@&amp;id&gt;</c> (also as
    /// <see cref="Inert"/> leaves them), <c>&lt;#id&gt;</c>, <c>&lt;/name:id&gt;</c>, <c>&lt;:name:id&gt;</c>,
    /// <c>&lt;a:name:id&gt;</c>, <c>&lt;t:seconds[:style]&gt;</c>, <c>&lt;id:type&gt;</c> and <c>&lt;https://…&gt;</c>.
    /// </summary>
    [GeneratedRegex(@"<(?:@\u200B?[!&]?\d+|#\d+|/[^<>:\n]{1,100}:\d+|a?:\w+:\d+|t:-?\d+(?::[tTdDfFR])?|id:\w+|https?://[^\s<>]+)>", RegexOptions.CultureInvariant)]
    private static partial Regex Tokens();
}
