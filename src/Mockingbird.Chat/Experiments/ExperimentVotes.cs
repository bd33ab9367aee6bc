using Microsoft.Extensions.Logging;
using Mockingbird.Chat.Ratings;
using Mockingbird.Experiments;

namespace Mockingbird.Chat.Experiments;

/// <summary>
/// Counts a candidate's 👍/👎 on their own feedback in the experiment it was written for, beside the rating itself.
/// The caller passes only such votes (<see cref="ChatInterviews.RateAsync"/>): the experiment randomises candidates,
/// so each candidate is one trial in their arm, however many people can see and rate their feedback. The rating is
/// what the person gave and is never lost for this: a vote the experiment store cannot take is logged and left out.
/// </summary>
/// <param name="reports">When the bot declares its experiments, only their arms are counted.</param>
/// <param name="control">This replica's copy of the opt-outs, when it keeps one: read without a store call per vote.</param>
public sealed partial class ExperimentVotes(IExperimentStore store, TimeProvider time, ILogger<ExperimentVotes> logger, ExperimentReports? reports = null, ExperimentControlCache? control = null)
{
    /// <summary>
    /// The experiment and version an arm names: experiment variants are <c>experimentId/version</c> (what
    /// <see cref="FeedbackArm"/> makes of them); prompt versions and judges name no experiment.
    /// </summary>
    public static bool TryParse(string? arm, out string experimentId, out string version)
    {
        (experimentId, version) = (string.Empty, string.Empty);
        if (!FeedbackArm.IsWellFormed(arm) || arm!.Split('/') is not [{ Length: > 0 } experiment, { Length: > 0 } arms])
        {
            return false;
        }

        (experimentId, version) = (experiment, arms);
        return true;
    }

    /// <returns>True when the vote was counted in an experiment.</returns>
    public async Task<bool> RecordAsync(FeedbackRating rating, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rating);
        if (!TryParse(rating.Arm, out var experimentId, out var version)
            || (reports is not null && reports.Find(experimentId)?.Arms.Any(a => a.Version == version) != true))
        {
            return false;
        }

        try
        {
            // An unread copy cannot say whether the candidate opted out, so their vote waits for a later click.
            var current = control?.Current ?? await store.ControlAsync(cancellationToken);
            if (!current.IsRead || current.IsOptedOut(rating.RaterId))
            {
                return false;
            }

            await store.RecordAsync(new ArmVote(experimentId, version, rating.RaterId, rating.FeedbackId, rating.Helpful, time.GetUtcNow()), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.VoteNotCounted(logger, experimentId, ex.GetType().Name);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A rating was kept but not counted in experiment {ExperimentId} ({ErrorType})")]
        public static partial void VoteNotCounted(ILogger logger, string experimentId, string errorType);
    }
}
