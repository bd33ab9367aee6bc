namespace Mockingbird.Chat;

/// <summary>Text cut to fit a chat platform's limits.</summary>
public static class ChatText
{
    /// <summary>
    /// Splits text into pieces of at most <paramref name="limit"/> characters, preferring paragraph breaks, then line
    /// breaks, then spaces; a single word longer than the limit is cut. No piece is empty. A code block cut in two is
    /// closed at the end of one piece and opened again at the start of the next, so text in it stays verbatim.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int limit)
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

    private static int? LastBreak(ReadOnlySpan<char> window, string separator, int notBefore)
    {
        var at = window.LastIndexOf(separator.AsSpan(), StringComparison.Ordinal);
        return at >= notBefore ? at : null;
    }
}
