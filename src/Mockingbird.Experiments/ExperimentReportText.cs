using System.Globalization;
using System.Text;

namespace Mockingbird.Experiments;

/// <summary>An experiment report as plain text, for chat and the terminal.</summary>
public static class ExperimentReportText
{
    /// <summary>One line per experiment: id, prompt, arms and where it stands.</summary>
    public static string List(IReadOnlyList<ExperimentReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
            return "No experiments are running. Declare one in prompts/experiments.yaml.";
        var text = new StringBuilder();
        foreach (var report in reports)
        {
            var arms = string.Join(", ", report.Arms.Select(a => a.Stop is null ? a.Metrics.Arm : $"{a.Metrics.Arm} (stopped)"));
            text.AppendLine(CultureInfo.InvariantCulture, $"{report.Design.Id} — {report.Design.Prompt}: {arms}. {report.Verdict}");
        }

        return text.ToString().TrimEnd();
    }

    public static string Render(ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var design = report.Design;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Experiment {design.Id} on prompt {design.Prompt}, baseline {design.Baseline}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Primary metric: {Name(design.Primary)}; smallest difference worth detecting {design.SmallestDifference * 100:0.#} points; α {design.Alpha:0.###}; planned sample about {report.PlannedPerArm} per arm");
        text.AppendLine(CultureInfo.InvariantCulture, $"Decision: {report.Verdict}");
        if (report.MomentNotKept)
            text.AppendLine("The store could not save the look this decision comes from, so a later report may not show it yet.");
        if (EditedTestSettings(report) is { } edited)
            text.AppendLine(edited);
        foreach (var arm in report.Arms)
        {
            var m = arm.Metrics;
            var primary = m.Primary(design.Primary);
            text.Append(CultureInfo.InvariantCulture, $"- {m.Arm}{(arm.IsBaseline ? " (baseline)" : string.Empty)}: ");
            text.Append(CultureInfo.InvariantCulture, $"{Name(design.Primary)} {Share(primary)}; ");
            text.Append(CultureInfo.InvariantCulture, $"{m.Feedbacks} feedbacks, fallback {Rate(m.FallbackRate)}, schema failures {Rate(m.SchemaFailureRate)}, ");
            text.Append(CultureInfo.InvariantCulture, $"latency p50 {Range(m.Latency.QuantileRangeSeconds(0.5))} p95 {Range(m.Latency.QuantileRangeSeconds(0.95))}, ");
            text.Append(CultureInfo.InvariantCulture, $"cost per feedback {Money(m.CostPerFeedback(report.Prices))}; ");
            text.Append(CultureInfo.InvariantCulture, $"{m.InterviewsStarted} interviews started, {m.InterviewsFinished} finished ({m.CandidatesFinished} of {m.Candidates} candidates finished one), {m.AnswersPerInterview?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} answers each, returned within 7 days {m.Returned}/{m.ReturnEligible}");
            text.AppendLine(arm.Stop is { } stop ? string.Create(CultureInfo.InvariantCulture, $" — stopped {stop.At:yyyy-MM-dd HH:mm} UTC by {stop.By}: {stop.Reason}") : string.Empty);
        }

        foreach (var breach in report.Breaches)
            text.AppendLine(CultureInfo.InvariantCulture, $"Guardrail: {breach.Arm} {breach.Reason}");
        foreach (var breach in report.SharedBreaches)
            text.AppendLine(SharedBreach(breach));
        return text.ToString().TrimEnd();
    }

    /// <summary>A limit a challenger is past with the baseline, which does not stop it.</summary>
    public static string SharedBreach(GuardrailBreach breach)
    {
        ArgumentNullException.ThrowIfNull(breach);
        return $"Guardrail shared with the baseline: {breach.Arm} {breach.Reason}, and {breach.SharedWithBaseline}. The cause looks shared rather than {breach.Arm}'s prompt, so it is not stopped.";
    }

    /// <summary>What an admin who edited α, δ or τ² of a running experiment needs to know, or null.</summary>
    public static string? EditedTestSettings(ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.EditedTestSettings is not { } file)
            return null;
        var kept = report.Design.TestSettings;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"experiments.yaml now says α {file.Alpha:0.######} split between {Challengers(file.Comparisons)}, smallest difference {file.SmallestDifference * 100:0.####} points, mixing variance {file.MixingVariance:0.########}; this experiment keeps the α {kept.Alpha:0.######} split between {Challengers(kept.Comparisons)}, {kept.SmallestDifference * 100:0.####} points and {kept.MixingVariance:0.########} it started with, since its test is valid only for those. Run the change as an experiment with a new id.");

        static string Challengers(int count) => count == 1 ? "1 challenger" : $"{count} challengers";
    }

    public static string Name(PrimaryMetric metric) => metric switch
    {
        PrimaryMetric.HelpfulShare => "candidates finding their feedback helpful",
        PrimaryMetric.FinishedShare => "candidates who finished an interview",
        PrimaryMetric.ReturnedShare => "candidates back within 7 days",
        _ => metric.ToString(),
    };

    private static string Share(ShareCount count) =>
        count.Total == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{count.Share * 100:0}% of {count.Total}");

    private static string Rate(double? rate) => rate is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r * 100:0.#}%") : "-";

    /// <summary>A latency quantile as the histogram knows it: somewhere in its bucket, so the bucket is shown.</summary>
    private static string Range((double Low, double High)? bucket) =>
        bucket is var (low, high) ? string.Create(CultureInfo.InvariantCulture, $"{low:0.0#}–{high:0.0#} s") : "-";

    private static string Money(decimal? amount) => amount is { } a ? string.Create(CultureInfo.InvariantCulture, $"${a:0.0000}") : "-";
}
