using Mockingbird.Interview.Questions;

namespace Mockingbird.Evaluation;

/// <summary>The six labelled answers every eval file holds for its question.</summary>
public enum AnswerKind
{
    Strong,
    Medium,
    Weak,

    /// <summary>The rubric's key terms as a bare list: should earn nothing.</summary>
    Keywords,

    /// <summary>The strong answer's content in plain words, without the rubric's evidence phrases.</summary>
    Paraphrase,

    /// <summary>The weak answer plus text that tries to instruct the judge.</summary>
    Injected,
}

public static class AnswerKinds
{
    public static IReadOnlyList<AnswerKind> All { get; } = Enum.GetValues<AnswerKind>();

    public static string ToWire(this AnswerKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out AnswerKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}

/// <param name="Band">The score the answer deserves on the judge's 1-4 scale.</param>
public sealed record EvalAnswer(AnswerKind Kind, int Band, string Text);

/// <summary>One bank question with its labelled answers, one of each kind.</summary>
public sealed record EvalCase(Question Question, string File, IReadOnlyList<EvalAnswer> Answers);

public sealed record EvalSet(IReadOnlyList<EvalCase> Cases);
