using Mockingbird.Interview.Sessions;

namespace Mockingbird.Drills;

/// <summary>A candidate whose drill fell due, claimed by one replica until <see cref="LeasedUntil"/>.</summary>
/// <param name="DueAt">When it was scheduled: with the candidate, it names the drill, however often it is claimed again.</param>
public sealed record DrillClaim(string CandidateId, DateTimeOffset DueAt, DateTimeOffset LeasedUntil);

/// <summary>
/// Where drill plans live, with an index of when each candidate's next drill is due. Claiming takes due candidates
/// out of sight of other replicas for a lease: a replica that dies before saving the plan gives its drills back when
/// the lease runs out. The store knows nothing of rubrics: plans go in and out whole.
/// </summary>
public interface IDrillStore
{
    Task<DrillPlan?> FindAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the plan at <c>expected + 1</c> if it is still at <paramref name="expectedVersion"/> (0: not stored yet),
    /// and with it the candidate's place in the due index: at <paramref name="nextDue"/>, or out of it when null.
    /// False when someone saved it in between; nothing changed then.
    /// </summary>
    Task<bool> SaveAsync(DrillPlan plan, long expectedVersion, DateTimeOffset? nextDue, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> candidates due at <paramref name="now"/>, each hidden from other claims until now + lease.</summary>
    Task<IReadOnlyList<DrillClaim>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>The earliest time anyone's drill (or lapsing claim) falls due; null when nobody has drills on.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the candidate's answer to a drill until it is judged and queues <paramref name="judging"/>, in one step:
    /// an answer is never kept without its job, nor queued twice. False when an answer to the drill is kept already
    /// (a retried submission); nothing changes then.
    /// </summary>
    Task<bool> SubmitAnswerAsync(string candidateId, string drillId, string text, JudgeJob judging, CancellationToken cancellationToken);

    /// <summary>The kept answer to a drill, until <see cref="DropAnswerAsync"/>; null when there is none.</summary>
    Task<string?> FindAnswerAsync(string candidateId, string drillId, CancellationToken cancellationToken);

    /// <summary>Deletes a judged answer's text: only its score stays, in the plan.</summary>
    Task DropAnswerAsync(string candidateId, string drillId, CancellationToken cancellationToken);

    /// <summary>Deletes the candidate's plan, index entry and answers waiting to be judged; true when there was anything.</summary>
    Task<bool> ForgetAsync(string candidateId, CancellationToken cancellationToken);
}
