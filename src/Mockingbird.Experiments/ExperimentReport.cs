using System.Globalization;

namespace Mockingbird.Experiments;

/// <summary>A challenger against the baseline on the primary metric: A is the baseline, B the challenger.</summary>
public sealed record ArmComparison(string Baseline, string Challenger, ShareDifference Test);

/// <summary>A guardrail an arm is past, in words an admin can act on.</summary>
/// <param name="SharedWithBaseline">
/// Null when the arm is to be stopped; otherwise how the baseline is past the same limit, the arm not surely further, which makes the
/// cause one all arms share (the LLM provider failing or slow, say) rather than the arm's prompt.
/// </param>
public sealed record GuardrailBreach(string Arm, string Guardrail, string Reason, string? SharedWithBaseline = null);

public sealed record ArmReport(ArmMetrics Metrics, bool IsBaseline, ArmStop? Stop);

/// <summary>
/// An experiment as it stands: every arm's metrics, each challenger's always-valid comparison with the baseline,
/// replayed over every snapshot kept so the confidence sequence is the intersection of all its looks, and the
/// guardrails any arm is past. One report serves chat, the command line and the web page, so they cannot disagree.
/// </summary>
public sealed record ExperimentReport(
    ExperimentDesign Design,
    IReadOnlyList<ArmReport> Arms,
    IReadOnlyList<ArmComparison> Comparisons,
    IReadOnlyList<GuardrailBreach> Breaches,
    IReadOnlyList<ExperimentSnapshot> History,
    IReadOnlyDictionary<string, ModelPrice> Prices,
    DateTimeOffset At)
{
    public static ExperimentReport Build(
        ExperimentDesign design,
        IReadOnlyList<ArmMetrics> now,
        IReadOnlyList<ExperimentSnapshot> history,
        ExperimentControl control,
        IReadOnlyDictionary<string, ModelPrice> prices,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(control);
        var current = design.Arms.Select(a => now.FirstOrDefault(m => m.Arm == a.Version) ?? ArmMetrics.Empty(a.Version)).ToList();
        var arms = current.Select(m => new ArmReport(m, m.Arm == design.Baseline, control.StopOf(design.Id, m.Arm))).ToList();
        var kept = history.OrderBy(s => s.At).ToList();
        var looks = kept.Append(new ExperimentSnapshot(at, current)).ToList();
        var comparisons = design.Challengers.Select(c => Compare(design, c.Version, looks, design.Primary)).ToList();

        // The helpful-share guardrail protects candidates whatever the experiment is decided on.
        var helpful = design.Primary == PrimaryMetric.HelpfulShare
            ? comparisons
            : [.. design.Challengers.Select(c => Compare(design, c.Version, looks, PrimaryMetric.HelpfulShare))];
        var baseline = current.First(m => m.Arm == design.Baseline);
        var dayAgo = kept.LastOrDefault(s => at - s.At >= RecentWindow);
        var found = arms.Where(a => !a.IsBaseline && a.Stop is null)
            .SelectMany(a => Breached(design, a.Metrics, baseline, helpful.First(c => c.Challenger == a.Metrics.Arm), prices, Recently(a.Metrics, baseline, dayAgo, at)))
            .ToList();
        var breaches = found.Where(b => b.SharedWithBaseline is null).ToList();
        var decidedBefore = Metrics(design).SelectMany(metric => design.Challengers.Select(c => Compare(design, c.Version, kept, metric).Test.Decision));
        var decidedNow = Metrics(design).SelectMany(metric => (metric == design.Primary ? comparisons : helpful).Select(c => c.Test.Decision));
        return new(design, arms, comparisons, breaches, looks, prices, at)
        {
            MomentDecides = !decidedBefore.SequenceEqual(decidedNow),
            SharedBreaches = [.. found.Where(b => b.SharedWithBaseline is not null)],
        };
    }

    /// <summary>
    /// Whether this report's own look, the moment it was built, changed a decision the kept looks reach. Such a look
    /// must be kept: a later report replays only kept looks, and without it could take back a decision already shown
    /// (or an arm already stopped) because the counts moved since.
    /// </summary>
    public bool MomentDecides { get; init; }

    /// <summary>The moment decided something but could not be kept, so the next report may not show the same decision.</summary>
    public bool MomentNotKept { get; init; }

    /// <summary>
    /// Limits a challenger is past with the baseline past them too, and not surely further: not shown to be the challenger's doing, so it is
    /// not stopped (<see cref="Breaches"/> are the ones that stop arms).
    /// </summary>
    public IReadOnlyList<GuardrailBreach> SharedBreaches { get; init; } = [];

    /// <summary>
    /// The settings <c>experiments.yaml</c> now gives when they differ from the ones the experiment started with, which
    /// <see cref="Design"/> keeps; null when they are the same.
    /// </summary>
    public SequentialTestSettings? EditedTestSettings { get; init; }

    /// <summary>
    /// The looks among <paramref name="looks"/> (oldest first) that set where the replay ends: for every challenger,
    /// on every metric (an admin may change the primary), the last look that moved the interval's low end, its high
    /// end or the p-value; and every look whose counts some later look falls below (a person forgotten since), since
    /// it is what makes the replay skip that later look. A replay of these and any others applies the same looks of
    /// them and ends where the replay of all does, except when a look's interval is disjoint from the running one,
    /// which only a failing normal approximation produces.
    /// </summary>
    internal static IReadOnlySet<DateTimeOffset> BearingLooks(ExperimentDesign design, IReadOnlyList<ExperimentSnapshot> looks)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(looks);
        var bearing = new HashSet<DateTimeOffset>();
        foreach (var metric in Enum.GetValues<PrimaryMetric>())
        {
            foreach (var challenger in design.Challengers)
            {
                Compare(design, challenger.Version, looks, metric, bearing);
            }

            foreach (var arm in design.Arms)
            {
                var totals = looks.Select(look => (look.Arms.FirstOrDefault(m => m.Arm == arm.Version) ?? ArmMetrics.Empty(arm.Version)).Primary(metric).Total).ToList();
                var lowestFromHere = long.MaxValue;
                for (var i = totals.Count - 1; i >= 0; i--)
                {
                    if (totals[i] > lowestFromHere)
                        bearing.Add(looks[i].At);
                    lowestFromHere = Math.Min(lowestFromHere, totals[i]);
                }
            }
        }

        return bearing;
    }

    /// <summary>The metrics a decision is drawn on: the primary, and the helpful share its guardrail reads.</summary>
    private static IEnumerable<PrimaryMetric> Metrics(ExperimentDesign design) =>
        design.Primary == PrimaryMetric.HelpfulShare ? [PrimaryMetric.HelpfulShare] : [design.Primary, PrimaryMetric.HelpfulShare];

    public long PlannedPerArm => Design.PlannedPerArm;

    /// <summary>One line an admin reads first: a winner only when the always-valid test names one.</summary>
    public string Verdict => string.Join("; ", Comparisons.Select(VerdictOf));

    public string VerdictOf(ArmComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var test = comparison.Test;
        var interval = string.Create(CultureInfo.InvariantCulture, $"{Points(test.Interval.Low)} to {Points(test.Interval.High)} points");
        return test.Decision switch
        {
            ShareDecision.BWins => $"{comparison.Challenger} wins over {comparison.Baseline} ({interval})",
            ShareDecision.AWins => $"{comparison.Baseline} wins over {comparison.Challenger} ({interval})",
            ShareDecision.NoDifference => $"{comparison.Challenger} and {comparison.Baseline} do not differ by {Points(Design.SmallestDifference)} points or more ({interval})",
            _ => string.Create(CultureInfo.InvariantCulture, $"{comparison.Challenger} vs {comparison.Baseline}: not enough data yet ({Math.Min(test.A.Total, test.B.Total)} of about {PlannedPerArm} per arm planned)"),
        };
    }

    private static string Points(double share) => (share * 100).ToString("+0.0;−0.0;0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Looks whose counts shrank (a person forgotten since) are skipped: the test needs cumulative counts, and the
    /// later, smaller counts are the truth from then on.
    /// </summary>
    /// <param name="bearing">When given, gets the moments of the last looks that moved the interval's ends or the p-value.</param>
    private static ArmComparison Compare(ExperimentDesign design, string challenger, IReadOnlyList<ExperimentSnapshot> looks, PrimaryMetric metric, HashSet<DateTimeOffset>? bearing = null)
    {
        var test = ShareDifference.Start(design.Comparison);
        DateTimeOffset? low = null, high = null, pValue = null;
        foreach (var look in looks)
        {
            var a = (look.Arms.FirstOrDefault(m => m.Arm == design.Baseline) ?? ArmMetrics.Empty(design.Baseline)).Primary(metric);
            var b = (look.Arms.FirstOrDefault(m => m.Arm == challenger) ?? ArmMetrics.Empty(challenger)).Primary(metric);
            if (a.Total < test.A.Total || b.Total < test.B.Total)
                continue;
            var before = test;
            test = test.Look(a, b);
            low = test.Interval.Low != before.Interval.Low ? look.At : low;
            high = test.Interval.High != before.Interval.High ? look.At : high;
            pValue = test.PValue != before.PValue ? look.At : pValue;
        }

        foreach (var at in new[] { low, high, pValue })
        {
            if (at is { } moment)
                bearing?.Add(moment);
        }

        return new(design.Baseline, challenger, test);
    }

    /// <summary>
    /// How far back a limit shared with the baseline is judged again: counted since the experiment began, a baseline
    /// past a limit through an early outage would stay past it for days, and a challenger failing on its own since
    /// would run on beside it.
    /// </summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(1);

    /// <summary>Two arms over a recent span of the experiment: what each did since a kept look.</summary>
    private sealed record Span(ArmMetrics Arm, ArmMetrics Baseline, TimeSpan Length);

    /// <summary>
    /// The arm and the baseline since <paramref name="look"/>, or null when there is no look a day old, the newest is
    /// over two days old (the guard was down, or snapshots are taken or kept more sparsely than the defaults), or a
    /// count fell since (which none of these counts should, and a difference could not be trusted then).
    /// </summary>
    private static Span? Recently(ArmMetrics arm, ArmMetrics baseline, ExperimentSnapshot? look, DateTimeOffset at)
    {
        if (look is null || at - look.At > 2 * RecentWindow)
        {
            return null;
        }

        return Since(arm, look) is { } armSince && Since(baseline, look) is { } baselineSince ? new(armSince, baselineSince, at - look.At) : null;

        static ArmMetrics? Since(ArmMetrics now, ExperimentSnapshot look)
        {
            var then = look.Arms.FirstOrDefault(m => m.Arm == now.Arm) ?? ArmMetrics.Empty(now.Arm);
            if (then.Feedbacks > now.Feedbacks || then.Fallbacks > now.Fallbacks || then.SchemaFailures > now.SchemaFailures
                || then.Latency.Counts.Zip(now.Latency.Counts).Any(pair => pair.First > pair.Second))
            {
                return null;
            }

            return ArmMetrics.Empty(now.Arm) with
            {
                Feedbacks = now.Feedbacks - then.Feedbacks,
                Fallbacks = now.Fallbacks - then.Fallbacks,
                SchemaFailures = now.SchemaFailures - then.SchemaFailures,
                Latency = new([.. now.Latency.Counts.Zip(then.Latency.Counts, (a, b) => a - b)]),
            };
        }
    }

    /// <summary>
    /// The limits <paramref name="arm"/> is past. A rate limit the baseline is past too is shared unless the arm is surely
    /// past the baseline by more than the limit itself (<see cref="SurelyWorseBy"/>); a latency limit likewise once the
    /// baseline has as many judged answers as the limits need, unless the low end of the arm's p95 is past the high end
    /// of the baseline's by more than the limit. An LLM outage that sends every arm to the offline judge must not stop
    /// every challenger, while an arm failing at 90% beside a baseline at 25% is still its prompt's doing. Cost is the
    /// arm's own tokens, so it is never shared.
    /// </summary>
    /// <param name="helpful">The arm against the baseline on helpful share, whatever the primary metric.</param>
    /// <param name="recent">
    /// Both arms since the newest kept look at least <see cref="RecentWindow"/> old (see <see cref="Recently"/>). A limit
    /// shared since the start is the arm's own when, over that span, both arms have as many answers as the limits need,
    /// the arm is past the limit, the baseline does not share it, and the arm is surely worse than the baseline.
    /// </param>
    private static IEnumerable<GuardrailBreach> Breached(ExperimentDesign design, ArmMetrics arm, ArmMetrics baseline, ArmComparison helpful, IReadOnlyDictionary<string, ModelPrice> prices, Span? recent)
    {
        var limits = design.Guardrails;
        if (limits.StopWhenHelpfulShareWorse && helpful.Test.Decision == ShareDecision.AWins)
            yield return new(arm.Arm, "helpful-share", $"rated less helpful than {design.Baseline} by the always-valid test ({Points(helpful.Test.Interval.Low)} to {Points(helpful.Test.Interval.High)} points)");
        if (arm.Feedbacks < limits.MinimumFeedbacks)
            yield break;
        if (limits.MaxFallbackRate is { } maxFallback && arm.FallbackRate > maxFallback)
        {
            var sinceTheStart = FallbacksShared(arm, baseline, maxFallback);
            var own = sinceTheStart && OwnRecently(span => span.Arm.FallbackRate > maxFallback && !FallbacksShared(span.Arm, span.Baseline, maxFallback)
                && SurelyWorseBy(span.Arm.Fallbacks, span.Arm.Feedbacks, span.Baseline.Fallbacks, span.Baseline.Feedbacks, perAnswer: false) > 0);
            var shared = sinceTheStart && !own;
            yield return new(
                arm.Arm,
                "fallback-rate",
                string.Create(CultureInfo.InvariantCulture, $"fell back to the offline judge on {arm.FallbackRate:P0} of answers (limit {maxFallback:P0})")
                    + (own ? string.Create(CultureInfo.InvariantCulture, $"; {recent!.Arm.FallbackRate:P0} over the last {recent.Length.TotalHours:0} h, {design.Baseline} {recent.Baseline.FallbackRate:P0}") : ""),
                shared ? string.Create(CultureInfo.InvariantCulture, $"{design.Baseline} fell back on {baseline.FallbackRate:P0}") : null);
        }

        if (limits.MaxSchemaFailureRate is { } maxSchema && arm.SchemaFailureRate > maxSchema)
        {
            var sinceTheStart = SchemaFailuresShared(arm, baseline, maxSchema);
            var own = sinceTheStart && OwnRecently(span => span.Arm.SchemaFailureRate > maxSchema && !SchemaFailuresShared(span.Arm, span.Baseline, maxSchema)
                && SurelyWorseBy(span.Arm.SchemaFailures, span.Arm.Feedbacks, span.Baseline.SchemaFailures, span.Baseline.Feedbacks, perAnswer: true) > 0);
            var shared = sinceTheStart && !own;
            yield return new(
                arm.Arm,
                "schema-failures",
                string.Create(CultureInfo.InvariantCulture, $"{arm.SchemaFailureRate:0.00} invalid replies per answer (limit {maxSchema:0.00})")
                    + (own ? string.Create(CultureInfo.InvariantCulture, $"; {recent!.Arm.SchemaFailureRate:0.00} over the last {recent.Length.TotalHours:0} h, {design.Baseline} {recent.Baseline.SchemaFailureRate:0.00}") : ""),
                shared ? string.Create(CultureInfo.InvariantCulture, $"{design.Baseline} had {baseline.SchemaFailureRate:0.00}") : null);
        }

        // Breached only when even the low end of the p95's bucket is at the limit: the bucket's top can be 25% above the
        // real p95, and calls all taking 8.5 s would otherwise be called over a 10 s limit and stopped.
        if (limits.MaxP95LatencySeconds is { } maxLatency && arm.Latency.QuantileRangeSeconds(0.95) is { } p95 && p95.Low >= maxLatency)
        {
            var baselineP95 = baseline.Latency.QuantileRangeSeconds(0.95) ?? (0, 0);
            var sinceTheStart = LatencyShared(arm, baseline, limits.MinimumFeedbacks, maxLatency);
            var own = sinceTheStart && OwnRecently(span => LowP95(span.Arm) >= maxLatency && !LatencyShared(span.Arm, span.Baseline, limits.MinimumFeedbacks, maxLatency)
                && LowP95(span.Arm) > span.Baseline.Latency.QuantileRangeSeconds(0.95)?.High);
            var shared = sinceTheStart && !own;
            yield return new(
                arm.Arm,
                "p95-latency",
                string.Create(CultureInfo.InvariantCulture, $"5% of answers took more than {p95.Low:0.0#} s to judge (p95 between {p95.Low:0.0#} and {p95.High:0.0#} s; limit {maxLatency:0.0#} s)")
                    + (own ? string.Create(CultureInfo.InvariantCulture, $"; more than {LowP95(recent!.Arm):0.0#} s over the last {recent.Length.TotalHours:0} h, {design.Baseline} at most {recent.Baseline.Latency.QuantileRangeSeconds(0.95)?.High:0.0#} s") : ""),
                shared ? string.Create(CultureInfo.InvariantCulture, $"{design.Baseline}'s p95 is between {baselineP95.Low:0.0#} and {baselineP95.High:0.0#} s") : null);
        }

        if (limits.MaxCostPerFeedback is { } maxCost && arm.CostPerFeedback(prices) is { } cost && cost > maxCost)
            yield return new(arm.Arm, "cost-per-feedback", string.Create(CultureInfo.InvariantCulture, $"{cost:0.0000} per feedback (limit {maxCost:0.0000})"));

        bool OwnRecently(Func<Span, bool> past) =>
            recent is { } span && span.Arm.Feedbacks >= limits.MinimumFeedbacks && span.Baseline.Feedbacks >= limits.MinimumFeedbacks && past(span);
    }

    private static double? LowP95(ArmMetrics arm) => arm.Latency.QuantileRangeSeconds(0.95)?.Low;

    private static bool FallbacksShared(ArmMetrics arm, ArmMetrics baseline, double limit) =>
        RateShared(arm.Fallbacks, arm.Feedbacks, baseline.Fallbacks, baseline.Feedbacks, perAnswer: false, limit);

    private static bool SchemaFailuresShared(ArmMetrics arm, ArmMetrics baseline, double limit) =>
        RateShared(arm.SchemaFailures, arm.Feedbacks, baseline.SchemaFailures, baseline.Feedbacks, perAnswer: true, limit);

    /// <summary>The baseline is past the limit too, and the arm is not surely past the baseline by more than the limit.</summary>
    private static bool RateShared(long armCount, long armAnswers, long baselineCount, long baselineAnswers, bool perAnswer, double limit) =>
        baselineAnswers > 0 && (double)baselineCount / baselineAnswers > limit
        && SurelyWorseBy(armCount, armAnswers, baselineCount, baselineAnswers, perAnswer) <= limit;

    /// <summary>The baseline has the answers the limits need and its p95 is past the limit too, and the arm's is not past it by more than the limit.</summary>
    private static bool LatencyShared(ArmMetrics arm, ArmMetrics baseline, long minimumFeedbacks, double limit)
    {
        var armP95 = arm.Latency.QuantileRangeSeconds(0.95) ?? (0, 0);
        var baselineP95 = baseline.Latency.QuantileRangeSeconds(0.95) ?? (0, 0);
        return baseline.Feedbacks >= minimumFeedbacks && baselineP95.Low >= limit && armP95.Low - baselineP95.High < limit;
    }

    /// <summary>
    /// How much worse the arm's rate is than the baseline's at least, one-sided at 99%: the difference less 2.33 standard
    /// errors. A share (answers that fell back) is estimated with one success and one failure added to each side
    /// (Agresti–Caffo), so a side at 0% or 100% of a few answers is not taken for certain; a count per answer (invalid
    /// replies, which can exceed one) as a Poisson rate with one event added.
    /// </summary>
    private static double SurelyWorseBy(long armCount, long armAnswers, long baselineCount, long baselineAnswers, bool perAnswer)
    {
        const double Z = 2.326;
        if (perAnswer)
        {
            var difference = (double)armCount / armAnswers - (double)baselineCount / baselineAnswers;
            var error = Math.Sqrt((armCount + 1.0) / ((double)armAnswers * armAnswers) + (baselineCount + 1.0) / ((double)baselineAnswers * baselineAnswers));
            return difference - Z * error;
        }

        var armShare = (armCount + 1.0) / (armAnswers + 2);
        var baselineShare = (baselineCount + 1.0) / (baselineAnswers + 2);
        var shareError = Math.Sqrt(armShare * (1 - armShare) / (armAnswers + 2) + baselineShare * (1 - baselineShare) / (baselineAnswers + 2));
        return armShare - baselineShare - Z * shareError;
    }
}
