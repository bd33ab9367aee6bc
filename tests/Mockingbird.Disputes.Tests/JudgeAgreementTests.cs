using Mockingbird.Testing;

namespace Mockingbird.Disputes.Tests;

public sealed class JudgeAgreementTests
{
    internal static SettledCase Settled(int judge, string version, params int[] peers) =>
        new(SampleDisputes.Dispute(feedbackId: Guid.NewGuid().ToString()).Case, new JudgeRecord(judge, SampleDisputes.Llm(version)), peers, SampleDisputes.Start);

    [Fact]
    public void The_peers_score_is_the_median_of_their_votes() =>
        Assert.Equal([3, 2.5, 2], new[] { Settled(1, "v1", 4, 3, 1), Settled(1, "v1", 2, 3), Settled(1, "v1", 2) }.Select(s => s.PeerScore));

    [Fact]
    public void A_judge_a_point_or_more_from_the_peers_upholds_the_dispute_and_less_leaves_the_judge_standing()
    {
        Assert.True(Settled(2, "v1", 3, 3, 4).Upheld);
        Assert.False(Settled(2, "v1", 2, 3).Upheld);
        Assert.True(Settled(4, "v1", 3, 3, 1).Upheld);
    }

    [Fact]
    public void Agreement_is_reported_per_prompt_version_as_the_share_within_half_a_point_with_the_mean_difference_and_count()
    {
        var agreement = JudgeAgreement.Recorded([
            Settled(3, "v1", 3, 3, 4),
            Settled(2, "v1", 4, 4, 4),
            Settled(2, "v1", 2, 3),
            Settled(1, "v2", 3, 3, 3),
        ]);

        Assert.Equal(2, agreement.Count);
        var v1 = agreement[0];
        Assert.Equal(("judge-theory/v1", 3), (v1.PromptVersion, v1.Cases));
        Assert.Equal(2 / 3.0, v1.Agreement, 6);
        Assert.Equal((0 + 2 + 0.5) / 3, v1.MeanAbsoluteDifference, 6);
        Assert.Equal(("judge-theory/v2", 1, 0.0, 2.0), (agreement[1].PromptVersion, agreement[1].Cases, agreement[1].Agreement, agreement[1].MeanAbsoluteDifference));
    }
}
