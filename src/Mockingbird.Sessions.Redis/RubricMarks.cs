using System.Collections.Frozen;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The question bank's rubric points by a 32-bit mark of their text. The judges only ever report points of the
/// question's own rubric as missed, and their texts were most of a stored session judged by the offline judge, so a
/// stored turn names them by mark instead. A mark is of the text, not of its place: a bank that reorders a rubric reads
/// the same points back, and only a point reworded or removed since the answer was judged (a new bank deployed mid
/// interview, or read by a host still on the old one) reads as <see cref="Reworded"/>.
/// </summary>
internal sealed class RubricMarks
{
    /// <summary>What a marked point reads as once the bank no longer has its text.</summary>
    public const string Reworded = "(a rubric point reworded since this answer was judged)";

    /// <summary>No bank: points are stored as text, and points stored by mark read as <see cref="Reworded"/>.</summary>
    public static readonly RubricMarks None = new(new QuestionBank([]));

    private readonly FrozenDictionary<string, Rubric> _byQuestion;

    public RubricMarks(QuestionBank bank)
    {
        ArgumentNullException.ThrowIfNull(bank);
        _byQuestion = bank.Questions
            .Select(q => (q.Id, Rubric: Rubric.Of(q)))
            .Where(q => q.Rubric is not null)
            .ToFrozenDictionary(q => q.Id, q => q.Rubric!, StringComparer.Ordinal);
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
