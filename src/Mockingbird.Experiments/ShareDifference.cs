namespace Mockingbird.Experiments;

/// <summary>How many of an arm's votes were successes (a 👍, say), counted from the start of the experiment.</summary>
public readonly record struct ShareCount(long Successes, long Total)
{
    public double Share => Total == 0 ? 0 : (double)Successes / Total;
}

/// <summary>An interval for the difference of two shares (B − A).</summary>
public readonly record struct DifferenceInterval(double Low, double High)
{
    /// <summary>Before any evidence the difference of two shares can be anything from −1 to 1.</summary>
    public static DifferenceInterval Everything { get; } = new(-1, 1);
}

public enum ShareDecision
{
    /// <summary>No claim is valid yet: keep collecting.</summary>
    NotEnoughData,
    BWins,
    AWins,
    /// <summary>The interval lies inside ±(smallest difference worth detecting): any difference left is too small to matter.</summary>
    NoDifference,
}

/// <summary>
/// The settings of an always-valid comparison. <see cref="MixingVariance"/> (τ²) is the spread of differences the
/// test expects, on the scale of the difference itself: a τ near the differences that matter (e.g. τ = the smallest
/// difference worth detecting) spends the evidence where it counts. <see cref="MinimumPerArm"/> keeps the normal
/// approximation away from counts too small for it.
/// </summary>
public sealed record ShareDifferenceDesign
{
    public ShareDifferenceDesign(double alpha, double mixingVariance, double smallestDifference, long minimumPerArm = 30)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(alpha, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mixingVariance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(smallestDifference);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumPerArm);
        (Alpha, MixingVariance, SmallestDifference, MinimumPerArm) = (alpha, mixingVariance, smallestDifference, minimumPerArm);
    }

    public double Alpha { get; }
    public double MixingVariance { get; }
    public double SmallestDifference { get; }
    public long MinimumPerArm { get; }
}

/// <summary>
/// Always-valid inference on the difference of two shares, θ = share(B) − share(A), under continuous monitoring: a
/// mixture sequential probability ratio test (Johari, Pekelis and Walsh, "Always valid inference", 2017/2022). A fixed
/// horizon test looked at after every batch finds a "winner" between equal arms far more often than α; this one may be
/// looked at after every vote and still wrongly names a winner with probability at most α (up to the normal
/// approximation). Each look returns a new value: feed it the cumulative counts of both arms.
/// </summary>
public sealed record ShareDifference
{
    private ShareDifference(ShareDifferenceDesign design, ShareCount a, ShareCount b, double pValue, DifferenceInterval interval, ShareDecision decision)
        => (Design, A, B, PValue, Interval, Decision) = (design, a, b, pValue, interval, decision);

    public ShareDifferenceDesign Design { get; }
    public ShareCount A { get; }
    public ShareCount B { get; }

    /// <summary>The always-valid p-value for "no difference": the running minimum of 1/Λ, so it never rises again.</summary>
    public double PValue { get; }

    /// <summary>The confidence sequence for θ: the running intersection of every look's interval.</summary>
    public DifferenceInterval Interval { get; }

    public ShareDecision Decision { get; }

    public static ShareDifference Start(ShareDifferenceDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        return new(design, default, default, 1, DifferenceInterval.Everything, ShareDecision.NotEnoughData);
    }

    /// <summary>The state after a look at the cumulative counts <paramref name="a"/> and <paramref name="b"/>.</summary>
    public ShareDifference Look(ShareCount a, ShareCount b)
    {
        if (a.Total < A.Total || b.Total < B.Total)
            throw new ArgumentException("Counts are cumulative: an arm's total cannot shrink between looks.");
        if (a.Successes < 0 || a.Successes > a.Total || b.Successes < 0 || b.Successes > b.Total)
            throw new ArgumentException("An arm cannot have more successes than votes, nor fewer than none.");

        var variance = EstimateVariance(a, b);
        // A zero variance estimate (every vote in both arms the same) would make Λ infinite on no real evidence.
        if (a.Total < Design.MinimumPerArm || b.Total < Design.MinimumPerArm || variance <= 0)
            return new(Design, a, b, PValue, Interval, DecisionFor(Interval));

        var estimate = b.Share - a.Share;
        var ratio = LikelihoodRatio(estimate, variance, Design.MixingVariance, nullDifference: 0);
        var pValue = Math.Min(PValue, Math.Min(1, 1 / ratio));
        var interval = Intersect(Interval, ConfidenceInterval(estimate, variance, Design.MixingVariance, Design.Alpha));
        return new(Design, a, b, pValue, interval, DecisionFor(interval));
    }

    /// <summary>
    /// Λ = √(V/(V+τ²))·exp(τ²(θ̂−θ₀)² / (2V(V+τ²))): the likelihood ratio of the Gaussian estimate θ̂ ~ N(θ, V),
    /// averaged over alternatives θ ~ N(θ₀, τ²), against θ = θ₀. Under θ₀ it is a nonnegative martingale with mean 1,
    /// so by Ville's inequality it ever reaches 1/α with probability at most α, however often it is looked at.
    /// With n votes per arm and V = σ²/n it is JPW's √(σ²/(σ²+nτ²))·exp(n²τ²(θ̂−θ₀)² / (2σ²(σ²+nτ²))).
    /// </summary>
    public static double LikelihoodRatio(double estimate, double variance, double mixingVariance, double nullDifference)
    {
        var deviation = estimate - nullDifference;
        var total = variance + mixingVariance;
        return Math.Sqrt(variance / total) * Math.Exp(mixingVariance * deviation * deviation / (2 * variance * total));
    }

    /// <summary>
    /// Every θ₀ whose Λ stays below 1/α: θ̂ ± √(V(V+τ²)/τ² · (2·ln(1/α) + ln((V+τ²)/V))). It covers θ at every look
    /// at once with probability at least 1 − α, which is why it may be intersected across looks.
    /// </summary>
    public static DifferenceInterval ConfidenceInterval(double estimate, double variance, double mixingVariance, double alpha)
    {
        var total = variance + mixingVariance;
        var halfWidth = Math.Sqrt(variance * total / mixingVariance * (2 * Math.Log(1 / alpha) + Math.Log(total / variance)));
        return new(Math.Max(-1, estimate - halfWidth), Math.Min(1, estimate + halfWidth));
    }

    /// <summary>The unpooled variance of θ̂: the arms may differ, and the interval must hold whatever θ is.</summary>
    private static double EstimateVariance(ShareCount a, ShareCount b)
        => a.Share * (1 - a.Share) / a.Total + b.Share * (1 - b.Share) / b.Total;

    /// <summary>
    /// Disjoint intervals can only come from the normal approximation failing (or a 1-in-1/α event); keeping the older
    /// interval then avoids an empty set and never flips a decision already made.
    /// </summary>
    private static DifferenceInterval Intersect(DifferenceInterval running, DifferenceInterval latest)
    {
        var low = Math.Max(running.Low, latest.Low);
        var high = Math.Min(running.High, latest.High);
        return low <= high ? new(low, high) : running;
    }

    /// <summary>
    /// An interval that excludes 0 names a winner even when the difference may be smaller than worth detecting: the
    /// claim is valid, and the interval shows its size. Only an interval containing 0 and inside ±δ says "no difference".
    /// </summary>
    private ShareDecision DecisionFor(DifferenceInterval interval)
    {
        if (interval.Low > 0)
            return ShareDecision.BWins;
        if (interval.High < 0)
            return ShareDecision.AWins;
        if (interval.Low > -Design.SmallestDifference && interval.High < Design.SmallestDifference)
            return ShareDecision.NoDifference;
        return ShareDecision.NotEnoughData;
    }
}
