namespace Mockingbird.Experiments;

/// <summary>
/// The sample per arm a fixed-horizon two-sided test of two shares would need: the yardstick the report prints as
/// "planned sample per arm", so a reader can tell how far along an experiment is. The always-valid test usually needs
/// somewhat more than this to decide, the price of being allowed to look at any time.
/// </summary>
public static class PlannedSample
{
    /// <summary>
    /// n = (z₁₋α/₂·√(2·p̄(1−p̄)) + z₁₋β·√(p₁(1−p₁) + p₂(1−p₂)))² / δ², with p̄ the mean of the two shares (Fleiss, Levin
    /// and Paik, without continuity correction): the variance under "no difference" sets the critical value and the
    /// variance under the alternative sets the power. The difference may go either way, so both directions from the
    /// baseline that stay inside [0, 1] are planned for and the larger sample is kept.
    /// </summary>
    public static long PerArm(double baselineShare, double smallestDifference, double alpha, double power)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baselineShare, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(baselineShare, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(smallestDifference);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(alpha, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(power);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(power, 1.0);

        double? largest = null;
        foreach (var other in new[] { baselineShare + smallestDifference, baselineShare - smallestDifference })
        {
            if (other is < 0 or > 1)
                continue;
            var n = Exact(baselineShare, other, alpha, power);
            largest = largest is { } l ? Math.Max(l, n) : n;
        }
        if (largest is not { } needed)
            throw new ArgumentOutOfRangeException(nameof(smallestDifference), "No share within [0, 1] differs from the baseline by this much.");
        return (long)Math.Ceiling(needed);
    }

    /// <summary>The unrounded sample per arm for shares <paramref name="first"/> and <paramref name="second"/>.</summary>
    public static double Exact(double first, double second, double alpha, double power)
    {
        var mean = (first + second) / 2;
        var underNull = StandardNormal.Quantile(1 - alpha / 2) * Math.Sqrt(2 * mean * (1 - mean));
        var underAlternative = StandardNormal.Quantile(power) * Math.Sqrt(first * (1 - first) + second * (1 - second));
        var difference = second - first;
        return Math.Pow(underNull + underAlternative, 2) / (difference * difference);
    }
}
