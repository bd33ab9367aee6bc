using Mockingbird.Chat.Ratings;
using Mockingbird.Host.Rendering;

namespace Mockingbird.Host.Tests;

public sealed class RatingsReportTests
{
    [Fact]
    public void A_variant_clearly_ahead_of_the_first_is_called_more_helpful_with_the_interval_of_the_difference()
    {
        var report = RatingsReport.Render([new ArmRatings("exp/v1", 50, 50), new ArmRatings("exp/v2", 80, 20)]);

        Assert.EndsWith("exp: v2 vs v1: +30 points (95% interval +17 to +42), rated more helpful", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_few_votes_apart_is_no_difference_yet()
    {
        var report = RatingsReport.Render([new ArmRatings("exp/v2", 3, 1), new ArmRatings("exp/v1", 2, 2)]);

        Assert.EndsWith("exp: v2 vs v1: +25 points (95% interval −32 to +66), no difference shown yet", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bound_just_above_zero_keeps_a_decimal_so_it_does_not_read_as_zero_beside_the_verdict()
    {
        var report = RatingsReport.Render([new ArmRatings("exp/v1", 64, 36), new ArmRatings("exp/v2", 77, 23)]);

        // Newcombe's interval for 77/100 against 64/100 is +0.35 to +25.1 points.
        Assert.EndsWith("exp: v2 vs v1: +13 points (95% interval +0.4 to +25), rated more helpful", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_compare_by_number_so_v10_is_not_taken_for_the_first()
    {
        var report = RatingsReport.Render([new ArmRatings("exp/v10", 20, 80), new ArmRatings("exp/v9", 80, 20)]);

        Assert.Contains("exp: v10 vs v9:", report, StringComparison.Ordinal);
        Assert.Contains("rated less helpful", report, StringComparison.Ordinal);
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
