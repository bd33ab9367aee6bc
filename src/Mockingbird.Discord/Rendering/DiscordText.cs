using System.Security.Cryptography;
using System.Text;
using Mockingbird.Chat;

namespace Mockingbird.Discord.Rendering;

/// <summary>Discord's text limits and the care taken with text the bot did not write.</summary>
internal static class DiscordText
{
    /// <summary>The most characters a message's content may hold.</summary>
    public const int MessageLimit = 2000;

    /// <summary>Splits text at Discord's message limit; see <see cref="ChatText.Split"/>.</summary>
    public static IReadOnlyList<string> Split(string text, int limit = MessageLimit) => ChatText.Split(text, limit);

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
}
