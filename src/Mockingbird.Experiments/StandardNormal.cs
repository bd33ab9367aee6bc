namespace Mockingbird.Experiments;

/// <summary>Quantiles of the standard normal distribution, which .NET does not ship.</summary>
public static class StandardNormal
{
    // Acklam's rational approximation: relative error below 1.2e-9, far finer than any sample size or interval needs.
    private static readonly double[] CentralNumerator =
        [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] CentralDenominator =
        [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01, 1.0];
    private static readonly double[] TailNumerator =
        [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] TailDenominator =
        [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00, 1.0];
    private const double TailStart = 0.02425;

    /// <summary>The z with P(Z ≤ z) = <paramref name="probability"/>.</summary>
    public static double Quantile(double probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(probability);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(probability, 1.0);
        if (probability < TailStart)
            return LowerTail(probability);
        if (probability > 1 - TailStart)
            return -LowerTail(1 - probability);
        var q = probability - 0.5;
        var r = q * q;
        return Polynomial(CentralNumerator, r) * q / Polynomial(CentralDenominator, r);
    }

    private static double LowerTail(double probability)
    {
        var q = Math.Sqrt(-2 * Math.Log(probability));
        return Polynomial(TailNumerator, q) / Polynomial(TailDenominator, q);
    }

    private static double Polynomial(double[] coefficients, double x)
    {
        var sum = 0.0;
        foreach (var c in coefficients)
            sum = sum * x + c;
        return sum;
    }
}
