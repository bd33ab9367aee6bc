using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Mockingbird.Chat.Delivery;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Drills;

/// <summary>
/// Judges a drill answer taken from the durable judging queue with the same judge as any answer, moves the drilled
/// dimension on the ladder and sends the feedback by direct message. The score is saved before the feedback goes out,
/// and the feedback goes through the delivery ledger under a key of its own: a job that dies anywhere on the way comes
/// back to judge nothing twice and to send the feedback of the score saved, unless the ledger holds it as sent. Only
/// the answer's scores stay; its text is dropped once judged.
/// </summary>
public sealed partial class DrillAnswerJudging(
    DrillPlans plans,
    IDrillStore store,
    IJudgingQueue queue,
    IAnswerJudge judge,
    QuestionBank bank,
    IDeliveryLedger ledger,
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

    /// <summary>The feedback on a drill answer in the delivery ledger: apart from the drill's own key, which its sending holds.</summary>
    public static string FeedbackKeyOf(string candidateId, string drillId) => $"drill-feedback:{candidateId}:{drillId}";

    public async Task ProcessAsync(QueuedJudgement queued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queued);
        var candidateId = queued.Job.CandidateId;
        var drillId = DrillIdOf(queued.Job);
        var scoreSaved = false;
        try
        {
            var answer = await store.FindAnswerAsync(candidateId, drillId, cancellationToken);
            var plan = await plans.FindAsync(candidateId, cancellationToken);
            if (answer is null || plan?.Sent.FirstOrDefault(s => s.DrillId == drillId) is not { } sent)
            {
                // Judged and its feedback sent before (the job ran again), or forgotten.
                await store.DropAnswerAsync(candidateId, drillId, cancellationToken);
                await queue.CompleteAsync(queued, cancellationToken);
                return;
            }

            if (!sent.Answered)
            {
                plan = await JudgeAsync(queued, plan, sent, answer, cancellationToken);
            }

            // From here on the score is saved: a job that comes back sends its feedback and never judges again.
            scoreSaved = true;
            if (platform is not null && plan.Answers.FirstOrDefault(a => a.DrillId == drillId) is { } judged)
            {
                await SendFeedbackOnceAsync(platform, plan, judged, cancellationToken);
            }

            await store.DropAnswerAsync(candidateId, drillId, cancellationToken);
            await queue.CompleteAsync(queued, cancellationToken);
        }
        catch (DeliveryHeldElsewhereException held)
        {
            // Another worker is sending the feedback right now: the job comes back after the reclaim timeout without
            // spending an attempt, and finds it sent.
            Log.FeedbackHeld(logger, queued.Id);
            await queue.HeldAsync(queued, held.PartKey ?? FeedbackKeyOf(candidateId, drillId), $"{nameof(DeliveryHeldElsewhereException)}: {held.Message}", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A timeout inside the judge or a platform call is a failure like any other, not the worker stopping.
            Log.JudgingFailed(logger, queued.Id, queued.Attempt, ex.GetType().Name);
            if (await queue.FailAsync(queued, $"{ex.GetType().Name}: {ex.Message}", cancellationToken))
            {
                // Given up on: nothing will read the answer's text again, so it goes now rather than with its retention.
                await store.DropAnswerAsync(candidateId, drillId, cancellationToken);
                if (platform is not null && !scoreSaved)
                {
                    await platform.SendFeedbackAsync(new DrillFeedbackMessage(candidateId, drillId, NotJudged), cancellationToken);
                }
            }
        }
    }

    /// <summary>Judges the answer and saves its scores in the plan; returns the plan as saved.</summary>
    private async Task<DrillPlan> JudgeAsync(QueuedJudgement queued, DrillPlan plan, SentDrill sent, string answer, CancellationToken cancellationToken)
    {
        var question = bank.Find(sent.QuestionId)
            ?? throw new InvalidOperationException($"Question '{sent.QuestionId}' is not in the bank.");
        var feedback = await judge.JudgeAsync(new JudgeRequest(question, null, answer, CandidateId: plan.CandidateId, TurnKey: queued.Job.SessionId), cancellationToken);
        var now = time.GetUtcNow();
        IReadOnlyList<DrillScore> scores = [.. feedback.Dimensions.Select(d => new DrillScore(d.Name, d.Score))];
        return await plans.UpdateAsync(
            plan.CandidateId,
            p => p.Sent.Any(s => s.DrillId == sent.DrillId && !s.Answered) ? DrillSchedule.Answered(p, sent.DrillId, feedback.Total, now, scores) : null,
            now,
            cancellationToken);
    }

    /// <summary>
    /// Claims the feedback in the delivery ledger, sends it and records it sent. A sender that died between the
    /// platform taking the message and the record leaves the claim to lapse; the next one sends again under the same
    /// ids, and the platform adapter finds the message in the conversation before posting it twice.
    /// </summary>
    private async Task SendFeedbackOnceAsync(IDrillPlatform to, DrillPlan plan, DrillAnswer judged, CancellationToken cancellationToken)
    {
        var key = FeedbackKeyOf(plan.CandidateId, judged.DrillId);
        var owner = Guid.NewGuid().ToString("N");
        switch (await ledger.TryClaimAsync(key, owner, cancellationToken))
        {
            case DeliveryClaimOutcome.AlreadyPosted:
                return;
            case DeliveryClaimOutcome.HeldElsewhere:
                throw new DeliveryHeldElsewhereException("A drill's feedback is being sent by another worker.") { PartKey = key };
        }

        await using (ClaimHeartbeat.Start(ledger, key, owner, time))
        {
            try
            {
                await to.SendFeedbackAsync(new DrillFeedbackMessage(plan.CandidateId, judged.DrillId, Render(judged, plan, time.GetUtcNow())), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await ledger.ReleaseAsync(key, owner, CancellationToken.None);
                throw;
            }
        }

        await ledger.RecordPostedAsync(key, cancellationToken);
    }

    /// <summary>
    /// A short reading: the total, each dimension's score, and when the next drill comes. No quote from the answer
    /// and no judge's prose: nothing the candidate wrote comes back through it.
    /// </summary>
    public static string Render(DrillAnswer judged, DrillPlan next, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(judged);
        ArgumentNullException.ThrowIfNull(next);
        var dimension = judged.Dimension;
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Drill on {dimension}: {judged.Total:0.0} of 4 ")
            .Append(judged.Total < DrillSchedule.WeakBelow ? "(weak: it comes back in a day)." : "(it comes back later than last time).");
        if (judged.Scores is { Count: > 0 } scores)
        {
            text.Append('\n').AppendJoin(" · ", scores.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Dimension} {d.Score}/4")));
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

        [LoggerMessage(2, LogLevel.Information, "Drill judging job {JobId} waits: another worker is sending its feedback")]
        public static partial void FeedbackHeld(ILogger logger, string jobId);
    }
}
