using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Drills;

/// <summary>
/// Judges a drill answer taken from the durable judging queue with the same judge as any answer, sends the feedback
/// by direct message and moves the drilled dimension on the ladder. A job that runs again after its drill was marked
/// answered judges nothing twice; only the answer's score stays, its text is dropped once judged.
/// </summary>
public sealed partial class DrillAnswerJudging(
    DrillPlans plans,
    IDrillStore store,
    IJudgingQueue queue,
    IAnswerJudge judge,
    QuestionBank bank,
    TimeProvider time,
    ILogger<DrillAnswerJudging> logger,
    IDrillPlatform? platform = null) : IJudgingJobHandler
{
    public const string NotJudged = "Your drill answer could not be judged after several tries, so it does not count either way; the drill comes back on its schedule.";

    public JudgeJobKind Kind => JudgeJobKind.Drill;

    /// <summary>
    /// The job that judges the candidate's answer to a drill: queued on the candidate's shard, and named by the
    /// drill's delivery key, which no other candidate's drill shares.
    /// </summary>
    public static JudgeJob JobFor(string candidateId, string drillId) =>
        new(candidateId, DrillScheduler.DeliveryKeyOf(candidateId, drillId), 0, JudgeJobKind.Drill);

    public static string DrillIdOf(JudgeJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.SessionId[DrillScheduler.DeliveryKeyOf(job.CandidateId, string.Empty).Length..];
    }

    public async Task ProcessAsync(QueuedJudgement queued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queued);
        var candidateId = queued.Job.CandidateId;
        var drillId = DrillIdOf(queued.Job);
        try
        {
            var answer = await store.FindAnswerAsync(candidateId, drillId, cancellationToken);
            var plan = await plans.FindAsync(candidateId, cancellationToken);
            if (answer is null || plan?.Sent.FirstOrDefault(s => s.DrillId == drillId) is not { Answered: false } sent)
            {
                // Judged before (the job ran again), or forgotten: nothing is judged twice.
                await store.DropAnswerAsync(candidateId, drillId, cancellationToken);
                await queue.CompleteAsync(queued, cancellationToken);
                return;
            }

            var question = bank.Find(sent.QuestionId)
                ?? throw new InvalidOperationException($"Question '{sent.QuestionId}' is not in the bank.");
            var feedback = await judge.JudgeAsync(new JudgeRequest(question, null, answer, CandidateId: candidateId, TurnKey: queued.Job.SessionId), cancellationToken);
            var now = time.GetUtcNow();
            if (platform is not null)
            {
                var next = DrillSchedule.Answered(plan, drillId, feedback.Total, now);
                await platform.SendFeedbackAsync(new DrillFeedbackMessage(candidateId, drillId, Render(sent.Dimension, feedback, next, now)), cancellationToken);
            }

            await plans.UpdateAsync(
                candidateId,
                p => p.Sent.Any(s => s.DrillId == drillId && !s.Answered) ? DrillSchedule.Answered(p, drillId, feedback.Total, now) : null,
                now,
                cancellationToken);
            await store.DropAnswerAsync(candidateId, drillId, cancellationToken);
            await queue.CompleteAsync(queued, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.JudgingFailed(logger, queued.Id, queued.Attempt, ex.GetType().Name);
            if (await queue.FailAsync(queued, $"{ex.GetType().Name}: {ex.Message}", cancellationToken) && platform is not null)
            {
                await platform.SendFeedbackAsync(new DrillFeedbackMessage(candidateId, drillId, NotJudged), cancellationToken);
            }
        }
    }

    /// <summary>
    /// A short reading: the total, each dimension's score, and when the next drill comes. No quote from the answer
    /// and no judge's prose: nothing the candidate wrote comes back through it.
    /// </summary>
    public static string Render(string dimension, Feedback feedback, DrillPlan next, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        ArgumentNullException.ThrowIfNull(next);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Drill on {dimension}: {feedback.Total:0.0} of 4 ")
            .Append(feedback.Total < DrillSchedule.WeakBelow ? "(weak: it comes back in a day)." : "(it comes back later than last time).");
        if (feedback.Dimensions.Count > 0)
        {
            text.Append('\n').AppendJoin(" · ", feedback.Dimensions.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Name} {d.Score}/4")));
        }

        var active = next.Dimensions.Where(d => !d.Retired).OrderBy(d => d.DueAt).ToList();
        if (DrillSchedule.NextDue(next, now) is { } due && active.Count > 0)
        {
            var local = TimeZoneInfo.ConvertTime(due, QuietHours.Zone(next.TimeZone)).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"Next drill: {local} ({next.TimeZone}), on {active[0].Dimension}.");
        }
        else if (next.Find(dimension) is { Retired: true })
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"{dimension} is retired from drills: strong twice at the longest interval.");
        }

        return text.ToString();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Drill judging job {JobId} failed on attempt {Attempt} with {ErrorType}")]
        public static partial void JudgingFailed(ILogger logger, string jobId, int attempt, string errorType);
    }
}
