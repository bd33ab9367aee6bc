using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Telemetry;

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
    ILogger<JudgingWorker> logger,
    IFollowUpWriter? interviewer = null,
    IScorecardWriter? scorecardWriter = null,
    InterviewTelemetry? telemetry = null,
    IEnumerable<IJudgingJobHandler>? otherKinds = null,
    IInterviewObserver? observer = null,
    IDebriefWriter? debriefWriter = null)
{
    private readonly Dictionary<JudgeJobKind, IJudgingJobHandler> _otherKinds = (otherKinds ?? []).ToDictionary(handler => handler.Kind);

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

    /// <summary>
    /// Judges jobs as they are queued until cancelled, with at most <paramref name="maxInFlight"/> at once: it takes
    /// as many as there are free places whenever the queue announces jobs, and takes back jobs whose worker died on
    /// a sweep every <paramref name="sweepEvery"/> (which also finds jobs whose announcement was lost). A job that
    /// finishes frees its place at once; nobody waits for a batch. A posted job's completion is left to the queue to
    /// send with others (<see cref="IJudgingQueue.CompleteLaterAsync"/>). Waits for the jobs in flight before returning,
    /// then has the queue send the completions it kept. Stopping cancels the jobs in flight at once and hands them
    /// back to the queue.
    /// </summary>
    public Task RunAsync(string worker, int maxInFlight, TimeSpan sweepEvery, CancellationToken cancellationToken) =>
        RunAsync(worker, maxInFlight, sweepEvery, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync(string, int, TimeSpan, CancellationToken)"/>, but a worker told to stop takes no more
    /// jobs and gives those in flight up to <paramref name="drainOnStop"/> to finish: a deploy then costs nobody a
    /// wait for their feedback. Jobs still running after that are cancelled and handed back to the queue, for another
    /// worker's next sweep to take rather than after the reclaim timeout.
    /// </summary>
    public async Task RunAsync(string worker, int maxInFlight, TimeSpan sweepEvery, TimeSpan drainOnStop, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        using var places = new SemaphoreSlim(maxInFlight, maxInFlight);
        using var jobsStop = new CancellationTokenSource();
        var inFlight = new HashSet<Task>();
        var unfinished = new ConcurrentQueue<QueuedJudgement>();
        var nextSweep = time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await places.WaitAsync(cancellationToken);
                places.Release();
                var untilSweep = nextSweep - time.GetUtcNow();
                var sweep = untilSweep <= TimeSpan.Zero;
                if (!sweep)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var announced = queue.JobsQueuedAsync(wait.Token);
                    var swept = Task.Delay(untilSweep, time, wait.Token);
                    if (await Task.WhenAny(announced, swept) == announced && announced.IsFaulted)
                    {
                        // Not listening (Redis down, or no right to its channels): the sweep finds the jobs meanwhile,
                        // at its own pace rather than in a loop.
                        Log.NotListening(logger, worker, announced.Exception.InnerException?.GetType().Name ?? nameof(Exception));
                        await swept.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    }

                    await wait.CancelAsync();
                    cancellationToken.ThrowIfCancellationRequested();
                    sweep = !announced.IsCompletedSuccessfully;
                }

                IReadOnlyList<QueuedJudgement> jobs;
                try
                {
                    jobs = sweep
                        ? await queue.TakeAsync(worker, places.CurrentCount, cancellationToken)
                        : await queue.TakeQueuedAsync(worker, places.CurrentCount, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Redis restarting or failing over, say: try again a sweep later, not at once in a loop, since the
                    // jobs that could not be taken are still announced.
                    Log.TakeFailed(logger, worker, ex.GetType().Name);
                    await Task.Delay(sweepEvery, time, cancellationToken);
                    nextSweep = time.GetUtcNow();
                    continue;
                }

                if (sweep)
                {
                    nextSweep = time.GetUtcNow() + sweepEvery;
                }

                foreach (var job in jobs)
                {
                    // Never blocks: no more were taken than there were free places, and only this loop takes them.
                    places.Wait(0, CancellationToken.None);
                    var processing = ProcessFreeingPlaceAsync(job, places, sweepEvery, unfinished, jobsStop.Token);
                    lock (inFlight)
                    {
                        inFlight.Add(processing);
                    }

                    _ = processing.ContinueWith(
                        done =>
                        {
                            lock (inFlight)
                            {
                                inFlight.Remove(done);
                            }

                            if (done.Exception?.InnerException is { } failure)
                            {
                                // The queue could not be told (Redis away): the job comes back after the reclaim timeout.
                                Log.JobLeftQueued(logger, job.Id, failure.GetType().Name);
                            }
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }

        Task[] running;
        lock (inFlight)
        {
            running = [.. inFlight];
        }

        var finishing = Task.WhenAll(running);
        if (running.Length > 0 && drainOnStop > TimeSpan.Zero)
        {
            Log.Draining(logger, worker, running.Length, drainOnStop.TotalSeconds);
            await finishing.WaitAsync(drainOnStop, time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await jobsStop.CancelAsync();
        await finishing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!unfinished.IsEmpty)
        {
            try
            {
                Log.HandedBack(logger, worker, await queue.ReleaseAsync([.. unfinished], CancellationToken.None), unfinished.Count);
            }
            catch (Exception ex)
            {
                Log.NotHandedBack(logger, worker, unfinished.Count, ex.GetType().Name);
            }
        }

        try
        {
            await queue.FlushCompletionsAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Their feedback is posted: the jobs come back after the reclaim timeout and only repeat the post under the
            // same delivery key, which the platform drops.
            Log.CompletionsLeft(logger, worker, ex.GetType().Name);
        }
    }

    /// <summary>
    /// How often a job whose session store failed, or whose outcome could not be told to the queue, is run again by
    /// the worker that holds it, a sweep apart, before it is failed on the queue or left to the reclaim timeout:
    /// enough to ride out a Redis failover of a few seconds.
    /// </summary>
    private const int RunsWhileQueueAway = 10;

    private async Task ProcessFreeingPlaceAsync(QueuedJudgement job, SemaphoreSlim places, TimeSpan sweepEvery, ConcurrentQueue<QueuedJudgement> unfinished, CancellationToken cancellationToken)
    {
        try
        {
            // Off the taking loop, so a judge that runs synchronously for a while does not hold up the next take.
            await Task.Yield();
            for (var run = 1; ; run++)
            {
                try
                {
                    await ProcessAsync(job, leaveStoreFailures: run < RunsWhileQueueAway, completeLater: true, cancellationToken);
                    return;
                }
                catch (Exception ex) when (run < RunsWhileQueueAway && ex is not OperationCanceledException)
                {
                    // The store failed (a failover, say), or the queue could not be told of a failure: running the job
                    // again is safe (the session's version and the delivery's lease decide) and much sooner than the
                    // reclaim timeout.
                    Log.RunningAgain(logger, job.Id, ex.GetType().Name);
                    await Task.Delay(sweepEvery, time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            unfinished.Enqueue(job);
        }
        finally
        {
            places.Release();
        }
    }

    /// <summary>
    /// Processes one job. Any failure (the judge, the store, the platform) is reported to the queue, which retries
    /// the job after the reclaim timeout and dead-letters it after too many attempts; the candidate is then told.
    /// </summary>
    public Task ProcessAsync(QueuedJudgement queued, CancellationToken cancellationToken) =>
        ProcessAsync(queued, leaveStoreFailures: false, completeLater: false, cancellationToken);

    /// <param name="leaveStoreFailures">
    /// When the session store itself fails (a failover, say), throw instead of failing the job on the queue: the
    /// caller runs it again shortly, rather than the queue after its reclaim timeout, and it spends no attempt.
    /// </param>
    /// <param name="completeLater">
    /// Leave the completion to the queue to send with others (<see cref="IJudgingQueue.CompleteLaterAsync"/>): the
    /// running loop does, and flushes them as it stops.
    /// </param>
    private async Task ProcessAsync(QueuedJudgement queued, bool leaveStoreFailures, bool completeLater, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queued);
        if (queued.Job.Kind != JudgeJobKind.InterviewTurn)
        {
            await ProcessOtherKindAsync(queued, cancellationToken);
            return;
        }

        using var span = InterviewTelemetry.StartJudgingJob(queued);
        var storeFailed = new StrongBox<bool>();
        try
        {
            await JudgeAndPostAsync(queued, storeFailed, completeLater, cancellationToken);
        }
        catch (DeliveryHeldElsewhereException held)
        {
            // Not a failure: the job comes back after the reclaim timeout without spending an attempt. But a holder
            // that never finishes must not keep it going round forever, so the queue counts these returns.
            Log.HeldElsewhere(logger, queued.Id);
            if (await queue.HeldAsync(queued, held.PartKey ?? queued.Job.DeliveryKey, $"{nameof(DeliveryHeldElsewhereException)}: {held.Message}", cancellationToken))
            {
                telemetry?.DeadLettered("held");
                // Held only ever after the judgement was saved: resuming recalls it in brief.
                await TellCandidateAsync(queued, "Your answer is judged, but its feedback could not be posted after several tries. Resume the interview to see it in brief.", cancellationToken);
            }
        }
        catch (Exception ex) when (leaveStoreFailures && storeFailed.Value && ex is not OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A timeout inside the judge or a platform call is a failure like any other, not the worker stopping.
            Log.JobFailed(logger, queued.Id, queued.Attempt, ex.GetType().Name);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            if (await queue.FailAsync(queued, $"{ex.GetType().Name}: {ex.Message}", cancellationToken))
            {
                telemetry?.DeadLettered("failed");
                await TellCandidateAsync(queued, "Your answer is saved, but its feedback could not be produced after several tries. Resume the interview to try again.", cancellationToken);
            }
        }
    }

    private async Task ProcessOtherKindAsync(QueuedJudgement queued, CancellationToken cancellationToken)
    {
        if (_otherKinds.TryGetValue(queued.Job.Kind, out var handler))
        {
            await handler.ProcessAsync(queued, cancellationToken);
            return;
        }

        // A replica without this kind's handler (study groups turned off here) leaves it for one that has it.
        Log.NoHandler(logger, queued.Id, queued.Job.Kind);
        if (await queue.FailAsync(queued, $"No handler for {queued.Job.Kind} jobs on this worker.", cancellationToken))
        {
            telemetry?.DeadLettered("failed");
        }
    }

    private async Task JudgeAndPostAsync(QueuedJudgement queued, StrongBox<bool> storeFailed, bool completeLater, CancellationToken cancellationToken)
    {
        var complete = completeLater ? (Func<QueuedJudgement, CancellationToken, Task>)queue.CompleteLaterAsync : queue.CompleteAsync;
        var job = queued.Job;
        Feedback? feedback = null;
        InterviewSession? tried = null;
        for (var attempt = 0; attempt < InterviewService.MaxWriteAttempts; attempt++)
        {
            VersionedSession? current;
            try
            {
                // The queue may have read the session with the job; a conflict on writing means reading it afresh.
                current = attempt == 0 && queued.Session is { } taken ? taken : await FromStoreAsync(store.FindActiveAsync(job.CandidateId, cancellationToken), storeFailed);
            }
            catch (UnreadableSessionException)
            {
                Log.DroppedForUnreadableSession(logger, queued.Id);
                await complete(queued, cancellationToken);
                return;
            }

            if (current is null || current.Session.Id != job.SessionId || current.Session.PendingTurn?.Number != job.TurnNumber)
            {
                // Judged already (or the session is gone): finish a delivery its writer may have left unposted, where
                // the interview is held while it is still the one in progress.
                await DeliverLeftoverAsync(job, current?.Session.Id == job.SessionId ? current.Session.Place : null, cancellationToken);
                await complete(queued, cancellationToken);
                return;
            }

            // Judged once: a write conflict (the candidate typing while we judge) only means applying it again.
            feedback ??= await JudgeTimedAsync(engine.JudgeAgain(current.Session).Request, cancellationToken);
            var judged = engine.Handle(current.Session, new JudgementReady(job.TurnNumber, feedback), time.GetUtcNow());
            var step = await WrittenFollowUps.ApplyAsync(interviewer, engine, judged, feedback, time.GetUtcNow(), cancellationToken);
            step = await ScorecardSummaries.AddAsync(scorecardWriter, debriefWriter, engine, step, tried, cancellationToken);
            var history = engine.HistoryEntryFor(current.Session, step, time.GetUtcNow());
            var write = new SessionWrite(step.Session, current.Version, Delivery: new PendingDelivery(job.DeliveryKey, step.Actions), History: history);
            if ((await FromStoreAsync(store.WriteAsync(write, cancellationToken), storeFailed)).Outcome == WriteOutcome.Conflict)
            {
                tried = step.Session;
                continue;
            }

            // Before posting: a retried job finds the turn judged and only posts, so this is its one chance to be told.
            await InterviewObservations.ReportAsync(observer, current.Session, step.Session, cancellationToken);

            // Just saved, so where the session says it is held is where it is held: no lookup of the place.
            await (step.Session.Place is { } place
                ? output.DeliverAtAsync(job.CandidateId, place, step.Actions, job.DeliveryKey, cancellationToken)
                : output.DeliverAsync(job.CandidateId, step.Actions, job.DeliveryKey, cancellationToken));
            await complete(queued, cancellationToken);
            return;
        }

        Log.GaveUpOnConflicts(logger, queued.Id);
    }

    /// <summary>Notes that the session store failed, as opposed to the judge or the platform.</summary>
    private static async Task<T> FromStoreAsync<T>(Task<T> call, StrongBox<bool> failed)
    {
        try
        {
            return await call;
        }
        catch (Exception ex) when (ex is not UnreadableSessionException and not OperationCanceledException)
        {
            failed.Value = true;
            throw;
        }
    }

    private async Task<Feedback> JudgeTimedAsync(JudgeRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var feedback = await judge.JudgeAsync(request, cancellationToken);
            telemetry?.Judged(time.GetElapsedTime(started), feedback.Source?.JudgeKind);
            return feedback;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            telemetry?.Judged(time.GetElapsedTime(started), judge: null, ex.GetType().Name);
            throw;
        }
    }

    private async Task TellCandidateAsync(QueuedJudgement queued, string notice, CancellationToken cancellationToken)
    {
        try
        {
            await output.DeliverAsync(
                queued.Job.CandidateId,
                [new PostNotice(notice, NoticeKind.Rejected)],
                $"{queued.Job.DeliveryKey}:failed:{queued.Id}",
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The session still shows the answer as being judged, and resuming retries it: nothing is lost.
            Log.CouldNotTellCandidate(logger, queued.Id, ex.GetType().Name);
        }
    }

    /// <summary>
    /// Posts a delivery whose writer did not finish. While another worker's lease on it runs this throws
    /// <see cref="DeliveryHeldElsewhereException"/>: the job stays with the queue and comes back after the reclaim
    /// timeout if that worker never completes it.
    /// </summary>
    private async Task DeliverLeftoverAsync(JudgeJob job, string? place, CancellationToken cancellationToken)
    {
        var claim = await store.ClaimDeliveryAsync(job.CandidateId, job.DeliveryKey, cancellationToken);
        if (claim.HeldElsewhere)
        {
            throw new DeliveryHeldElsewhereException($"Delivery {job.DeliveryKey} is being posted by another worker.") { PartKey = job.DeliveryKey };
        }

        if (claim.Delivery is { } leftover)
        {
            Log.DeliveringLeftover(logger, job.DeliveryKey);
            await (place is not null
                ? output.DeliverAtAsync(job.CandidateId, place, leftover.Actions, leftover.Key, cancellationToken)
                : output.DeliverAsync(job.CandidateId, leftover.Actions, leftover.Key, cancellationToken));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8, LogLevel.Warning, "Judging worker {Worker} could not take jobs from the queue ({ErrorType}); retrying")]
        public static partial void TakeFailed(ILogger logger, string worker, string errorType);

        [LoggerMessage(9, LogLevel.Warning, "Judging worker {Worker} cannot hear queued jobs announced ({ErrorType}); it finds them on its sweeps")]
        public static partial void NotListening(ILogger logger, string worker, string errorType);

        [LoggerMessage(11, LogLevel.Warning, "Judging job {JobId} could not be completed or failed on the queue ({ErrorType}); running it again shortly")]
        public static partial void RunningAgain(ILogger logger, string jobId, string errorType);

        [LoggerMessage(10, LogLevel.Error, "Judging job {JobId} could not be completed or failed on the queue ({ErrorType}); it comes back after the reclaim timeout")]
        public static partial void JobLeftQueued(ILogger logger, string jobId, string errorType);

        [LoggerMessage(1, LogLevel.Warning, "Judging job {JobId} failed on attempt {Attempt} with {ErrorType}")]
        public static partial void JobFailed(ILogger logger, string jobId, int attempt, string errorType);

        [LoggerMessage(5, LogLevel.Error, "Judging job {JobId} was dead-lettered and the candidate could not be told ({ErrorType})")]
        public static partial void CouldNotTellCandidate(ILogger logger, string jobId, string errorType);

        [LoggerMessage(2, LogLevel.Warning, "Judging job {JobId} dropped: its session could not be read")]
        public static partial void DroppedForUnreadableSession(ILogger logger, string jobId);

        [LoggerMessage(3, LogLevel.Information, "Posting feedback {DeliveryKey} that an earlier worker saved but did not finish posting")]
        public static partial void DeliveringLeftover(ILogger logger, string deliveryKey);

        [LoggerMessage(6, LogLevel.Information, "Judging job {JobId} waits: another worker is posting its feedback")]
        public static partial void HeldElsewhere(ILogger logger, string jobId);

        [LoggerMessage(7, LogLevel.Error, "Judging job {JobId} is of kind {Kind}, which no handler on this worker takes")]
        public static partial void NoHandler(ILogger logger, string jobId, JudgeJobKind kind);

        [LoggerMessage(12, LogLevel.Warning, "Judging worker {Worker} stopped with completions it could not send ({ErrorType}); their jobs come back after the reclaim timeout and repeat only their posts")]
        public static partial void CompletionsLeft(ILogger logger, string worker, string errorType);

        [LoggerMessage(13, LogLevel.Information, "Judging worker {Worker} is stopping: {Jobs} jobs in flight have {Seconds} s to finish")]
        public static partial void Draining(ILogger logger, string worker, int jobs, double seconds);

        [LoggerMessage(14, LogLevel.Information, "Judging worker {Worker} handed back {Released} of {Unfinished} unfinished jobs for another worker's next sweep; any others were taken back already")]
        public static partial void HandedBack(ILogger logger, string worker, int released, int unfinished);

        [LoggerMessage(15, LogLevel.Warning, "Judging worker {Worker} could not hand all of its {Jobs} unfinished jobs back ({ErrorType}); those it could not come back after the reclaim timeout")]
        public static partial void NotHandedBack(ILogger logger, string worker, int jobs, string errorType);

        [LoggerMessage(4, LogLevel.Error, "Judging job {JobId} kept conflicting with other writers; it stays queued")]
        public static partial void GaveUpOnConflicts(ILogger logger, string jobId);
    }
}
