using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Mockingbird.Interview.Judging;
using Mockingbird.Judging.Llm.Prompts;

namespace Mockingbird.Judging.Llm;

/// <summary>
/// Writes the interviewer's follow-up with an LLM: from the question, the rubric points still missing, a running
/// summary kept under a token budget (not the transcript) and the last answer. Any failure returns <c>null</c>, and
/// the bank's follow-up is asked instead.
/// </summary>
public sealed partial class LlmInterviewer(
    IChatCompletionService chat,
    PromptExperiments experiments,
    IOptions<LlmOptions> options,
    ILogger<LlmInterviewer> logger) : IFollowUpWriter
{
    public const int SummaryTokenBudget = 300;

    public async Task<string?> WriteAsync(FollowUpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (experiments.Choose("interviewer-follow-up", request.CandidateId ?? string.Empty) is not { } choice)
        {
            return null;
        }

        try
        {
            var rendered = await PromptChecks.RenderAsync(choice.Prompt, Arguments(request), cancellationToken);
            var reply = await chat.GetChatMessageContentAsync(
                LlmJudge.ToChat(rendered),
                LlmJudge.SettingsOf(choice.Prompt),
                kernel: null,
                cancellationToken);
            var text = reply.Content?.Trim().Trim('"', '“', '”').Trim();
            return Acceptable(text, request) ? text : null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.FollowUpFailed(logger, options.Value.Model ?? "?", ex.GetType().Name);
            return null;
        }
    }

    /// <summary>
    /// The follow-up is shown to the candidate and later read by the judge as the question, so it is vetted like an
    /// answer: one short question, nothing addressed to a judge, and no rubric point given away (the candidate may
    /// have asked the interviewer to recite them).
    /// </summary>
    private static bool Acceptable(string? text, FollowUpRequest request)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 400 || !text.Contains('?', StringComparison.Ordinal) || Judging.Rubric.RubricJudge.AddressesTheJudge(text))
        {
            return false;
        }

        var words = Words(text);
        return !request.Question.Rubric.Select(point => Words(point.Text)).Any(point => point.Length >= 3 && SharesRun(words, point, Math.Min(5, point.Length)));
    }

    private static string[] Words(string text) => text.ToLowerInvariant().Split([' ', ',', '.', ';', ':', '?', '!', '(', ')'], StringSplitOptions.RemoveEmptyEntries);

    private static bool SharesRun(string[] text, string[] point, int length)
    {
        var runs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + length <= point.Length; i++)
        {
            runs.Add(string.Join(' ', point, i, length));
        }

        for (var i = 0; i + length <= text.Length; i++)
        {
            if (runs.Contains(string.Join(' ', text, i, length)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The template's variables for a request (the answer fenced exactly as the judge fences it).</summary>
    public static KernelArguments Arguments(FollowUpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var delimiter = AnswerFence.NewDelimiter();
        return new KernelArguments
        {
            ["question"] = request.Question.Prompt,
            ["missing_points"] = request.MissingPoints.Count == 0 ? "(none)" : string.Join("\n", request.MissingPoints.Select(p => $"- {p}")),
            ["summary"] = InterviewMemory.Summarise(request.Earlier, SummaryTokenBudget),
            ["delimiter"] = delimiter,
            ["answer"] = AnswerFence.Neutralise(request.LastAnswer, delimiter),
        };
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Follow-up from {Model} failed ({ErrorType}); the bank's follow-up is asked")]
        public static partial void FollowUpFailed(ILogger logger, string model, string errorType);
    }
}
