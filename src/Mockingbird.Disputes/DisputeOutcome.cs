using System.Globalization;

namespace Mockingbird.Disputes;

public enum DisputeState
{
    /// <summary>Waiting for votes.</summary>
    Open,

    /// <summary>Settled: the peers put the score a point or more from the judge's.</summary>
    Upheld,

    /// <summary>Settled: the peers agree with the judge to within a point.</summary>
    JudgeStands,

    /// <summary>The window passed before enough people voted.</summary>
    Expired,
}

/// <summary>
/// What the candidate is told about their dispute: how it stands and, once settled, both scores. Never who voted or
/// what each voter gave.
/// </summary>
/// <param name="PeerScore">The peers' median once settled.</param>
public sealed record DisputeOutcome(string DisputeId, string Dimension, DisputeState State, int JudgeScore, double? PeerScore, int Votes, int VotesToSettle)
{
    public static DisputeOutcome Of(DisputeRecord record, int votesToSettle, DateTimeOffset openedAfter)
    {
        ArgumentNullException.ThrowIfNull(record);
        var dispute = record.Dispute;
        var state = record.Settled is { } settled ? (settled.Upheld ? DisputeState.Upheld : DisputeState.JudgeStands)
            : dispute.OpenedAt <= openedAfter ? DisputeState.Expired
            : DisputeState.Open;
        return new DisputeOutcome(dispute.Id, dispute.Case.Rubric.Dimension, state, dispute.Judge.Score, record.Settled?.PeerScore, record.Votes, votesToSettle);
    }

    /// <summary>One plain sentence for the chat message.</summary>
    public string Text => State switch
    {
        DisputeState.Upheld => string.Create(CultureInfo.InvariantCulture, $"Your dispute on {Dimension} is upheld: the judge gave {JudgeScore}, your peers' blind vote gave {PeerScore:0.#}."),
        DisputeState.JudgeStands => string.Create(CultureInfo.InvariantCulture, $"The judge's score on {Dimension} stands: the judge gave {JudgeScore}, your peers' blind vote gave {PeerScore:0.#}."),
        DisputeState.Expired => $"Your dispute on {Dimension} expired before enough peers voted; the judge's score stands.",
        _ => string.Create(CultureInfo.InvariantCulture, $"Your dispute on {Dimension} is waiting for votes ({Votes} of {VotesToSettle})."),
    };
}
