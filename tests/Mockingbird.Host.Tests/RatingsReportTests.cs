using Mockingbird.Chat.Ratings;
using Mockingbird.Host.Rendering;

namespace Mockingbird.Host.Tests;

public sealed class RatingsReportTests
{
    [Fact]
    public void Experiment_arms_are_not_compared_here_but_pointed_at_the_experiment_report()
    {
        var report = RatingsReport.Render([new ArmRatings("exp/v1", 50, 50), new ArmRatings("exp/v2", 80, 20)]);

        Assert.EndsWith("exp: for a decision that stays valid however often you look, run `mockingbird experiments report exp`", report, StringComparison.Ordinal);
        Assert.DoesNotContain("more helpful", report, StringComparison.Ordinal);
        Assert.Contains("80% (71%–87%)", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Arms_outside_an_experiment_are_listed_but_not_compared()
    {
        var report = RatingsReport.Render([new ArmRatings("judge-design@v1", 5, 1), new ArmRatings("offline-rubric", 1, 5)]);

        Assert.Equal(3, report.Split('\n').Length);
        Assert.DoesNotContain(" vs ", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 10, 0.49, 0.94)]
    [InlineData(0, 1, 0.0, 0.79)]
    [InlineData(50, 100, 0.40, 0.60)]
    public void The_wilson_interval_matches_published_values(long helpful, long total, double low, double high)
    {
        var (l, h) = RatingsReport.WilsonInterval(helpful, total);

        Assert.Equal(low, l, 2);
        Assert.Equal(high, h, 2);
    }
}
