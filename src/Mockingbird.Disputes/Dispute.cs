using System.Text.Json.Serialization;
using Mockingbird.Interview.Judging;

namespace Mockingbird.Disputes;

/// <summary>The rubric of the disputed dimension: what a voter scores the answer against.</summary>
/// <param name="Dimension">The dimension's name as the judge wrote it, e.g. <c>coverage</c> or <c>serving</c>.</param>
/// <param name="Points">The question's rubric points for that dimension (all of them when the dimension is not one of a design's).</param>
public sealed record DisputedRubric(string Dimension, IReadOnlyList<string> Points);

/// <summary>
/// Everything a voter is shown, and nothing more: no candidate, no reason, no judge's score, no other votes, so a
/// vote is the voter's own reading of the answer against the rubric.
/// </summary>
/// <param name="Answer">The answer with mentions and user ids neutralised.</param>
public sealed record BlindCase(string DisputeId, string QuestionId, string QuestionPrompt, string Answer, DisputedRubric Rubric);

/// <summary>What the judge said about the disputed dimension at the time, kept away from voters.</summary>
/// <param name="Source">Which judge, prompt and version scored it, so agreement is told per prompt version.</param>
public sealed record JudgeRecord(int Score, FeedbackSource Source)
{
    /// <summary>Judgements are told apart by prompt and version; the offline judges have neither and go by their kind.</summary>
    public string PromptVersion => Source.PromptName is { } name ? $"{name}/{Source.PromptVersion}" : Source.JudgeKind;
}

/// <summary>A candidate's claim that one judged dimension of one answer is wrong.</summary>
/// <param name="Id">Stable for a candidate, feedback and dimension, so a second press of the button opens nothing new.</param>
/// <param name="Reason">The candidate's why: for the candidate's own record, never shown to voters.</param>
/// <param name="Place">
/// The server or workspace it was filed in (<c>discord:&lt;guild id&gt;</c>, <c>slack:&lt;team id&gt;</c>): only people
/// who opted in there are shown the answer or may vote on it. Null on a dispute kept from before places were
/// recorded, which is offered to nobody and takes no vote.
/// </param>
public sealed record Dispute(string Id, string CandidateId, BlindCase Case, string Reason, JudgeRecord Judge, DateTimeOffset OpenedAt, string? Place)
{
    /// <summary>The dispute once its outcome is told: what the labelled set needs, naming nobody and keeping no reason.</summary>
    [JsonIgnore]
    public Dispute Anonymous => this with { CandidateId = string.Empty, Reason = string.Empty };

    /// <summary>False once its outcome was told and the record kept only the labelled case.</summary>
    [JsonIgnore]
    public bool NamesSomeone => CandidateId.Length > 0;
}

/// <summary>
/// A dispute the peers settled: a labelled case for judging the judge. It names no candidate and no voter, so the
/// labelled set can be read and exported freely.
/// </summary>
/// <param name="PeerScores">The scores of the votes that settled it, in no particular order.</param>
public sealed record SettledCase(BlindCase Case, JudgeRecord Judge, IReadOnlyList<int> PeerScores, DateTimeOffset SettledAt)
{
    /// <summary>The median of the peers' scores: one odd voter cannot pull it.</summary>
    public double PeerScore => Median(PeerScores);

    /// <summary>
    /// The candidate was right when the judge is a whole point or more from the peers: scores are whole points, so
    /// less than that is the peers' own spread, not a wrong score.
    /// </summary>
    public bool Upheld => Math.Abs(Judge.Score - PeerScore) >= 1;

    public static double Median(IReadOnlyList<int> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
        {
            throw new ArgumentException("A median needs at least one score.", nameof(scores));
        }

        var sorted = scores.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}

/// <summary>Where a dispute stands, as its store keeps it.</summary>
/// <param name="Votes">How many votes it has now (a forgotten voter's vote on an open dispute no longer counts).</param>
/// <param name="Settled">The settled case once the last vote landed, else null.</param>
public sealed record DisputeRecord(Dispute Dispute, int Votes, SettledCase? Settled);
