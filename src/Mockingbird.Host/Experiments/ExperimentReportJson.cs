using Mockingbird.Experiments;

namespace Mockingbird.Host.Experiments;

/// <summary>
/// An experiment report as <c>experiments report --json</c> prints it (camelCase names). A stable shape, documented here:
/// scripts depend on it. Shares and rates are fractions (0.25, not 25%), differences are challenger minus baseline,
/// latencies are seconds, costs are in the price table's currency; a figure that cannot be known yet is null.
/// </summary>
public sealed record ExperimentReportJson(
    string Id,
    string Prompt,
    string Baseline,
    string PrimaryMetric,
    double SmallestDifference,
    double Alpha,
    long PlannedPerArm,
    DateTimeOffset At,
    string Decision,
    IReadOnlyList<ArmJson> Arms,
    IReadOnlyList<ComparisonJson> Comparisons,
    IReadOnlyList<BreachJson> Breaches,
    IReadOnlyList<StopJson> Stops,
    IReadOnlyList<SharedBreachJson> SharedBreaches,
    double MixingVariance,
    TestSettingsJson? EditedTestSettings)
{
    public static ExperimentReportJson From(ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var design = report.Design;
        return new(
            design.Id,
            design.Prompt,
            design.Baseline,
            design.Primary switch
            {
                Mockingbird.Experiments.PrimaryMetric.HelpfulShare => "helpful-share",
                Mockingbird.Experiments.PrimaryMetric.FinishedShare => "finished-share",
                _ => "returned-share",
            },
            design.SmallestDifference,
            design.Alpha,
            report.PlannedPerArm,
            report.At,
            report.Verdict,
            [.. report.Arms.Select(a => ArmJson.From(a, design.Primary, report.Prices))],
            [.. report.Comparisons.Select(c => ComparisonJson.From(c, report))],
            [.. report.Breaches.Select(b => new BreachJson(b.Arm, b.Guardrail, b.Reason))],
            [.. report.Arms.Where(a => a.Stop is not null).Select(a => StopJson.From(a.Stop!))],
            [.. report.SharedBreaches.Select(b => new SharedBreachJson(b.Arm, b.Guardrail, b.Reason, b.SharedWithBaseline!))],
            design.TestSettings.MixingVariance,
            report.EditedTestSettings is { } edited ? new TestSettingsJson(edited.Alpha, edited.SmallestDifference, edited.MixingVariance, edited.Comparisons) : null);
    }
}

/// <summary>One arm's metrics.</summary>
/// <param name="Primary">The primary metric's successes of trials in this arm.</param>
/// <param name="LatencyP95Seconds">
/// The top of the histogram bucket holding the p95 (as <see cref="LatencyP50Seconds"/> for the median): the real value is
/// at most this and may be up to a fifth lower. The guardrail compares the bucket's bottom with its limit.
/// </param>
public sealed record ArmJson(
    string Version,
    bool IsBaseline,
    bool Stopped,
    ShareJson Primary,
    long Feedbacks,
    double? FallbackRate,
    double? SchemaFailureRate,
    double? LatencyP50Seconds,
    double? LatencyP95Seconds,
    long PromptTokens,
    long CompletionTokens,
    decimal? Cost,
    decimal? CostPerFeedback,
    long Votes,
    long Candidates,
    long InterviewsStarted,
    long InterviewsFinished,
    long CandidatesFinished,
    double? AnswersPerInterview,
    long ReturnEligible,
    long Returned)
{
    public static ArmJson From(ArmReport arm, PrimaryMetric primary, IReadOnlyDictionary<string, ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(arm);
        var m = arm.Metrics;
        return new(
            m.Arm,
            arm.IsBaseline,
            arm.Stop is not null,
            ShareJson.From(m.Primary(primary)),
            m.Feedbacks,
            m.FallbackRate,
            m.SchemaFailureRate,
            m.Latency.QuantileSeconds(0.5),
            m.Latency.QuantileSeconds(0.95),
            m.PromptTokens,
            m.CompletionTokens,
            m.Cost(prices),
            m.CostPerFeedback(prices),
            m.Votes,
            m.Candidates,
            m.InterviewsStarted,
            m.InterviewsFinished,
            m.CandidatesFinished,
            m.AnswersPerInterview,
            m.ReturnEligible,
            m.Returned);
    }
}

/// <param name="Share">Successes over total; null with no trials.</param>
public sealed record ShareJson(long Successes, long Total, double? Share)
{
    public static ShareJson From(ShareCount count) => new(count.Successes, count.Total, count.Total == 0 ? null : count.Share);
}

/// <summary>A challenger against the baseline on the primary metric, by the always-valid test.</summary>
/// <param name="Decision"><c>not-enough-data</c>, <c>challenger-wins</c>, <c>baseline-wins</c> or <c>no-difference</c>.</param>
/// <param name="PValue">The always-valid p-value for "no difference"; it never rises between looks.</param>
/// <param name="IntervalLow">The confidence sequence's lower end for challenger share minus baseline share.</param>
public sealed record ComparisonJson(
    string Baseline,
    string Challenger,
    string Decision,
    double PValue,
    double IntervalLow,
    double IntervalHigh,
    ShareJson BaselineShare,
    ShareJson ChallengerShare,
    string Verdict)
{
    public static ComparisonJson From(ArmComparison comparison, ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(report);
        var test = comparison.Test;
        var decision = test.Decision switch
        {
            ShareDecision.BWins => "challenger-wins",
            ShareDecision.AWins => "baseline-wins",
            ShareDecision.NoDifference => "no-difference",
            _ => "not-enough-data",
        };
        return new(
            comparison.Baseline,
            comparison.Challenger,
            decision,
            test.PValue,
            test.Interval.Low,
            test.Interval.High,
            ShareJson.From(test.A),
            ShareJson.From(test.B),
            report.VerdictOf(comparison));
    }
}

/// <summary>
/// What <c>experiments.yaml</c> says now when it differs from the α, smallest difference and mixing variance the
/// experiment started with, which the report's own <c>alpha</c>, <c>smallestDifference</c> and <c>mixingVariance</c> keep.
/// </summary>
public sealed record TestSettingsJson(double Alpha, double SmallestDifference, double MixingVariance, int Comparisons);

/// <summary>A limit a challenger is past that stops it.</summary>
public sealed record BreachJson(string Arm, string Guardrail, string Reason);

/// <summary>A limit a challenger is past with the baseline past it too, and not surely further: it stops nothing.</summary>
/// <param name="Baseline">How the baseline stands against the same limit.</param>
public sealed record SharedBreachJson(string Arm, string Guardrail, string Reason, string Baseline);

/// <param name="By"><c>guardrail</c>, or <c>an admin</c> for a stop made by hand (never who).</param>
public sealed record StopJson(string Arm, string Reason, string By, DateTimeOffset At)
{
    public static StopJson From(ArmStop stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        return new(stop.Version, stop.Reason, stop.By, stop.At);
    }
}
