using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mockingbird.Disputes;

/// <param name="Outcome">The dispute as it stands (a second press of the button finds the first one).</param>
/// <param name="Problem">One sentence saying what to fix; nothing was opened.</param>
public sealed record DisputeFiling(DisputeOutcome? Outcome, string? Problem, bool OpenedNow);

/// <param name="Case">What to show the voter, or null when there is nothing for them to score now.</param>
/// <param name="Problem">Why they may not vote (not opted in there).</param>
public sealed record BallotOffer(BlindCase? Case, string? Problem);

/// <summary>The outcome a settling vote brought about, for its candidate (told by <see cref="DisputeOutcomeDelivery"/>).</summary>
public sealed record SettledNotice(string CandidateId, DisputeOutcome Outcome);

/// <param name="Outcome">What the store did with the vote; null when it was refused before (<see cref="Problem"/>).</param>
/// <param name="Settled">Set on the one vote that settled the dispute, unless its candidate was forgotten a moment after.</param>
public sealed record BallotResult(VoteOutcome? Outcome, string? Problem, SettledNotice? Settled);

/// <summary>
/// The one door the chat layer uses for contestable scores: the I-disagree form calls <see cref="DisputeAsync"/>,
/// the voting prompt <see cref="NextBallotAsync"/> then <see cref="VoteAsync"/>, the candidate's own list
/// <see cref="ListAsync"/>, and opting in or out <see cref="SetVotingAsync"/>. It holds the rules; the store only keeps
/// counts honest. Outcomes reach candidates through <see cref="DisputeOutcomeDelivery"/>. Voting happens in a place
/// (a server or workspace): a person opts in there, is offered only disputes filed there, and votes only on those.
/// </summary>
public sealed partial class DisputeDesk(IDisputeStore store, IDisputeVoters voters, IOptions<DisputeOptions> options, TimeProvider time, ILogger<DisputeDesk> logger)
{
    public const string NotOptedIn = "Only people in this server or workspace who opted in here to score disputed answers can vote; opt in first.";

    private readonly DisputeOptions _options = options.Value;

    private DateTimeOffset OpenedAfter => time.GetUtcNow() - _options.Window;

    public async Task<DisputeFiling> DisputeAsync(DisputeRequest request, CancellationToken cancellationToken)
    {
        var draft = DisputeRules.Draft(request, time.GetUtcNow());
        if (draft.Dispute is not { } dispute)
        {
            return new DisputeFiling(null, draft.Problem, false);
        }

        var opened = await store.OpenAsync(dispute, cancellationToken);
        var record = await store.FindAsync(dispute.Id, cancellationToken);
        if (opened)
        {
            Log.Opened(logger, dispute.Id, dispute.Judge.PromptVersion);
        }

        return new DisputeFiling(record is null ? null : DisputeOutcome.Of(record, _options.VotesToSettle, OpenedAfter), null, opened);
    }

    public async Task<BallotOffer> NextBallotAsync(string voterId, string place, CancellationToken cancellationToken)
    {
        if (!await voters.IsOptedInAsync(voterId, place, cancellationToken))
        {
            return new BallotOffer(null, NotOptedIn);
        }

        var next = await store.NextForVoterAsync(voterId, place, OpenedAfter, cancellationToken);
        return new BallotOffer(next?.Case, null);
    }

    public async Task<BallotResult> VoteAsync(string voterId, string place, string disputeId, int score, CancellationToken cancellationToken)
    {
        if (DisputeRules.ScoreProblem(score) is { } problem)
        {
            return new BallotResult(null, problem, null);
        }

        if (!await voters.IsOptedInAsync(voterId, place, cancellationToken))
        {
            return new BallotResult(null, NotOptedIn, null);
        }

        var openedAfter = OpenedAfter;
        var receipt = await store.VoteAsync(disputeId, voterId, place, score, _options.VotesToSettle, openedAfter, time.GetUtcNow(), cancellationToken);
        if (receipt is not { Outcome: VoteOutcome.Settled, Settled: { } settled })
        {
            return new BallotResult(receipt.Outcome, ProblemOf(receipt.Outcome), null);
        }

        Log.Settled(logger, disputeId, settled.Judge.PromptVersion, settled.Upheld);

        // The candidate may have run forget-me since the vote settled it: then there is nobody to tell.
        return await store.FindAsync(disputeId, cancellationToken) is { Dispute.NamesSomeone: true } record
            ? new BallotResult(receipt.Outcome, null, new SettledNotice(record.Dispute.CandidateId, DisputeOutcome.Of(record, _options.VotesToSettle, openedAfter)))
            : new BallotResult(receipt.Outcome, null, null);
    }

    /// <returns>Null unless <paramref name="candidateId"/> raised the dispute and it still names them: nobody reads another's.</returns>
    public async Task<DisputeOutcome?> OutcomeAsync(string candidateId, string disputeId, CancellationToken cancellationToken) =>
        await store.FindAsync(disputeId, cancellationToken) is { } record && record.Dispute.NamesSomeone && record.Dispute.CandidateId == candidateId
            ? DisputeOutcome.Of(record, _options.VotesToSettle, OpenedAfter)
            : null;

    /// <summary>
    /// The candidate's own disputes, oldest first: open ones with their count of votes, and closed ones (settled or
    /// expired) whose outcome they had not been told and nobody else is telling. This list tells them, so those closed
    /// ones are marked told here and no direct message follows; after that the record no longer names them. A closed
    /// one whose claim another holds is left out: that replica is sending it by direct message (and gives the claim
    /// back if the message fails, so a later list shows it).
    /// </summary>
    public async Task<IReadOnlyList<DisputeOutcome>> ListAsync(string candidateId, CancellationToken cancellationToken)
    {
        var openedAfter = OpenedAfter;
        var outcomes = (await store.RaisedByAsync(candidateId, cancellationToken))
            .OrderBy(r => r.Dispute.OpenedAt)
            .Select(r => DisputeOutcome.Of(r, _options.VotesToSettle, openedAfter))
            .ToList();
        var listed = new List<DisputeOutcome>(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            // Claiming closes an expired one in the store.
            if (outcome.State == DisputeState.Open
                || await store.TryClaimUntoldAsync(outcome.DisputeId, openedAfter, time.GetUtcNow(), _options.RetryEvery, cancellationToken))
            {
                listed.Add(outcome);
            }
        }

        foreach (var closed in listed.Where(o => o.State != DisputeState.Open))
        {
            await store.ToldAsync(closed.DisputeId, cancellationToken);
        }

        return listed;
    }

    public Task<bool> SetVotingAsync(string personId, string place, bool optIn, CancellationToken cancellationToken) =>
        voters.SetOptedInAsync(personId, place, optIn, cancellationToken);

    private static string? ProblemOf(VoteOutcome outcome) => outcome switch
    {
        VoteOutcome.OwnDispute => "You raised this dispute, so you cannot vote on it.",
        VoteOutcome.AlreadySettled => "This dispute was settled before your vote arrived; thank you all the same.",
        VoteOutcome.Expired => "This dispute expired before your vote arrived.",
        VoteOutcome.Unknown => "There is no such dispute any more.",
        VoteOutcome.Elsewhere => "This dispute was filed in another server or workspace; only people there score it.",
        _ => null,
    };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Dispute {DisputeId} opened against {PromptVersion}")]
        public static partial void Opened(ILogger logger, string disputeId, string promptVersion);

        [LoggerMessage(Level = LogLevel.Information, Message = "Dispute {DisputeId} against {PromptVersion} settled; upheld: {Upheld}")]
        public static partial void Settled(ILogger logger, string disputeId, string promptVersion, bool upheld);
    }
}
