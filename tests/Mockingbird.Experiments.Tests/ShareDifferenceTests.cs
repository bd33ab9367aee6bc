using Xunit.Abstractions;

namespace Mockingbird.Experiments.Tests;

public sealed class ShareDifferenceTests(ITestOutputHelper output)
{
    private const double Alpha = 0.05;
    private const double SmallestDifference = 0.1;
    private static readonly ShareDifferenceDesign Design = new(Alpha, mixingVariance: SmallestDifference * SmallestDifference, SmallestDifference);

    private static ShareDifference LookOnce(ShareCount a, ShareCount b) => ShareDifference.Start(Design).Look(a, b);

    [Fact]
    public void The_p_value_is_one_over_the_mixture_likelihood_ratio_in_its_closed_form()
    {
        var result = LookOnce(new(480, 1000), new(540, 1000));

        // JPW's two-stream form with n votes per arm, pair variance σ² = p_A(1−p_A) + p_B(1−p_B) and mixing variance τ²:
        // Λ = √(σ²/(σ²+nτ²))·exp(n²τ²θ̂² / (2σ²(σ²+nτ²))).
        const double n = 1000, tauSquared = 0.01, difference = 0.54 - 0.48;
        const double sigmaSquared = 0.48 * 0.52 + 0.54 * 0.46;
        var ratio = Math.Sqrt(sigmaSquared / (sigmaSquared + n * tauSquared))
            * Math.Exp(n * n * tauSquared * difference * difference / (2 * sigmaSquared * (sigmaSquared + n * tauSquared)));
        Assert.Equal(6.812960, ratio, 1e-5); // the same closed form evaluated separately in double precision
        Assert.Equal(1 / ratio, result.PValue, 1e-12);
        Assert.Equal(ShareDecision.NotEnoughData, result.Decision);
    }

    [Fact]
    public void The_interval_ends_where_the_likelihood_ratio_reaches_one_over_alpha()
    {
        var result = LookOnce(new(480, 1000), new(540, 1000));
        const double variance = 0.48 * 0.52 / 1000 + 0.54 * 0.46 / 1000;

        foreach (var end in new[] { result.Interval.Low, result.Interval.High })
            Assert.Equal(1 / Alpha, ShareDifference.LikelihoodRatio(0.06, variance, 0.01, nullDifference: end), 1e-9);
        Assert.True(result.Interval.Low < 0 && result.Interval.High > 0.06);
    }

    [Fact]
    public void A_large_difference_with_enough_votes_names_B_the_winner()
    {
        var result = LookOnce(new(400, 1000), new(600, 1000));

        Assert.Equal(ShareDecision.BWins, result.Decision);
        Assert.True(result.PValue <= Alpha);
        Assert.InRange(0.2, result.Interval.Low, result.Interval.High);
        Assert.True(result.Interval.Low > 0.1, $"interval {result.Interval}");
    }

    [Fact]
    public void A_large_difference_the_other_way_names_A_the_winner()
    {
        Assert.Equal(ShareDecision.AWins, LookOnce(new(600, 1000), new(400, 1000)).Decision);
    }

    [Fact]
    public void A_true_difference_is_found_as_the_votes_come_in()
    {
        var random = new Random(15);
        var state = ShareDifference.Start(Design);
        var (a, b) = (new ShareCount(), new ShareCount());
        for (var look = 0; look < 100 && state.Decision == ShareDecision.NotEnoughData; look++)
        {
            (a, b) = (Add(a, Votes(random, 20, 0.45)), Add(b, Votes(random, 20, 0.6)));
            state = state.Look(a, b);
        }

        Assert.Equal(ShareDecision.BWins, state.Decision);
        Assert.True(state.B.Total <= 2000);
    }

    [Fact]
    public void Too_few_votes_give_no_decision_however_different_the_shares()
    {
        var result = LookOnce(new(0, 20), new(20, 20));

        Assert.Equal(ShareDecision.NotEnoughData, result.Decision);
        Assert.Equal(1, result.PValue);
        Assert.Equal(DifferenceInterval.Everything, result.Interval);
    }

    [Fact]
    public void Equal_arms_with_a_hundred_votes_each_have_not_enough_data()
    {
        var result = LookOnce(new(50, 100), new(50, 100));

        Assert.Equal(ShareDecision.NotEnoughData, result.Decision);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void Equal_arms_with_two_thousand_votes_each_show_no_difference_worth_detecting()
    {
        var result = LookOnce(new(1000, 2000), new(1000, 2000));

        Assert.Equal(ShareDecision.NoDifference, result.Decision);
        Assert.True(result.Interval.Low > -SmallestDifference && result.Interval.High < SmallestDifference);
    }

    [Fact]
    public void The_p_value_never_rises_and_the_interval_never_widens_between_looks()
    {
        var first = LookOnce(new(400, 1000), new(480, 1000));
        var second = first.Look(new(500, 1100), new(500, 1100));

        Assert.Equal(first.PValue, second.PValue);
        Assert.Equal(first.Interval.Low, second.Interval.Low);
        Assert.True(second.Interval.High <= first.Interval.High);
    }

    [Fact]
    public void Counts_that_shrink_between_looks_are_refused()
    {
        var state = LookOnce(new(50, 100), new(50, 100));

        Assert.Throws<ArgumentException>(() => state.Look(new(40, 90), new(50, 100)));
    }

    [Fact]
    public void Equal_arms_looked_at_a_hundred_times_name_a_false_winner_at_most_alpha_of_the_time()
    {
        var (alwaysValid, _) = FalseWinRates();

        Assert.True(alwaysValid <= Alpha, $"always-valid false-win rate {alwaysValid:P1}");
    }

    [Fact]
    public void A_fixed_horizon_z_test_peeked_at_every_look_names_a_false_winner_far_more_often_than_alpha()
    {
        var (_, naive) = FalseWinRates();

        Assert.True(naive >= 4 * Alpha, $"naive false-win rate {naive:P1}");
    }

    /// <summary>
    /// 400 experiments between arms that both get 👍 half the time, looked at after every 20 votes per arm up to 2,000:
    /// the share of experiments in which the always-valid test, and a 5% z-test, ever named a winner.
    /// </summary>
    private (double AlwaysValid, double Naive) FalseWinRates()
    {
        const int experiments = 400, batch = 20, looks = 100;
        var random = new Random(20261203);
        var critical = StandardNormal.Quantile(1 - Alpha / 2);
        int alwaysValidWins = 0, naiveWins = 0;
        for (var experiment = 0; experiment < experiments; experiment++)
        {
            var state = ShareDifference.Start(Design);
            var (a, b) = (new ShareCount(), new ShareCount());
            var (alwaysValidWon, naiveWon) = (false, false);
            for (var look = 0; look < looks; look++)
            {
                (a, b) = (Add(a, Votes(random, batch, 0.5)), Add(b, Votes(random, batch, 0.5)));
                state = state.Look(a, b);
                alwaysValidWon |= state.Decision is ShareDecision.AWins or ShareDecision.BWins;
                var variance = a.Share * (1 - a.Share) / a.Total + b.Share * (1 - b.Share) / b.Total;
                naiveWon |= variance > 0 && Math.Abs(b.Share - a.Share) / Math.Sqrt(variance) >= critical;
            }
            alwaysValidWins += alwaysValidWon ? 1 : 0;
            naiveWins += naiveWon ? 1 : 0;
        }
        var rates = ((double)alwaysValidWins / experiments, (double)naiveWins / experiments);
        output.WriteLine($"false-win rate over {experiments} experiments: always-valid {rates.Item1:P2}, naive z-test {rates.Item2:P2}");
        return rates;
    }

    private static ShareCount Votes(Random random, int count, double share)
    {
        var successes = 0;
        for (var i = 0; i < count; i++)
            successes += random.NextDouble() < share ? 1 : 0;
        return new(successes, count);
    }

    private static ShareCount Add(ShareCount counted, ShareCount more) => new(counted.Successes + more.Successes, counted.Total + more.Total);
}
