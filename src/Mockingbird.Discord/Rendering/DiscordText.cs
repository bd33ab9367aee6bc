using System.Security.Cryptography;
using System.Text;

namespace Mockingbird.Discord.Rendering;

/// <summary>Discord's text limits and the care taken with text the bot did not write.</summary>
internal static class DiscordText
{
    /// <summary>The most characters a message's content may hold.</summary>
    public const int MessageLimit = 2000;

    /// <summary>
    /// Splits text into pieces of at most <paramref name="limit"/> characters, preferring paragraph breaks, then line
    /// breaks, then spaces; a single word longer than the limit is cut. No piece is empty. A code block cut in two is
    /// closed at the end of one piece and opened again at the start of the next, so text in it stays verbatim.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int limit = MessageLimit)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 16);
        var pieces = new List<string>();
        var rest = text.AsSpan().Trim();
        var inFence = false;
        while (rest.Length > 0)
        {
            var opening = inFence ? Fence + "\n" : string.Empty;
            var room = limit - opening.Length - Fence.Length - 1;
            string piece;
            if (rest.Length <= limit - opening.Length)
            {
                piece = rest.ToString();
                rest = [];
            }
            else
            {
                var window = rest[..(room + 1)];
                var cut = LastBreak(window, "\n\n", room / 2) ?? LastBreak(window, "\n", room / 2) ?? LastBreak(window, " ", room / 2) ?? room;
                if (char.IsHighSurrogate(rest[cut - 1]))
                {
                    cut--;
                }

                piece = rest[..cut].TrimEnd().ToString();
                rest = rest[cut..].TrimStart();
            }

            var fences = CountFences(piece) % 2 == 1;
            var openAtEnd = inFence ^ fences;
            piece = opening + piece;
            if (openAtEnd && rest.Length > 0)
            {
                piece += "\n" + Fence;
            }

            if (piece.Trim().Length > 0)
            {
                pieces.Add(piece);
            }

            inFence = openAtEnd;
        }

        return pieces;
    }

    private const string Fence = "```";

    private static int CountFences(string text)
    {
        var count = 0;
        for (var at = text.IndexOf(Fence, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Fence, at + Fence.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

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

    private static int? LastBreak(ReadOnlySpan<char> window, string separator, int notBefore)
    {
        var at = window.LastIndexOf(separator.AsSpan(), StringComparison.Ordinal);
        return at >= notBefore ? at : null;
    }
}
