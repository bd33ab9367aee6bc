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
        var page = DashboardPage.Render([Report(new SequentialTestSettings(0.2, 0.05, 0.0025))], Now);

        Assert.Contains("now says α 0.2, smallest difference 5 points", page, StringComparison.Ordinal);
        Assert.Contains("keeps the α 0.05, 10 points and 0.01 it started with", page, StringComparison.Ordinal);
    }

    [Fact]
    public void An_experiment_run_as_declared_says_nothing_of_an_edit()
    {
        var page = DashboardPage.Render([Report(edited: null)], Now);

        Assert.DoesNotContain("now says", page, StringComparison.Ordinal);
    }
}
