using System.Globalization;
using System.Text;
using Mockingbird.Chat.Ratings;

namespace Mockingbird.Host.Rendering;

/// <summary>
/// The ratings table: per arm, the votes and the helpful share with its 95% Wilson interval; then, per experiment,
/// each variant against the first with the 95% interval of the difference, because two variants a few votes apart
/// are not yet different and the interval shows it.
/// </summary>
public static class RatingsReport
{
    public static string Render(IReadOnlyList<ArmRatings> arms)
    {
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Count == 0)
        {
            return "No ratings yet: they are counted when someone clicks 👍 or 👎 under a feedback.";
        }

        var width = Math.Max("arm".Length, arms.Max(a => a.Arm.Length));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"arm".PadRight(width)}  {"👍",7}  {"👎",7}  helpful (95% interval)");
        foreach (var arm in arms)
        {
            text.Append(CultureInfo.InvariantCulture, $"{arm.Arm.PadRight(width)}  {arm.Helpful,7}  {arm.NotHelpful,7}  ");
            if (arm.Total == 0)
            {
                text.AppendLine("-");
                continue;
            }

            var (low, high) = WilsonInterval(arm.Helpful, arm.Total);
            text.AppendLine(CultureInfo.InvariantCulture, $"{Percent((double)arm.Helpful / arm.Total)} ({Percent(low)}–{Percent(high)})");
        }

        foreach (var comparison in Comparisons(arms))
        {
            text.AppendLine(comparison);
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Each experiment's later variants against its first: the arms named <c>experiment/version</c>.</summary>
    private static IEnumerable<string> Comparisons(IReadOnlyList<ArmRatings> arms)
    {
        var experiments = arms
            .Where(a => a.Total > 0 && a.Arm.Contains('/', StringComparison.Ordinal))
            .GroupBy(a => a.Arm[..a.Arm.LastIndexOf('/')], StringComparer.Ordinal)
            .Where(g => g.Count() > 1);
        foreach (var experiment in experiments)
        {
            var variants = experiment.OrderBy(a => VersionNumber(a.Arm)).ThenBy(a => a.Arm, StringComparer.Ordinal).ToList();
            var baseline = variants[0];
            foreach (var variant in variants.Skip(1))
            {
                var (difference, low, high) = DifferenceInterval(variant.Helpful, variant.Total, baseline.Helpful, baseline.Total);
                var verdict = low > 0 ? "rated more helpful" : high < 0 ? "rated less helpful" : "no difference shown yet";
                yield return string.Create(
                    CultureInfo.InvariantCulture,
                    $"{experiment.Key}: {Version(variant.Arm)} vs {Version(baseline.Arm)}: {Points(difference)} points (95% interval {Points(low)} to {Points(high)}), {verdict}");
            }
        }
    }

    /// <summary>
    /// The 95% interval of a difference of two shares, by Newcombe's method from each share's Wilson interval: sound
    /// at the small counts a new experiment starts with.
    /// </summary>
    public static (double Difference, double Low, double High) DifferenceInterval(long successes, long total, long baselineSuccesses, long baselineTotal)
    {
        double p = (double)successes / total, q = (double)baselineSuccesses / baselineTotal;
        var (pLow, pHigh) = WilsonInterval(successes, total);
        var (qLow, qHigh) = WilsonInterval(baselineSuccesses, baselineTotal);
        var difference = p - q;
        return (
            difference,
            difference - Math.Sqrt(((p - pLow) * (p - pLow)) + ((qHigh - q) * (qHigh - q))),
            difference + Math.Sqrt(((pHigh - p) * (pHigh - p)) + ((q - qLow) * (q - qLow))));
    }

    private static string Version(string arm) => arm[(arm.LastIndexOf('/') + 1)..];

    private static int VersionNumber(string arm) =>
        int.TryParse(Version(arm).TrimStart('v'), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : int.MaxValue;

    /// <summary>Whole points, except that a bound just off zero keeps a decimal, so the verdict beside it never reads as contradicted.</summary>
    private static string Points(double share)
    {
        var points = share * 100;
        return Math.Abs(points) is > 0 and < 0.5
            ? points.ToString("+0.0;−0.0", CultureInfo.InvariantCulture)
            : points.ToString("+0;−0;0", CultureInfo.InvariantCulture);
    }

    private static string Percent(double share) => string.Create(CultureInfo.InvariantCulture, $"{share * 100:0}%");

    /// <summary>The 95% Wilson score interval of a share: sound at small counts, where the normal approximation is not.</summary>
    public static (double Low, double High) WilsonInterval(long successes, long total)
    {
        const double z = 1.959963984540054;
        double n = total, p = successes / n, z2 = z * z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var spread = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / (1 + (z2 / n));
        return (Math.Max(0, centre - spread), Math.Min(1, centre + spread));
    }
}
