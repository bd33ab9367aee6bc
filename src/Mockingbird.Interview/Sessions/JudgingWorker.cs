using Microsoft.Extensions.Logging;
using Mockingbird.Interview.Judging;

namespace Mockingbird.Interview.Sessions;

/// <summary>
/// Takes judging jobs from the durable queue, judges, records the judgement and posts the feedback. Every step is
/// safe to repeat: a job that runs twice (its first worker died or stalled) finds its turn already judged and only
/// finishes a delivery nobody finished, so each answer's feedback is posted once.
/// </summary>
public sealed partial class JudgingWorker(
    InterviewEngine engine,
    ISessionStore store,
    IJudgingQueue queue,
    IAnswerJudge judge,
    IInterviewOutput output,
    TimeProvider time,
    ILogger<JudgingWorker> logger)
{
    /// <summary>
    /// Takes one batch of jobs and processes them concurrently (judging is mostly waiting on an LLM); returns how
    /// many it took.
    /// </summary>
    public async Task<int> RunOnceAsync(string worker, int batch, CancellationToken cancellationToken)
    {
        var jobs = await queue.TakeAsync(worker, batch, cancellationToken);
        await Task.WhenAll(jobs.Select(job => ProcessAsync(job, cancellationToken)));
        return jobs.Count;
    }

    public async Task ProcessAsync(QueuedJudgement queued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queued);
        var job = queued.Job;
        for (var attempt = 0; attempt < InterviewService.MaxWriteAttempts; attempt++)
        {
            VersionedSession? current;
            try
            {
                current = await store.FindActiveAsync(job.CandidateId, cancellationToken);
            }
            catch (UnreadableSessionException)
            {
                Log.DroppedForUnreadableSession(logger, queued.Id);
                await queue.CompleteAsync(queued, cancellationToken);
                return;
            }

            if (current is null || current.Session.Id != job.SessionId || current.Session.PendingTurn?.Number != job.TurnNumber)
            {
                // Judged already (or the session is gone): finish a delivery its writer may have left unposted.
                if (await DeliverLeftoverAsync(job, cancellationToken))
                {
                    await queue.CompleteAsync(queued, cancellationToken);
                }

                return;
            }

            Feedback feedback;
            try
            {
                feedback = await judge.JudgeAsync(engine.JudgeAgain(current.Session).Request, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.JudgingFailed(logger, queued.Id, queued.Attempt, ex.GetType().Name);
                if (await queue.FailAsync(queued, $"{ex.GetType().Name}: {ex.Message}", cancellationToken))
                {
                    await output.DeliverAsync(
                        job.CandidateId,
                        [new PostNotice("Your answer is saved, but it could not be judged after several tries. Resume the interview to try again.", NoticeKind.Rejected)],
                        $"{job.DeliveryKey}:failed",
                        cancellationToken);
                }

                return;
            }

            var step = engine.Handle(current.Session, new JudgementReady(job.TurnNumber, feedback), time.GetUtcNow());
            var delivery = new PendingDelivery(job.DeliveryKey, step.Actions);
            var history = engine.HistoryEntryFor(current.Session, step.Session, time.GetUtcNow());
            var result = await store.WriteAsync(new SessionWrite(step.Session, current.Version, Delivery: delivery, History: history), cancellationToken);
            if (result.Outcome == WriteOutcome.Conflict)
            {
                continue;
            }

            await output.DeliverAsync(job.CandidateId, step.Actions, job.DeliveryKey, cancellationToken);
            await queue.CompleteAsync(queued, cancellationToken);
            return;
        }

        Log.GaveUpOnConflicts(logger, queued.Id);
    }

    /// <summary>
    /// Posts a delivery whose writer did not finish; false while another worker's lease on it runs, in which case
    /// the job stays with the queue and comes back after the reclaim timeout if that worker never completes it.
    /// </summary>
    private async Task<bool> DeliverLeftoverAsync(JudgeJob job, CancellationToken cancellationToken)
    {
        var claim = await store.ClaimDeliveryAsync(job.CandidateId, job.DeliveryKey, cancellationToken);
        if (claim.HeldElsewhere)
        {
            return false;
        }

        if (claim.Delivery is { } leftover)
        {
            Log.DeliveringLeftover(logger, job.DeliveryKey);
            await output.DeliverAsync(job.CandidateId, leftover.Actions, leftover.Key, cancellationToken);
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Judging job {JobId} failed on attempt {Attempt} with {ErrorType}")]
        public static partial void JudgingFailed(ILogger logger, string jobId, int attempt, string errorType);

        [LoggerMessage(2, LogLevel.Warning, "Judging job {JobId} dropped: its session could not be read")]
        public static partial void DroppedForUnreadableSession(ILogger logger, string jobId);

        [LoggerMessage(3, LogLevel.Information, "Posting feedback {DeliveryKey} that an earlier worker saved but did not finish posting")]
        public static partial void DeliveringLeftover(ILogger logger, string deliveryKey);

        [LoggerMessage(4, LogLevel.Error, "Judging job {JobId} kept conflicting with other writers; it stays queued")]
        public static partial void GaveUpOnConflicts(ILogger logger, string jobId);
    }
}
