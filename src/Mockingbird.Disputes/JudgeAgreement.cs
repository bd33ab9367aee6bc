namespace Mockingbird.Disputes;

/// <summary>One judgement of a settled case's disputed dimension, by a prompt version, beside the peers' score.</summary>
public sealed record PeerComparison(string PromptVersion, int JudgeScore, double PeerScore);

/// <summary>
/// How a prompt version's scores compare with the peers' on settled cases. A score agrees when it is within half a
/// point of the peers' median: with an odd number of votes the median is a whole point, so that means equal, and
/// with an even number a median of 2.5 takes both 2 and 3 as agreeing, as neither is nearer.
/// </summary>
/// <param name="PromptVersion"><c>prompt/version</c>, or the judge's kind for the offline judges.</param>
/// <param name="Agreement">Share of cases, 0 to 1, within <see cref="Tolerance"/> of the peers.</param>
public sealed record JudgeAgreement(string PromptVersion, int Cases, double Agreement, double MeanAbsoluteDifference)
{
    public const double Tolerance = 0.5;

    public static bool Agrees(double judgeScore, double peerScore) => Math.Abs(judgeScore - peerScore) <= Tolerance;

    /// <summary>Per prompt version, ordered by version.</summary>
    public static IReadOnlyList<JudgeAgreement> PerPromptVersion(IEnumerable<PeerComparison> comparisons) =>
        [.. comparisons
            .GroupBy(c => c.PromptVersion, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new JudgeAgreement(
                g.Key,
                g.Count(),
                g.Average(c => Agrees(c.JudgeScore, c.PeerScore) ? 1.0 : 0.0),
                g.Average(c => Math.Abs(c.JudgeScore - c.PeerScore))))];

    /// <summary>The agreement of the judgements as they were given, each under the prompt version that gave it.</summary>
    public static IReadOnlyList<JudgeAgreement> Recorded(IEnumerable<SettledCase> settled) =>
        PerPromptVersion(settled.Select(s => new PeerComparison(s.Judge.PromptVersion, s.Judge.Score, s.PeerScore)));
}
