using System.Globalization;
using System.Text;
using Mockingbird.Chat.Ratings;

namespace Mockingbird.Host.Rendering;

/// <summary>
/// The ratings table: per arm, the votes and the helpful share with its 95% Wilson interval. Whether one experiment
/// arm beats another is the experiment report's to say.
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

    /// <summary>
    /// Experiments (the arms named <c>experiment/version</c>) are pointed at their own report rather than compared
    /// here: a fixed-horizon interval looked at every day finds false winners, and two verdicts could disagree.
    /// </summary>
    private static IEnumerable<string> Comparisons(IReadOnlyList<ArmRatings> arms) =>
        arms.Where(a => a.Total > 0 && a.Arm.Contains('/', StringComparison.Ordinal))
            .Select(a => a.Arm[..a.Arm.LastIndexOf('/')])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(experiment => $"{experiment}: for a decision that stays valid however often you look, run `mockingbird experiments report {experiment}`");

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
