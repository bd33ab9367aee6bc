namespace Mockingbird.Experiments.Tests;

public sealed class PlannedSampleTests
{
    [Fact]
    public void Standard_normal_quantiles_match_the_published_values()
    {
        // Python's statistics.NormalDist().inv_cdf, which is Wichura's AS241 to double precision.
        Assert.Equal(1.9599639845400536, StandardNormal.Quantile(0.975), 1e-8);
        Assert.Equal(0.8416212335729144, StandardNormal.Quantile(0.8), 1e-8);
        Assert.Equal(-3.090232306167813, StandardNormal.Quantile(0.001), 1e-8);
        Assert.Equal(0.0, StandardNormal.Quantile(0.5), 1e-12);
    }

    [Fact]
    public void Half_versus_six_tenths_at_five_percent_and_eighty_percent_power_needs_388_per_arm()
    {
        // Fleiss, Levin and Paik (Statistical Methods for Rates and Proportions, 3rd ed., eq. 4.14 without continuity
        // correction): (1.959964·√(2·0.55·0.45) + 0.841621·√(0.5·0.5 + 0.6·0.4))² / 0.1² = 387.3385, so 388 per arm;
        // the cruder (z₁₋α/₂ + z₁₋β)²·(p₁q₁ + p₂q₂)/δ² gives 384.6, the continuity-corrected version about 407.
        Assert.Equal(387.3385166990, PlannedSample.Exact(0.5, 0.6, alpha: 0.05, power: 0.8), 1e-6);
        Assert.Equal(388, PlannedSample.PerArm(baselineShare: 0.5, smallestDifference: 0.1, alpha: 0.05, power: 0.8));
    }

    [Fact]
    public void A_baseline_near_one_plans_for_the_only_direction_a_share_can_move()
    {
        var planned = PlannedSample.PerArm(baselineShare: 0.95, smallestDifference: 0.1, alpha: 0.05, power: 0.8);

        Assert.Equal((long)Math.Ceiling(PlannedSample.Exact(0.95, 0.85, 0.05, 0.8)), planned);
    }

    [Fact]
    public void A_smaller_difference_worth_detecting_needs_more_votes()
    {
        Assert.True(PlannedSample.PerArm(0.5, 0.05, 0.05, 0.8) > 3.9 * PlannedSample.PerArm(0.5, 0.1, 0.05, 0.8));
    }
}
