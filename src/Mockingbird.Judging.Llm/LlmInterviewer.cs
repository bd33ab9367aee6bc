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
    public const string PromptName = "interviewer-follow-up";

    public const int SummaryTokenBudget = 300;

    public async Task<WrittenText?> WriteAsync(FollowUpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (experiments.Choose(PromptName, request.CandidateId ?? string.Empty) is not { } choice)
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
            var text = FollowUpVetting.Clean(reply.Content);
            return FollowUpVetting.Acceptable(text, request.Question)
                ? new WrittenText(text!, choice.Wrote(options.Value.Model, TokenCount.Of(reply)))
                : null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.FollowUpFailed(logger, options.Value.Model ?? "?", ex.GetType().Name);
            return null;
        }
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
            ["job_delimiter"] = JobFocus.NewDelimiter(),
            ["job_focus"] = JobFocus.Describe(request.JobRequirements, delimiter),
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
