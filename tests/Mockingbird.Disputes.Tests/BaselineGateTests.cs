using Microsoft.Extensions.Logging.Abstractions;
using Mockingbird.Experiments;
using Mockingbird.Testing;

namespace Mockingbird.Disputes.Tests;

public sealed class BaselineGateTests
{
    private static SettledCase Settled(int judge, string version, params int[] peers) => JudgeAgreementTests.Settled(judge, version, peers);

    private static ExperimentDesign Design(string baseline = "v1", BaselineAgreementRequirement? requirement = null) =>
        new("judge-2026-12", "judge-theory", baseline, [new ExperimentArm("v1", 50), new ExperimentArm("v2", 50)], PrimaryMetric.HelpfulShare, 0.1, 0.05, new Guardrails(),
            BaselineAgreement: requirement ?? new BaselineAgreementRequirement(0.7, 3));

    [Fact]
    public void The_gate_refuses_a_baseline_below_the_agreement_threshold_naming_version_agreement_threshold_and_count()
    {
        var verdict = BaselineGate.Check(Design(), "v1", [Settled(2, "v1", 4, 4, 4), Settled(2, "v1", 2, 2, 2), Settled(1, "v1", 3, 3, 3)]);

        Assert.False(verdict.Allowed);
        Assert.Equal(
            "Experiment 'judge-2026-12' cannot have judge-theory/v1 as its baseline: it agrees with the peers on 33% of 3 settled disputes, below minimum_baseline_agreement (70%). Choose another baseline or lower the threshold in experiments.yaml.",
            verdict.Message);
    }

    [Fact]
    public void The_gate_allows_a_baseline_at_or_above_the_threshold()
    {
        var verdict = BaselineGate.Check(Design(), "v1", [Settled(2, "v1", 2, 2, 2), Settled(3, "v1", 3, 3, 3), Settled(4, "v1", 4, 4, 4), Settled(1, "v2", 4, 4, 4)]);

        Assert.Equal(new BaselineVerdict(true, null), verdict);
    }

    [Fact]
    public void With_fewer_settled_cases_than_the_minimum_the_gate_allows_the_baseline_and_says_so()
    {
        var verdict = BaselineGate.Check(Design(requirement: new BaselineAgreementRequirement(0.7, 20)), "v1", [Settled(1, "v1", 4, 4, 4)]);

        Assert.True(verdict.Allowed);
        Assert.Equal(
            "Experiment 'judge-2026-12': baseline judge-theory/v1 has 1 settled dispute(s), fewer than minimum_settled_cases (20), so its agreement with the peers (0%) is not checked yet.",
            verdict.Message);
    }

    [Fact]
    public void Without_a_threshold_in_experiments_yaml_any_baseline_is_allowed() =>
        Assert.True(BaselineGate.Check(Design() with { BaselineAgreement = null }, "v1", [Settled(1, "v1", 4, 4, 4)]).Allowed);

    private sealed class Catalog(params ExperimentDesign[] designs) : IExperimentCatalog
    {
        public IReadOnlyList<ExperimentDesign> Designs => designs;
    }

    [Fact]
    public async Task Start_up_stops_with_the_gates_message_when_a_declared_baseline_agrees_too_little()
    {
        var store = new InMemoryDisputeStore();
        var dispute = SampleDisputes.Dispute(judgeScore: 1);
        await store.OpenAsync(dispute, default);
        foreach (var voter in new[] { "v-1", "v-2", "v-3" })
            await store.VoteAsync(dispute.Id, voter, 4, 3, SampleDisputes.Start.AddDays(-1), SampleDisputes.Start, default);
        var check = new BaselineAgreementCheck(new Catalog(Design(requirement: new BaselineAgreementRequirement(0.7, 1))), store, NullLogger<BaselineAgreementCheck>.Instance);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(() => check.StartAsync(default));

        Assert.StartsWith("Experiment 'judge-2026-12' cannot have judge-theory/v1 as its baseline: it agrees with the peers on 0% of 1 settled disputes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_goes_ahead_when_the_baseline_has_too_few_settled_cases_to_judge()
    {
        var check = new BaselineAgreementCheck(new Catalog(Design(requirement: new BaselineAgreementRequirement(0.7, 20))), new InMemoryDisputeStore(), NullLogger<BaselineAgreementCheck>.Instance);

        await check.StartAsync(default);
    }
}
