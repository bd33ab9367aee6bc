using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Judging.Llm.Prompts;

namespace Mockingbird.Judging.Llm;

/// <summary>
/// Writes the end-of-interview summary from the per-answer judgements (never from the raw transcript). The rounds are
/// read together by <see cref="LlmDebriefWriter"/>, a port of its own.
/// </summary>
public sealed partial class LlmScorecardWriter(
    IChatCompletionService chat,
    PromptExperiments experiments,
    IOptions<LlmOptions> options,
    ILogger<LlmScorecardWriter> logger) : IScorecardWriter
{
    public const string PromptName = "interview-summary";

    public async Task<WrittenText?> SummariseAsync(Scorecard scorecard, InterviewPlan plan, IReadOnlyList<TurnNote> judgements, string? candidateId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scorecard);
        ArgumentNullException.ThrowIfNull(judgements);
        if (judgements.Count == 0 || experiments.Choose(PromptName, candidateId ?? string.Empty) is not { } choice)
        {
            return null;
        }

        try
        {
            var rendered = await PromptChecks.RenderAsync(choice.Prompt, new KernelArguments
            {
                ["plan"] = plan.ToWire(),
                // Worded as the prompt's first version was written against; an interview without a verdict says why.
                ["signal"] = scorecard.Overall is { } overall && scorecard.Signal is { } signal
                    ? string.Create(CultureInfo.InvariantCulture, $"{overall:0.0}/4, {signal.Describe()}")
                    : scorecard.Verdict(),
                ["judgements"] = string.Join("\n", judgements.Select(j => string.Create(CultureInfo.InvariantCulture, $"- {j.Asked} | {j.Score:0.0}/4 | missed: {(j.Missed.Count == 0 ? "nothing" : string.Join("; ", j.Missed))}"))),
            }, cancellationToken);
            var reply = await chat.GetChatMessageContentAsync(LlmJudge.ToChat(rendered), LlmJudge.SettingsOf(choice.Prompt), kernel: null, cancellationToken);
            return string.IsNullOrWhiteSpace(reply.Content)
                ? null
                : new WrittenText(reply.Content.Trim(), choice.Wrote(options.Value.Model, TokenCount.Of(reply)));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.SummaryFailed(logger, ex.GetType().Name);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The interview summary could not be written ({ErrorType}); the scorecard is posted without it")]
        public static partial void SummaryFailed(ILogger logger, string errorType);
    }
}
