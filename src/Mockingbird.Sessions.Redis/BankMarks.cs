using System.Collections.Frozen;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The question bank's texts by a 32-bit mark of the text. Rubric points the judges report as missed, the point a
/// drill quotes, and the questions and points feedback waiting to be posted repeats were most of what the store kept,
/// and the bank already holds every one of them, so the stored forms name them by mark. A mark is of the text, not of
/// its place: a bank that reorders a rubric reads the same points back, and only a text reworded or removed since it
/// was stored (a new bank deployed mid interview, or read by a host still on the old one) reads as a placeholder.
/// </summary>
internal sealed class BankMarks
{
    /// <summary>What a marked rubric point of a stored session reads as once the bank no longer has its text.</summary>
    public const string Reworded = "(a rubric point reworded since this answer was judged)";

    /// <summary>A mark takes about nine characters stored: a shorter text is left as it is outside a rubric.</summary>
    public const int MarkedFrom = 24;

    /// <summary>How much of a text after its first character finds it where it is quoted.</summary>
    private const int AnchorLength = 16;

    /// <summary>No bank: texts are stored as they are, and texts stored by mark read as placeholders.</summary>
    public static readonly BankMarks None = new(new QuestionBank([]));

    private readonly FrozenDictionary<string, Rubric> _byQuestion;
    private readonly FrozenDictionary<string, uint> _markByText;
    private readonly FrozenDictionary<uint, string> _textByMark;
    private readonly FrozenDictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _byAnchor;

    public BankMarks(QuestionBank bank)
    {
        ArgumentNullException.ThrowIfNull(bank);
        _byQuestion = bank.Questions
            .Select(q => (q.Id, Rubric: Rubric.Of(q)))
            .Where(q => q.Rubric is not null)
            .ToFrozenDictionary(q => q.Id, q => q.Rubric!, StringComparer.Ordinal);

        // Across the whole bank two texts that share a mark are both left as text.
        var texts = bank.Questions
            .SelectMany(q => q.Rubric.Select(p => p.Text).Concat(q.FollowUps).Append(q.Prompt))
            .Where(text => text.Length >= MarkedFrom)
            .Distinct(StringComparer.Ordinal)
            .GroupBy(Mark)
            .Where(marked => marked.Count() == 1)
            .Select(marked => (Text: marked.Single(), Mark: marked.Key))
            .ToList();
        _markByText = texts.ToFrozenDictionary(t => t.Text, t => t.Mark, StringComparer.Ordinal);
        _textByMark = texts.ToFrozenDictionary(t => t.Mark, t => t.Text);
        _byAnchor = texts
            .GroupBy(t => t.Text.Substring(1, AnchorLength), StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(t => t.Text).OrderByDescending(text => text.Length).ToArray(), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <returns>The marks of the points, or <c>null</c> when one of them is not in the question's rubric.</returns>
    public uint[]? MarksOf(string questionId, IReadOnlyList<string> missed)
    {
        if (missed.Count == 0 || !_byQuestion.TryGetValue(questionId, out var rubric))
        {
            return null;
        }

        var marks = new uint[missed.Count];
        for (var i = 0; i < marks.Length; i++)
        {
            if (!rubric.MarkByText.TryGetValue(missed[i], out marks[i]))
            {
                return null;
            }
        }

        return marks;
    }

    public string[] TextsOf(string questionId, uint[] marks)
    {
        var rubric = _byQuestion.GetValueOrDefault(questionId);
        return [.. marks.Select(mark => rubric is not null && rubric.TextByMark.TryGetValue(mark, out var text) ? text : Reworded)];
    }

    /// <summary>The mark of a text of the bank at least <see cref="MarkedFrom"/> characters long.</summary>
    public bool TryMark(string text, out uint mark)
    {
        mark = 0;
        return text.Length >= MarkedFrom && _markByText.TryGetValue(text, out mark);
    }

    /// <returns><c>null</c> when the bank no longer has the text.</returns>
    public string? TextOf(uint mark) => _textByMark.GetValueOrDefault(mark);

    /// <summary>
    /// A text of the bank quoted in <paramref name="text"/> after a quote mark or a colon and a space, as drills quote
    /// the point they name: <paramref name="text"/> with the quoted text cut out but for its first character (which a
    /// judge may have lowercased to fit its sentence), where it was cut, and its mark.
    /// </summary>
    /// <returns><c>null</c> when no text of the bank is quoted so.</returns>
    public (string Cut, int At, uint Mark)? Quoted(string text)
    {
        var from = 0;
        while (text.AsSpan(from).IndexOfAny('"', ':') is >= 0 and var found)
        {
            var after = from + found;
            from = after + 1;
            var first = text[after] == '"' ? after + 1 : after + 2;
            if ((text[after] == ':' && (first > text.Length || text[after + 1] != ' ')) || first + 1 + AnchorLength > text.Length
                || !_byAnchor.TryGetValue(text.AsSpan(first + 1, AnchorLength), out var quoted))
            {
                continue;
            }

            foreach (var candidate in quoted)
            {
                if (text.AsSpan(first + 1).StartsWith(candidate.AsSpan(1), StringComparison.Ordinal)
                    && char.ToLowerInvariant(text[first]) == char.ToLowerInvariant(candidate[0]))
                {
                    return (string.Concat(text.AsSpan(0, first + 1), text.AsSpan(first + candidate.Length)), first + 1, _markByText[candidate]);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Puts back what <see cref="Quoted"/> cut out; a text the bank no longer has reads as
    /// <paramref name="changed"/>, in place of its first character too.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is not inside <paramref name="cut"/>.</exception>
    public string Unquoted(string cut, int at, uint mark, string changed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(at, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(at, cut.Length);
        return TextOf(mark) is { } text
            ? string.Concat(cut.AsSpan(0, at), text.AsSpan(1), cut.AsSpan(at))
            : string.Concat(cut.AsSpan(0, at - 1), changed, cut.AsSpan(at));
    }

    /// <summary>FNV-1a over the text's UTF-16 code units: the same in every process, unlike <see cref="string.GetHashCode()"/>.</summary>
    internal static uint Mark(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ (c & 0xFFu)) * 16777619u;
            hash = (hash ^ ((uint)c >> 8)) * 16777619u;
        }

        return hash;
    }

    private sealed record Rubric(FrozenDictionary<string, uint> MarkByText, FrozenDictionary<uint, string> TextByMark)
    {
        /// <returns><c>null</c> when two of the question's points share a mark: its points are then stored as text.</returns>
        public static Rubric? Of(Question question)
        {
            var texts = question.Rubric.Select(p => p.Text).Distinct(StringComparer.Ordinal).ToList();
            var marks = texts.Select(Mark).ToList();
            return marks.Distinct().Count() == marks.Count
                ? new Rubric(
                    texts.Zip(marks).ToFrozenDictionary(p => p.First, p => p.Second, StringComparer.Ordinal),
                    texts.Zip(marks).ToFrozenDictionary(p => p.Second, p => p.First))
                : null;
        }
    }
}
