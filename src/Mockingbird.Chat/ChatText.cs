using System.Text.RegularExpressions;

namespace Mockingbird.Chat;

/// <summary>Text cut to fit a chat platform's limits.</summary>
public static class ChatText
{
    /// <summary>
    /// Splits text into pieces of at most <paramref name="limit"/> characters, preferring paragraph breaks, then line
    /// breaks, then spaces; a single word longer than the limit is cut. No piece is empty. A code block cut in two is
    /// closed at the end of one piece and opened again at the start of the next, so text in it stays verbatim.
    /// </summary>
    /// <param name="atoms">
    /// The platform's pieces of markup that mean something only whole (an escape such as <c>&amp;amp;</c>, a mention
    /// such as <c>&lt;@U1&gt;</c>): no cut falls inside a match, unless the match alone is longer than a piece.
    /// </param>
    public static IReadOnlyList<string> Split(string text, int limit, Regex? atoms = null)
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
                cut = WholeAtoms(rest, cut, room, atoms);
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

    /// <summary>
    /// Text of at most <paramref name="limit"/> characters: the text itself when it fits, else its start and an
    /// ellipsis, cut neither inside one of the <paramref name="atoms"/> nor between the halves of a surrogate pair.
    /// </summary>
    public static string Shorten(string text, int limit, Regex? atoms = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        if (text.Length <= limit)
        {
            return text;
        }

        var room = limit - Ellipsis.Length;
        return string.Concat(text.AsSpan(0, WholeAtoms(text, room, room, atoms)), Ellipsis);
    }

    private const string Fence = "```";

    private const string Ellipsis = "…";

    /// <summary>
    /// Moves a cut out of any atom it falls in — back to the atom's start, or past its end when the atom starts the
    /// text and fits in <paramref name="room"/> — and then out of a surrogate pair.
    /// </summary>
    private static int WholeAtoms(ReadOnlySpan<char> text, int cut, int room, Regex? atoms)
    {
        if (atoms is not null)
        {
            // An atom is at most a piece long, so one reaching past cut + room was to be cut in any case.
            foreach (var atom in atoms.EnumerateMatches(text[..Math.Min(text.Length, cut + room)]))
            {
                if (atom.Index >= cut)
                {
                    break;
                }

                var end = atom.Index + atom.Length;
                if (end > cut)
                {
                    cut = atom.Index > 0 ? atom.Index : end <= room ? end : cut;
                    break;
                }
            }
        }

        return cut > 1 && char.IsHighSurrogate(text[cut - 1]) ? cut - 1 : cut;
    }

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
