namespace Mockingbird.Experiments.Tests;

/// <summary>
/// The "rated less helpful than the baseline" guardrail protects candidates whatever an experiment is decided on:
/// an experiment judged on finished interviews must still stop an arm whose feedback raters find worse.
/// </summary>
public sealed class HelpfulShareGuardrailTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static ExperimentDesign Design(PrimaryMetric primary, bool stopWhenWorse = true) => new(
        "judge-design-2026-12",
        "judge-design",
        "v1",
        [new("v1", 1), new("v2", 1)],
        primary,
        SmallestDifference: 0.1,
        Alpha: 0.05,
        new Guardrails(StopWhenHelpfulShareWorse: stopWhenWorse));

    /// <summary>Raters clearly prefer v1's feedback; both arms finish interviews alike.</summary>
    private static IReadOnlyList<ArmMetrics> Arms() =>
    [
        ArmMetrics.Empty("v1") with { HelpfulRaters = new(350, 500), InterviewsStarted = 100, InterviewsFinished = 60 },
        ArmMetrics.Empty("v2") with { HelpfulRaters = new(200, 500), InterviewsStarted = 100, InterviewsFinished = 60 },
    ];

    private static ExperimentReport Report(ExperimentDesign design, IReadOnlyList<ExperimentSnapshot>? history = null) =>
        ExperimentReport.Build(design, Arms(), history ?? [], ExperimentControl.Empty, new Dictionary<string, ModelPrice>(), Now);

    [Theory]
    [InlineData(PrimaryMetric.HelpfulShare)]
    [InlineData(PrimaryMetric.FinishedShare)]
    [InlineData(PrimaryMetric.ReturnedShare)]
    public void An_arm_rated_less_helpful_than_the_baseline_is_a_breach_whatever_the_primary_metric(PrimaryMetric primary)
    {
        var report = Report(Design(primary));

        var breach = Assert.Single(report.Breaches);
        Assert.Equal(("v2", "helpful-share"), (breach.Arm, breach.Guardrail));
    }

    [Fact]
    public void The_helpful_share_guardrail_of_another_primary_metric_replays_the_kept_looks_too()
    {
        // At the earlier look v2 was already clearly worse; the votes since cannot undo a valid finding.
        var history = new[]
        {
            new ExperimentSnapshot(Now.AddDays(-1), [
                ArmMetrics.Empty("v1") with { HelpfulRaters = new(350, 500) },
                ArmMetrics.Empty("v2") with { HelpfulRaters = new(200, 500) }]),
        };
        var design = Design(PrimaryMetric.FinishedShare);
        var now = new[]
        {
            ArmMetrics.Empty("v1") with { HelpfulRaters = new(360, 520) },
            ArmMetrics.Empty("v2") with { HelpfulRaters = new(215, 520) },
        };

        var report = ExperimentReport.Build(design, now, history, ExperimentControl.Empty, new Dictionary<string, ModelPrice>(), Now);

        Assert.Equal("helpful-share", Assert.Single(report.Breaches).Guardrail);
    }

    [Fact]
    public void Turning_the_helpful_share_guardrail_off_leaves_an_arm_rated_worse_running()
    {
        Assert.Empty(Report(Design(PrimaryMetric.FinishedShare, stopWhenWorse: false)).Breaches);
    }
}
