namespace Mockingbird.Experiments.Tests;

public sealed class ArmMetricsTests
{
    [Theory]
    [InlineData(0.01, 0)]
    [InlineData(0.05, 0)]
    [InlineData(0.051, 1)]
    [InlineData(1000, -1)]
    public void A_latency_falls_in_the_first_bucket_whose_bound_holds_it(double seconds, int bucket)
    {
        var expected = bucket < 0 ? LatencyHistogram.UpperBoundsSeconds.Count - 1 : bucket;

        Assert.Equal(expected, LatencyHistogram.BucketOf(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Bucket_bounds_grow_by_a_quarter_up_to_five_minutes()
    {
        var bounds = LatencyHistogram.UpperBoundsSeconds;

        Assert.Equal(300, bounds[^1]);
        Assert.All(bounds.Zip(bounds.Skip(1)).SkipLast(1), pair => Assert.InRange(pair.Second / pair.First, 1.24, 1.26));
    }

    [Fact]
    public void The_p95_is_the_bound_of_the_bucket_holding_the_95th_percent_call()
    {
        var counts = new long[LatencyHistogram.UpperBoundsSeconds.Count];
        var fast = LatencyHistogram.BucketOf(TimeSpan.FromSeconds(1));
        var slow = LatencyHistogram.BucketOf(TimeSpan.FromSeconds(20));
        counts[fast] = 94;
        counts[slow] = 6;
        var histogram = new LatencyHistogram(counts);

        Assert.Equal(LatencyHistogram.UpperBoundsSeconds[fast], histogram.QuantileSeconds(0.5));
        Assert.Equal(LatencyHistogram.UpperBoundsSeconds[slow], histogram.QuantileSeconds(0.95));
        Assert.Null(LatencyHistogram.Empty.QuantileSeconds(0.95));
    }

    [Fact]
    public void Cost_prices_uncached_cached_and_completion_tokens_per_model()
    {
        var arm = ArmMetrics.Empty("v2") with
        {
            Feedbacks = 4,
            Tokens = [new("gpt-4o-mini", PromptTokens: 1_000_000, CachedPromptTokens: 400_000, CompletionTokens: 100_000)],
        };
        var prices = new Dictionary<string, ModelPrice> { ["gpt-4o-mini"] = new("gpt-4o-mini", 0.15m, 0.075m, 0.60m) };

        // 600k uncached × 0.15 + 400k cached × 0.075 + 100k × 0.60, per million
        Assert.Equal(0.09m + 0.03m + 0.06m, arm.Cost(prices));
        Assert.Equal(0.045m, arm.CostPerFeedback(prices));
    }

    [Fact]
    public void Cost_is_unknown_rather_than_understated_when_a_model_has_no_price()
    {
        var arm = ArmMetrics.Empty("v2") with { Feedbacks = 1, Tokens = [new("unpriced", 10, 0, 10)] };

        Assert.Null(arm.CostPerFeedback(new Dictionary<string, ModelPrice>()));
    }

    [Fact]
    public void Each_primary_metric_is_a_share_of_its_own_trials()
    {
        var arm = ArmMetrics.Empty("v1") with
        {
            HelpfulRaters = new(7, 10),
            Candidates = 12,
            CandidatesFinished = 9,
            InterviewsStarted = 20,
            InterviewsFinished = 15,
            ReturnEligible = 8,
            Returned = 3,
        };

        Assert.Equal(new ShareCount(7, 10), arm.Primary(PrimaryMetric.HelpfulShare));
        Assert.Equal(new ShareCount(9, 12), arm.Primary(PrimaryMetric.FinishedShare));
        Assert.Equal(new ShareCount(3, 8), arm.Primary(PrimaryMetric.ReturnedShare));
    }
}
