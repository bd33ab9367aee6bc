using Microsoft.Extensions.Logging;
using Mockingbird.Experiments;
using Mockingbird.Interview.Sessions;
using Step = Mockingbird.Experiments.InterviewStep;

namespace Mockingbird.Judging.Llm;

/// <summary>
/// Counts each interview's start, answers and finish in every experiment the candidate is counted in, in their
/// randomised arm (intention to treat: a stopped arm still counts its candidates). People who opted out are counted
/// nowhere. Each step names itself (the session, or the session and turn), so a step reported twice counts once; a
/// store that fails is logged and the interview goes on.
/// </summary>
public sealed partial class ExperimentSteps(IExperimentCatalog catalog, ExperimentControlCache control, IExperimentStore store, ILogger<ExperimentSteps> logger) : IInterviewObserver
{
    public Task StartedAsync(string candidateId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken) =>
        RecordAsync(candidateId, InterviewMilestone.Started, sessionId, at, cancellationToken);

    public Task AnsweredAsync(string candidateId, string sessionId, int turn, DateTimeOffset at, CancellationToken cancellationToken) =>
        RecordAsync(candidateId, InterviewMilestone.Answered, $"{sessionId}:{turn}", at, cancellationToken);

    public Task FinishedAsync(string candidateId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken) =>
        RecordAsync(candidateId, InterviewMilestone.Finished, sessionId, at, cancellationToken);

    private async Task RecordAsync(string candidateId, InterviewMilestone milestone, string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var current = control.Current;
        foreach (var design in catalog.Designs)
        {
            if (ArmAssignment.Counted(design, candidateId, current) is not { } arm)
            {
                continue;
            }

            try
            {
                await store.RecordAsync(new Step(design.Id, arm.Version, candidateId, milestone, key, at), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.RecordFailed(logger, milestone, design.Id, ex.GetType().Name);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "An interview step ({Milestone}) of experiment {ExperimentId} could not be recorded ({ErrorType}); the interview goes on")]
        public static partial void RecordFailed(ILogger logger, InterviewMilestone milestone, string experimentId, string errorType);
    }
}
