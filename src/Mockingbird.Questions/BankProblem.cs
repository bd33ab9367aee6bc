namespace Mockingbird.Questions;

/// <summary>One thing wrong with a bank file, located so an author can go straight to it.</summary>
public sealed record BankProblem(string File, int Line, string Message)
{
    // Line 0 is a problem with the file as a whole (missing, a directory, too large), not with any line of it.
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>Thrown when the question bank cannot be loaded; the message lists every problem found, one a line.</summary>
public sealed class QuestionBankException : Exception
{
    public QuestionBankException(IReadOnlyList<BankProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public QuestionBankException()
        : this([])
    {
    }

    public QuestionBankException(string message)
        : base(message)
    {
        Problems = [];
    }

    public QuestionBankException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public IReadOnlyList<BankProblem> Problems { get; }

    private static string Describe(IReadOnlyList<BankProblem> problems) =>
        problems.Count == 0
            ? "The question bank is invalid."
            : $"The question bank has {problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, problems)}";
}
