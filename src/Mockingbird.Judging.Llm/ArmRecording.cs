using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Mockingbird.Experiments;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Judging.Llm.Prompts;

namespace Mockingbird.Judging.Llm;

/// <summary>
/// Records each answer the LLM judge judged for a candidate counted in an experiment, in their arm: the tokens, the
/// latency, the schema failures and whether the offline judge stood in (intention to treat). A store that fails is
/// logged and the judgement goes on; the same answer judged again (a retried job) records once.
/// </summary>
public sealed class ArmRecordingJudge(IAnswerJudge inner, IExperimentStore store, TimeProvider time, ILogger<ArmRecordingJudge> logger) : IAnswerJudge
{
    private readonly ArmRecorder _recorder = new(store, time, logger);

    public async Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        var feedback = await inner.JudgeAsync(request, cancellationToken);
        // The turn names the answer where there is one: the same words given in two interviews are two answers.
        var key = request.TurnKey is { } turn
            ? ArmRecorder.Key("turn", turn)
            : ArmRecorder.Key("answer", request.CandidateId, request.Question.Id, request.FollowUp, request.Answer);
        await _recorder.RecordAsync(feedback.Source, request.CandidateId, key, started, cancellationToken);
        return feedback;
    }
}

/// <summary>
/// Records each follow-up the LLM interviewer wrote for a counted candidate in their arm of its experiment. The bank's
/// follow-up stands in when the LLM wrote none usable (it failed, or vetting refused its text): that counts as a
/// fallback of the candidate's arm, as the judge's does.
/// </summary>
public sealed class ArmRecordingInterviewer(IFollowUpWriter inner, IExperimentStore store, PromptExperiments experiments, TimeProvider time, ILogger<ArmRecordingInterviewer> logger) : IFollowUpWriter
{
    private readonly ArmRecorder _recorder = new(store, time, logger);

    public async Task<WrittenText?> WriteAsync(FollowUpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        var written = await inner.WriteAsync(request, cancellationToken);
        var key = ArmRecorder.Key("follow-up", request.CandidateId, request.Question.Id, request.MissingPoints.Count.ToString(CultureInfo.InvariantCulture), request.LastAnswer);
        await _recorder.RecordAsync(written?.Source ?? ArmRecorder.FellBack(experiments, LlmInterviewer.PromptName, request.CandidateId), request.CandidateId, key, started, cancellationToken);
        return written;
    }
}

/// <summary>
/// Records each interview summary the LLM wrote for a counted candidate in their arm of its experiment. A summary the
/// LLM could not write is a fallback of the candidate's arm: the scorecard goes out without it.
/// </summary>
public sealed class ArmRecordingScorecardWriter(IScorecardWriter inner, IExperimentStore store, PromptExperiments experiments, TimeProvider time, ILogger<ArmRecordingScorecardWriter> logger) : IScorecardWriter
{
    private readonly ArmRecorder _recorder = new(store, time, logger);

    public async Task<WrittenText?> SummariseAsync(Scorecard scorecard, InterviewPlan plan, IReadOnlyList<TurnNote> judgements, string? candidateId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judgements);
        var started = time.GetTimestamp();
        var written = await inner.SummariseAsync(scorecard, plan, judgements, candidateId, cancellationToken);
        var key = ArmRecorder.Key(["summary", candidateId, plan.ToWire(), .. judgements.Select(j => string.Create(CultureInfo.InvariantCulture, $"{j.Asked}|{j.Score}"))]);
        var source = written?.Source ?? (judgements.Count == 0 ? null : ArmRecorder.FellBack(experiments, LlmScorecardWriter.PromptName, candidateId));
        await _recorder.RecordAsync(source, candidateId, key, started, cancellationToken);
        return written;
    }
}

/// <summary>
/// Records each debrief the LLM wrote for a counted candidate in their arm of the <c>debrief</c> prompt's experiment.
/// A debrief it could not write (the offline one stands) is a fallback of the candidate's arm.
/// </summary>
public sealed class ArmRecordingDebriefWriter(IDebriefWriter inner, IExperimentStore store, PromptExperiments experiments, TimeProvider time, ILogger<ArmRecordingDebriefWriter> logger) : IDebriefWriter
{
    private readonly ArmRecorder _recorder = new(store, time, logger);

    public async Task<Debrief?> DebriefAsync(DebriefRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        var debrief = await inner.DebriefAsync(request, cancellationToken);
        var key = ArmRecorder.Key(["debrief", request.CandidateId, .. request.Turns.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Number}|{t.Stage}"))]);
        var source = debrief?.Source ?? (request.Turns.Count == 0 ? null : ArmRecorder.FellBack(experiments, LlmDebriefWriter.PromptName, request.CandidateId));
        await _recorder.RecordAsync(source, request.CandidateId, key, started, cancellationToken);
        return debrief;
    }
}

/// <summary>The recording the decorators share.</summary>
internal sealed partial class ArmRecorder(IExperimentStore store, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// The stamp of a writer that wrote nothing usable, in the candidate's arm of the prompt's experiment. The tokens of
    /// its failed calls are not known here, so they are not counted.
    /// </summary>
    public static FeedbackSource? FellBack(PromptExperiments experiments, string promptName, string? candidateId) =>
        candidateId is null ? null : experiments.Choose(promptName, candidateId)?.FellBack(model: null, default, schemaFailures: 0);

    public async Task RecordAsync(FeedbackSource? source, string? candidateId, string turnKey, long startedAt, CancellationToken cancellationToken)
    {
        if (source is not { Experiment: { } experiment, Arm: { } arm } || candidateId is null)
        {
            return;
        }

        var turn = new JudgedTurn(
            experiment,
            arm,
            candidateId,
            turnKey,
            source.Model,
            time.GetElapsedTime(startedAt),
            source.PromptTokens,
            source.CachedPromptTokens,
            source.CompletionTokens,
            source.SchemaFailures,
            FellBack: source.JudgeKind == "offline-fallback",
            time.GetUtcNow());
        try
        {
            await store.RecordAsync(turn, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The candidate's feedback matters more than one observation; only the type is logged.
            Log.RecordFailed(logger, experiment, ex.GetType().Name);
        }
    }

    /// <summary>
    /// A digest naming one piece of work, the same when it is done again (a retried job) and different for any other:
    /// each part is length-prefixed, so no two lists of parts run together into the same text.
    /// </summary>
    public static string Key(params IEnumerable<string?> parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(CultureInfo.InvariantCulture, $"{part?.Length ?? -1}:{part};");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A judged turn of experiment {ExperimentId} could not be recorded ({ErrorType}); the interview goes on")]
        public static partial void RecordFailed(ILogger logger, string experimentId, string errorType);
    }
}
