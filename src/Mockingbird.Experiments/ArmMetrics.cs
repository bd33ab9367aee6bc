namespace Mockingbird.Experiments;

/// <summary>
/// Judge latencies counted in fixed buckets, so replicas add them up without keeping each call: the bounds grow by
/// a quarter each (about 12% error at most) from 50 ms to 5 minutes.
/// </summary>
public sealed record LatencyHistogram(IReadOnlyList<long> Counts)
{
    public static IReadOnlyList<double> UpperBoundsSeconds { get; } = Bounds();

    public static LatencyHistogram Empty { get; } = new(new long[UpperBoundsSeconds.Count]);

    public long Total => Counts.Sum();

    /// <summary>The bucket a latency falls in; longer than the last bound counts in the last.</summary>
    public static int BucketOf(TimeSpan latency)
    {
        var seconds = latency.TotalSeconds;
        for (var i = 0; i < UpperBoundsSeconds.Count; i++)
        {
            if (seconds <= UpperBoundsSeconds[i])
                return i;
        }

        return UpperBoundsSeconds.Count - 1;
    }

    /// <summary>The upper bound of the bucket holding the <paramref name="quantile"/>: an estimate that never understates.</summary>
    public double? QuantileSeconds(double quantile) => QuantileRangeSeconds(quantile)?.High;

    /// <summary>
    /// The bounds of the bucket holding the <paramref name="quantile"/>: it is above <c>Low</c> and at most <c>High</c>
    /// (0 for the first bucket's low). Only past <c>Low</c> is the quantile surely past a limit, since the bucket
    /// cannot say where in it the calls fell.
    /// </summary>
    public (double Low, double High)? QuantileRangeSeconds(double quantile)
    {
        var total = Total;
        if (total == 0)
            return null;
        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < Counts.Count; i++)
        {
            seen += Counts[i];
            if (seen >= Math.Max(1, rank))
                return Bucket(i);
        }

        return Bucket(Counts.Count - 1);
    }

    private static (double Low, double High) Bucket(int index) => (index == 0 ? 0 : UpperBoundsSeconds[index - 1], UpperBoundsSeconds[index]);

    public LatencyHistogram Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. Counts.Zip(other.Counts, (a, b) => a + b)]);
    }

    private static double[] Bounds()
    {
        var bounds = new List<double>();
        for (var bound = 0.05; bound < 300; bound *= 1.25)
            bounds.Add(Math.Round(bound, 3));
        bounds.Add(300);
        return [.. bounds];
    }
}

/// <summary>Tokens one model used in an arm, priced at report time so a changed price table applies to all of it.</summary>
public sealed record ModelTokens(string Model, long PromptTokens, long CachedPromptTokens, long CompletionTokens);

/// <summary>Everything an arm did, counted from the start of the experiment.</summary>
/// <param name="HelpfulRaters">
/// Candidates whose votes on their own feedback in this arm were mostly 👍 (successes), of all who voted on theirs:
/// one trial per candidate, the unit that was randomised.
/// </param>
/// <param name="ReturnEligible">Candidates whose first interview in the experiment began at least 7 days ago.</param>
/// <param name="Returned">Of those, the ones who started another interview within the 7 days.</param>
/// <param name="CandidatesFinished">
/// Candidates who finished at least one interview in this arm: the finished share's successes, one trial per
/// candidate. Counted from the version that introduced it; snapshots kept before it read 0.
/// </param>
public sealed record ArmMetrics(
    string Arm,
    long Feedbacks,
    long Fallbacks,
    long SchemaFailures,
    LatencyHistogram Latency,
    IReadOnlyList<ModelTokens> Tokens,
    long Votes,
    ShareCount HelpfulRaters,
    long Candidates,
    long InterviewsStarted,
    long Answers,
    long InterviewsFinished,
    long ReturnEligible,
    long Returned,
    long CandidatesFinished = 0)
{
    /// <summary>How long a candidate has to come back to count as returning.</summary>
    public static readonly TimeSpan ReturnWindow = TimeSpan.FromDays(7);

    public static ArmMetrics Empty(string arm) => new(arm, 0, 0, 0, LatencyHistogram.Empty, [], 0, default, 0, 0, 0, 0, 0, 0);

    public double? FallbackRate => Feedbacks == 0 ? null : (double)Fallbacks / Feedbacks;

    /// <summary>Replies that failed the schema, per judged answer (a turn retried once can fail twice).</summary>
    public double? SchemaFailureRate => Feedbacks == 0 ? null : (double)SchemaFailures / Feedbacks;

    public double? AnswersPerInterview => InterviewsStarted == 0 ? null : (double)Answers / InterviewsStarted;

    public long PromptTokens => Tokens.Sum(t => t.PromptTokens);

    public long CompletionTokens => Tokens.Sum(t => t.CompletionTokens);

    /// <summary>The cost of the arm's calls, or null when a model it used has no price in the table.</summary>
    public decimal? Cost(IReadOnlyDictionary<string, ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        decimal total = 0;
        foreach (var tokens in Tokens)
        {
            if (!prices.TryGetValue(tokens.Model, out var price))
                return null;
            total += price.Cost(tokens.PromptTokens, tokens.CachedPromptTokens, tokens.CompletionTokens);
        }

        return total;
    }

    public decimal? CostPerFeedback(IReadOnlyDictionary<string, ModelPrice> prices) =>
        Feedbacks == 0 ? null : Cost(prices) is { } cost ? cost / Feedbacks : null;

    /// <summary>The successes and trials of <paramref name="metric"/> in this arm.</summary>
    public ShareCount Primary(PrimaryMetric metric) => metric switch
    {
        PrimaryMetric.HelpfulShare => HelpfulRaters,
        PrimaryMetric.FinishedShare => new(Math.Min(CandidatesFinished, Candidates), Candidates),
        PrimaryMetric.ReturnedShare => new(Returned, ReturnEligible),
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };
}

/// <summary>An experiment's arms as they stood at one moment: the points its charts and its decision are drawn from.</summary>
public sealed record ExperimentSnapshot(DateTimeOffset At, IReadOnlyList<ArmMetrics> Arms);
