using Mockingbird.Interview.Questions;

namespace Mockingbird.Interview.Sessions;

/// <summary>A stored session and the version it was stored at, for optimistic concurrency.</summary>
public sealed record VersionedSession(InterviewSession Session, long Version)
{
    /// <summary>
    /// Set when the store answered from what this process last wrote, without reading it back: the mark of that
    /// write. Another process may have changed the session since, so it is acted on only through a write that gives
    /// the stamp back as <see cref="SessionWrite.ExpectedStamp"/>.
    /// </summary>
    public string? Stamp { get; init; }

    public bool Unconfirmed => Stamp is not null;
}

/// <summary>What a judging job judges; each kind other than an interview turn has its <see cref="IJudgingJobHandler"/>.</summary>
public enum JudgeJobKind
{
    InterviewTurn,

    /// <summary>A member's answer to a study group's daily question: the session is the round, the turn the answer's number.</summary>
    DailyAnswer,

    /// <summary>A candidate's answer to a drill: the session names the drill (its delivery key), the turn is 0.</summary>
    Drill,
}

/// <summary>Judge the answer of <paramref name="TurnNumber"/> in a session. The answer itself stays in the session.</summary>
/// <param name="CandidateId">Whose job it is; it also decides which shard of the queue holds it.</param>
public sealed record JudgeJob(string CandidateId, string SessionId, int TurnNumber, JudgeJobKind Kind = JudgeJobKind.InterviewTurn)
{
    /// <summary>Names the delivery of this turn's feedback, so a platform can drop a repeated post.</summary>
    public string DeliveryKey => $"{SessionId}:{TurnNumber}";
}

/// <summary>Actions waiting to be posted to the candidate, kept until they are, so a crash between saving and posting loses nothing.</summary>
public sealed record PendingDelivery(string Key, IReadOnlyList<InterviewAction> Actions);

/// <summary>The outcome of claiming a pending delivery.</summary>
/// <param name="Delivery">The delivery, now leased to the caller; <c>null</c> when there is none to take.</param>
/// <param name="HeldElsewhere">Another worker's lease on it is still running: it may be posting right now.</param>
public sealed record DeliveryClaim(PendingDelivery? Delivery, bool HeldElsewhere)
{
    public static readonly DeliveryClaim Nothing = new(null, false);

    public static readonly DeliveryClaim Held = new(null, true);
}

/// <summary>One completed interview in a candidate's history.</summary>
/// <param name="Dimensions">The mean score per rubric dimension over the judged answers; empty in entries written before it was kept.</param>
/// <param name="EndedEarly">
/// Ended with questions neither answered nor skipped: its overall score is on what was answered, so trends leave it
/// out (it would read better than an interview whose rest was skipped). False in entries written before it was kept.
/// </param>
public sealed record HistoryEntry(
    DateTimeOffset CompletedAt,
    string SessionId,
    InterviewPlan Plan,
    double? Overall,
    IReadOnlyList<StageScore> Stages,
    IReadOnlyList<TopicScore> Topics,
    IReadOnlyList<string> QuestionIds,
    IReadOnlyList<DimensionAverage>? Dimensions = null,
    bool EndedEarly = false);

public sealed record StageScore(Stage Stage, double Score);

public sealed record TopicScore(string Topic, double Score);

public sealed record DimensionAverage(string Dimension, double Score);

/// <summary>
/// One atomic write: the session at a new version, and with it the idempotency mark of the event that caused it,
/// the judging jobs it enqueues, the delivery it leaves to post and the history entry it completes. Either all of
/// it happens or none of it does.
/// </summary>
/// <param name="ExpectedVersion">The version read (0 to create a session).</param>
/// <param name="EventId">The platform's id of the inbound event; the same id is applied at most once.</param>
/// <param name="Jobs">Judging jobs to enqueue.</param>
/// <param name="Delivery">Actions to keep until posted, leased to the writer for the store's delivery lease.</param>
/// <param name="History">Written when the session completes.</param>
/// <param name="MarkOnly">
/// Only record <paramref name="EventId"/>: the event changed nothing, so the session keeps its version and no
/// concurrent writer is sent round a conflict for it.
/// </param>
public sealed record SessionWrite(
    InterviewSession Session,
    long ExpectedVersion,
    string? EventId = null,
    IReadOnlyList<JudgeJob>? Jobs = null,
    PendingDelivery? Delivery = null,
    HistoryEntry? History = null,
    bool MarkOnly = false)
{
    /// <summary>
    /// The <see cref="VersionedSession.Stamp"/> of the unconfirmed session this write was decided on: it is saved only
    /// if the session is still that very write, not merely at the same version.
    /// </summary>
    public string? ExpectedStamp { get; init; }
}

public enum WriteOutcome
{
    Saved,

    /// <summary>Someone saved first; reload and apply the input again.</summary>
    Conflict,

    /// <summary>The event was applied before; nothing was written.</summary>
    Duplicate,
}

public sealed record WriteResult(WriteOutcome Outcome, long Version);

/// <summary>What <c>forget me</c> removed.</summary>
/// <param name="FinishedKept">The last completed interview kept for disputes (1 or 0).</param>
public sealed record ForgetReport(int Sessions, int HistoryEntries, int SeenQuestions, int QueuedJobs, int PendingDeliveries, int EventMarks, int FinishedKept = 0)
{
    public int Total => Sessions + HistoryEntries + SeenQuestions + QueuedJobs + PendingDeliveries + EventMarks + FinishedKept;
}

/// <summary>A stored session that cannot be read: corrupt, or written by an incompatible version.</summary>
public sealed class UnreadableSessionException : Exception
{
    public UnreadableSessionException()
    {
    }

    public UnreadableSessionException(string message)
        : base(message)
    {
    }

    public UnreadableSessionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Where sessions live between inputs: in memory for local practice, Redis for the bot.</summary>
public interface ISessionStore
{
    /// <summary>The candidate's current (not completed) session, if any. Inputs, not reads, keep it from expiring.</summary>
    /// <exception cref="UnreadableSessionException">The stored value is corrupt or of another schema version.</exception>
    Task<VersionedSession?> FindActiveAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>
    /// The candidate's current session for an input that will write it: a store may answer from what it last wrote,
    /// marked <see cref="VersionedSession.Unconfirmed"/>, and then refuses a write from it as a conflict if the session
    /// has changed since.
    /// </summary>
    /// <exception cref="UnreadableSessionException">The stored value is corrupt or of another schema version.</exception>
    Task<VersionedSession?> FindActiveForWriteAsync(string candidateId, CancellationToken cancellationToken) => FindActiveAsync(candidateId, cancellationToken);

    Task<WriteResult> WriteAsync(SessionWrite write, CancellationToken cancellationToken);

    /// <summary>Removes an unreadable session so the candidate can start again; true when something was removed.</summary>
    Task<bool> DiscardActiveAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>Question ids this candidate has been asked, within the history retention.</summary>
    Task<IReadOnlySet<string>> SeenQuestionsAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>Completed interviews, newest first, within the history retention.</summary>
    Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>
    /// The candidate's last completed interview, without its job description, while it is kept (see the store's
    /// options): its feedback stays open to dispute after the interview has ended. <c>null</c> when none is kept.
    /// </summary>
    Task<InterviewSession?> FindFinishedAsync(string candidateId, CancellationToken cancellationToken) => Task.FromResult<InterviewSession?>(null);

    /// <summary>Takes a delivery left by a writer that did not finish posting it, if its lease has run out.</summary>
    Task<DeliveryClaim> ClaimDeliveryAsync(string candidateId, string deliveryKey, CancellationToken cancellationToken);

    /// <summary>Deletes every trace of the candidate: sessions, history, seen questions, queued jobs, pending deliveries.</summary>
    Task<ForgetReport> ForgetAsync(string candidateId, CancellationToken cancellationToken);
}

/// <summary>A judging job taken from the queue by <paramref name="Worker"/>; <paramref name="Attempt"/> counts deliveries, 1 on the first.</summary>
public sealed record QueuedJudgement(string Id, JudgeJob Job, int Attempt, string Worker)
{
    /// <summary>
    /// The candidate's session as the queue read it with the job, when it could, so the worker need not read it
    /// again; it may be stale by the time the worker writes, which the write's version check catches.
    /// </summary>
    public VersionedSession? Session { get; init; }
}

/// <summary>
/// The consuming side of the durable judging queue (jobs are enqueued by <see cref="SessionWrite.Jobs"/>). A taken
/// job that is neither completed nor failed is handed to another worker after the reclaim timeout.
/// </summary>
public interface IJudgingQueue
{
    /// <summary>Takes back jobs whose taker's time ran out, then takes new jobs, from anywhere in the queue.</summary>
    Task<IReadOnlyList<QueuedJudgement>> TakeAsync(string worker, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Completes once a job may have been queued (by any replica) since <see cref="TakeQueuedAsync"/> last looked, so
    /// a worker waits for jobs instead of polling for them. A queue that cannot tell never completes; the worker's
    /// timed sweep (<see cref="TakeAsync"/>) then finds its jobs.
    /// </summary>
    Task JobsQueuedAsync(CancellationToken cancellationToken) => new TaskCompletionSource().Task.WaitAsync(cancellationToken);

    /// <summary>Takes new jobs from where jobs were announced since the last call; reclaims nothing.</summary>
    Task<IReadOnlyList<QueuedJudgement>> TakeQueuedAsync(string worker, int max, CancellationToken cancellationToken) =>
        TakeAsync(worker, max, cancellationToken);

    /// <summary>Acknowledges the job and drops its pending delivery, in one step.</summary>
    Task CompleteAsync(QueuedJudgement judgement, CancellationToken cancellationToken);

    /// <summary>
    /// Completes the job soon rather than now, so that a queue can send several completions together or with its next
    /// take, saving a round trip per job: for a job whose feedback is posted, with nothing left to do. Returns once the
    /// completion is kept, not sent; a queue that keeps completions sends them within moments, keeps and retries
    /// them while it cannot, and sends what it holds on <see cref="FlushCompletionsAsync"/>. Until it is sent the job
    /// stays with its worker: if the process dies first, the job comes back after the reclaim timeout, finds its turn
    /// judged and repeats the post under the same delivery key, which the platform (or the delivery ledger) drops.
    /// By default the job is completed at once.
    /// </summary>
    Task CompleteLaterAsync(QueuedJudgement judgement, CancellationToken cancellationToken) => CompleteAsync(judgement, cancellationToken);

    /// <summary>Sends every completion <see cref="CompleteLaterAsync"/> kept; a worker calls it as it stops.</summary>
    Task FlushCompletionsAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Hands back jobs a stopping worker took and will not finish, so that another worker's next sweep takes them
    /// rather than waiting out the reclaim timeout; returns how many. A job another worker has reclaimed meanwhile is
    /// left alone. Taking a job back this way spends none of its attempts. Every job the queue can hand back is
    /// handed back before a failure is thrown.
    /// </summary>
    Task<int> ReleaseAsync(IReadOnlyList<QueuedJudgement> judgements, CancellationToken cancellationToken);

    /// <summary>
    /// Records a failure; true when the job has failed too often and went to the dead-letter stream. A worker whose
    /// job was meanwhile reclaimed by another cannot fail it.
    /// </summary>
    Task<bool> FailAsync(QueuedJudgement judgement, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the job found its delivery held by another poster (<paramref name="heldPart"/>): not a failure,
    /// so it spends none of the job's attempts, but counted, so that a hold that never ends cannot keep the job going
    /// round forever. True when the job has found the same part held on as many deliveries in a row as it has
    /// attempts, and went to the dead-letter stream. A worker whose job was reclaimed meanwhile cannot record it.
    /// </summary>
    Task<bool> HeldAsync(QueuedJudgement judgement, string heldPart, string reason, CancellationToken cancellationToken) =>
        FailAsync(judgement, reason, cancellationToken);
}

/// <summary>
/// Processes judging jobs of a kind other than an interview turn. It owns the job once given it: it completes or
/// fails it on the queue itself.
/// </summary>
public interface IJudgingJobHandler
{
    JudgeJobKind Kind { get; }

    Task ProcessAsync(QueuedJudgement queued, CancellationToken cancellationToken);
}

/// <summary>
/// Posts actions to the candidate wherever they are (terminal, Discord thread, Slack thread). Delivery is at least
/// once: a worker that dies after posting but before acknowledging its job leaves the post to be made again by the
/// next one, under the same <c>deliveryKey</c>. Implementations drop a repeated key (a Discord nonce with
/// <c>enforce_nonce</c>, a remembered Slack key), which makes feedback appear exactly once.
/// </summary>
public interface IInterviewOutput
{
    /// <param name="deliveryKey">Stable for one delivery; a repeat of the same key must not post twice.</param>
    Task DeliverAsync(string candidateId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken);

    /// <summary>
    /// A delivery for the candidate's interview held at <paramref name="place"/>, as the save it follows left its
    /// <see cref="InterviewSession.Place"/>: an output posts it there without looking the place up. Deliveries that
    /// cannot vouch for their interview (a leftover, possibly of an interview since finished) go through
    /// <see cref="DeliverAsync"/>.
    /// </summary>
    Task DeliverAtAsync(string candidateId, string place, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken) =>
        DeliverAsync(candidateId, actions, deliveryKey, cancellationToken);
}
