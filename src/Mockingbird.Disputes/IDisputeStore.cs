namespace Mockingbird.Disputes;

public enum VoteOutcome
{
    /// <summary>Counted; the dispute needs more votes.</summary>
    Counted,

    /// <summary>Counted, and it was the last vote: this call settled the dispute.</summary>
    Settled,

    /// <summary>This voter voted on it before (a retry): nothing changed, the first vote stands.</summary>
    AlreadyVoted,

    /// <summary>The voter raised the dispute: nobody scores their own answer.</summary>
    OwnDispute,

    /// <summary>It was settled by others' votes before this one landed.</summary>
    AlreadySettled,

    /// <summary>It waited longer than the window and expired unsettled.</summary>
    Expired,

    /// <summary>No such dispute (never opened, or forgotten).</summary>
    Unknown,

    /// <summary>
    /// It was filed in another server or workspace than the vote came from (or before places were kept): only people
    /// there score it.
    /// </summary>
    Elsewhere,
}

/// <param name="Settled">The settled case when this vote settled it.</param>
public sealed record VoteReceipt(VoteOutcome Outcome, SettledCase? Settled = null);

/// <summary>
/// Where disputes, their votes and the settled cases are kept, shared by every replica. Policy (how many votes
/// settle, how long a dispute stays open) is the caller's, passed in, so the store only keeps the counts honest:
/// one vote per voter, and a dispute settled exactly once, by exactly the last vote it needs.
/// </summary>
public interface IDisputeStore
{
    /// <summary>Opens the dispute unless one with its id is kept already.</summary>
    /// <returns>True when this call opened it.</returns>
    Task<bool> OpenAsync(Dispute dispute, CancellationToken cancellationToken);

    Task<DisputeRecord?> FindAsync(string disputeId, CancellationToken cancellationToken);

    /// <summary>
    /// The oldest open dispute filed in <paramref name="place"/> and opened after <paramref name="openedAfter"/> that
    /// <paramref name="voterId"/> neither raised nor voted on; null when there is none. Disputes filed elsewhere, or
    /// kept from before places were recorded, are never offered.
    /// </summary>
    Task<Dispute?> NextForVoterAsync(string voterId, string place, DateTimeOffset openedAfter, CancellationToken cancellationToken);

    /// <summary>
    /// Counts the vote once. The vote that brings the dispute to <paramref name="votesToSettle"/> settles it in the
    /// same step, so two last votes racing settle it once and the loser is told it was settled already.
    /// </summary>
    /// <param name="place">Where the vote comes from: a dispute filed anywhere else takes no vote (<see cref="VoteOutcome.Elsewhere"/>).</param>
    /// <param name="score">1 to 4, checked by the caller.</param>
    /// <param name="openedAfter">A dispute opened at or before this has expired.</param>
    Task<VoteReceipt> VoteAsync(string disputeId, string voterId, string place, int score, int votesToSettle, DateTimeOffset openedAfter, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The disputes that still name <paramref name="candidateId"/>: open ones, and closed ones (settled, or expired)
    /// whose outcome they have not been told.
    /// </summary>
    Task<IReadOnlyList<DisputeRecord>> RaisedByAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> closed disputes whose candidate has not been told, each for
    /// <paramref name="lease"/>, so one replica tells each: a claim that lapses untold is offered again. A dispute
    /// opened at or before <paramref name="openedAfter"/> and never settled is closed as expired here first.
    /// </summary>
    /// <returns>The ids claimed, the longest waiting first.</returns>
    Task<IReadOnlyList<string>> ClaimUntoldAsync(DateTimeOffset openedAfter, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Claims one dispute as <see cref="ClaimUntoldAsync"/> does, when it is closed, untold and not claimed by another.</summary>
    Task<bool> TryClaimUntoldAsync(string disputeId, DateTimeOffset openedAfter, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back a claim whose message did not get through, so the outcome may be claimed again from
    /// <paramref name="now"/> (by the candidate's next command, or the next pass). Only the claim that runs until
    /// <paramref name="claimedUntil"/> is given back: one that lapsed and was claimed by another stays theirs.
    /// </summary>
    /// <returns>True when this call gave the claim back.</returns>
    Task<bool> ReleaseClaimAsync(string disputeId, DateTimeOffset claimedUntil, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The candidate has been told the outcome (or will not be): the record stops naming them. A settled case keeps
    /// only what the labelled set needs (no candidate, no reason, no voters); an expired dispute goes.
    /// </summary>
    /// <returns>True when this call did it; false when it was told already, forgotten, or is still open.</returns>
    Task<bool> ToldAsync(string disputeId, CancellationToken cancellationToken);

    /// <summary>The labelled set: every settled case, oldest settlement first.</summary>
    Task<IReadOnlyList<SettledCase>> SettledAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the disputes the person raised (settled ones leave the labelled set) and their votes. Their vote on a
    /// settled case leaves its voter behind but not its score: the case stays settled and names nobody.
    /// </summary>
    /// <returns>How many disputes and votes went.</returns>
    Task<int> ForgetAsync(string personId, CancellationToken cancellationToken);
}
