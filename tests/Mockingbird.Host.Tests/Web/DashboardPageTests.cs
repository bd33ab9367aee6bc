using Mockingbird.Experiments;
using Mockingbird.Host.Web;

namespace Mockingbird.Host.Tests.Web;

public sealed class DashboardPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static readonly ExperimentDesign Started = new(
        "judge-2026", "judge", "v1", [new("v1", 1), new("v2", 1)], PrimaryMetric.HelpfulShare, SmallestDifference: 0.1, Alpha: 0.05, new Guardrails());

    private static ExperimentReport Report(SequentialTestSettings? edited) =>
        ExperimentReport.Build(Started, [], [], ExperimentControl.Empty, new Dictionary<string, ModelPrice>(), Now) with { EditedTestSettings = edited };

    [Fact]
    public void An_experiment_whose_file_loosened_its_test_shows_the_settings_it_keeps_and_the_ones_the_file_says()
    {
        var page = DashboardPage.Render([Report(new SequentialTestSettings(0.2, 0.05, 0.0025, 1))], Now);

        Assert.Contains("now says α 0.2 split between 1 challenger, smallest difference 5 points", page, StringComparison.Ordinal);
        Assert.Contains("keeps the α 0.05 split between 1 challenger, 10 points and 0.01 it started with", page, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_the_baseline_is_past_too_is_listed_as_shared_and_not_as_a_breach()
    {
        var outage = ArmMetrics.Empty("v1") with { Feedbacks = 40, Fallbacks = 40 };
        var guarded = Started with { Guardrails = new Guardrails(MaxFallbackRate: 0.2) };

        var page = DashboardPage.Render([ExperimentReport.Build(guarded, [outage, outage with { Arm = "v2" }], [], ExperimentControl.Empty, new Dictionary<string, ModelPrice>(), Now)], Now);

        Assert.Contains("No running arm is past a guardrail on its own.", page, StringComparison.Ordinal);
        Assert.Contains("Guardrail shared with the baseline: v2 fell back to the offline judge on 100 % of answers", page, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"verdict alert\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public void An_experiment_run_as_declared_says_nothing_of_an_edit()
    {
        var page = DashboardPage.Render([Report(edited: null)], Now);

        Assert.DoesNotContain("now says", page, StringComparison.Ordinal);
    }
}
