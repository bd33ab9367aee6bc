namespace Mockingbird.Judging.Llm.Prompts;

/// <summary>The prompts failed the checks <c>validate</c> runs, so the LLM judge cannot start; the message lists every problem, one a line.</summary>
public sealed class InvalidPromptsException : InvalidOperationException
{
    public InvalidPromptsException(IReadOnlyList<PromptProblem> problems)
        : base($"The prompts are invalid:{Environment.NewLine}{string.Join(Environment.NewLine, problems ?? [])}") =>
        Problems = problems ?? [];

    public IReadOnlyList<PromptProblem> Problems { get; }
}
