namespace Mockingbird.Experiments.Tests;

public sealed class ExperimentReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static readonly ExperimentDesign Design = new(
        "judge-design-2026-12",
        "judge-design",
        "v1",
        [new("v1", 1), new("v2", 1)],
        PrimaryMetric.HelpfulShare,
        SmallestDifference: 0.1,
        Alpha: 0.05,
        new Guardrails(MaxFallbackRate: 0.2, MaxSchemaFailureRate: 0.1, MaxP95LatencySeconds: 10, MaxCostPerFeedback: 0.01m));

    private static readonly Dictionary<string, ModelPrice> Prices = new() { ["m"] = new("m", 1m, 0.5m, 4m) };

    private static ArmMetrics Rated(string arm, long helpful, long raters) => ArmMetrics.Empty(arm) with { HelpfulRaters = new(helpful, raters) };

    private static ExperimentReport Report(IReadOnlyList<ArmMetrics> now, IReadOnlyList<ExperimentSnapshot>? history = null, ExperimentControl? control = null, ExperimentDesign? design = null) =>
        ExperimentReport.Build(design ?? Design, now, history ?? [], control ?? ExperimentControl.Empty, Prices, Now);

    [Fact]
    public void The_planned_sample_is_the_fixed_horizon_sample_per_arm_for_the_declared_difference()
    {
        // Fleiss–Levin–Paik for 0.5 against 0.4 or 0.6 at two-sided α = 0.05 and 80% power.
        Assert.Equal(388, Report([]).PlannedPerArm);
    }

    [Fact]
    public void Three_arms_split_alpha_between_the_two_comparisons()
    {
        var design = Design with { Arms = [new("v1", 1), new("v2", 1), new("v3", 1)] };

        var report = Report([], design: design);

        Assert.Equal(0.025, design.AlphaPerComparison);
        Assert.Equal(["v2", "v3"], report.Comparisons.Select(c => c.Challenger));
        Assert.True(report.PlannedPerArm > 388);
    }

    [Fact]
    public void An_experiment_with_few_votes_says_not_enough_data_and_how_far_along_it_is()
    {
        var report = Report([Rated("v1", 10, 20), Rated("v2", 18, 20)]);

        Assert.Equal(ShareDecision.NotEnoughData, report.Comparisons.Single().Test.Decision);
        Assert.Equal("v2 vs v1: not enough data yet (20 of about 388 per arm planned)", report.Verdict);
    }

    [Fact]
    public void A_clear_difference_names_the_winner_with_its_interval()
    {
        var report = Report([Rated("v1", 200, 500), Rated("v2", 350, 500)]);

        var comparison = report.Comparisons.Single();
        Assert.Equal(ShareDecision.BWins, comparison.Test.Decision);
        Assert.StartsWith("v2 wins over v1 (+", report.Verdict, StringComparison.Ordinal);
        Assert.True(comparison.Test.Interval.Low > 0);
    }

    [Fact]
    public void The_decision_replays_every_kept_snapshot_so_the_interval_is_the_intersection_of_all_looks()
    {
        var history = new[]
        {
            new ExperimentSnapshot(Now.AddDays(-2), [Rated("v1", 100, 200), Rated("v2", 150, 200)]),
            new ExperimentSnapshot(Now.AddDays(-1), [Rated("v1", 200, 400), Rated("v2", 300, 400)]),
        };
        var onlyNow = Report([Rated("v1", 250, 500), Rated("v2", 300, 500)]);
        var replayed = Report([Rated("v1", 250, 500), Rated("v2", 300, 500)], history);

        Assert.Equal(3, replayed.History.Count);
        Assert.True(replayed.Comparisons.Single().Test.Interval.Low > onlyNow.Comparisons.Single().Test.Interval.Low);
        Assert.True(replayed.Comparisons.Single().Test.PValue <= onlyNow.Comparisons.Single().Test.PValue);
    }

    [Fact]
    public void A_look_whose_counts_shrank_after_someone_was_forgotten_is_skipped_rather_than_failing()
    {
        var history = new[] { new ExperimentSnapshot(Now.AddDays(-1), [Rated("v1", 100, 210), Rated("v2", 150, 210)]) };

        var report = Report([Rated("v1", 99, 209), Rated("v2", 150, 210)], history);

        Assert.Equal(210, report.Comparisons.Single().Test.A.Total);
    }

    [Fact]
    public void An_arm_rated_less_helpful_than_the_baseline_by_the_always_valid_test_is_a_breach()
    {
        var report = Report([Rated("v1", 350, 500), Rated("v2", 200, 500)]);

        var breach = Assert.Single(report.Breaches);
        Assert.Equal(("v2", "helpful-share"), (breach.Arm, breach.Guardrail));
    }

    [Fact]
    public void Rates_cost_and_latency_past_their_limits_are_breaches_once_the_arm_has_enough_feedback()
    {
        var latency = new long[LatencyHistogram.UpperBoundsSeconds.Count];
        latency[LatencyHistogram.BucketOf(TimeSpan.FromSeconds(30))] = 40;
        var harmful = ArmMetrics.Empty("v2") with
        {
            Feedbacks = 40,
            Fallbacks = 12,
            SchemaFailures = 8,
            Latency = new LatencyHistogram(latency),
            Tokens = [new("m", 400_000, 0, 10_000)],
        };

        var report = Report([ArmMetrics.Empty("v1"), harmful]);
        var early = Report([ArmMetrics.Empty("v1"), harmful with { Feedbacks = 19 }]);

        Assert.Equal(["fallback-rate", "schema-failures", "p95-latency", "cost-per-feedback"], report.Breaches.Select(b => b.Guardrail));
        Assert.Empty(early.Breaches);
    }

    [Fact]
    public void Limits_the_baseline_is_past_as_far_as_the_challenger_are_shown_as_shared_and_stop_nothing()
    {
        var slow = new long[LatencyHistogram.UpperBoundsSeconds.Count];
        slow[LatencyHistogram.BucketOf(TimeSpan.FromSeconds(30))] = 40;
        var outage = ArmMetrics.Empty("v1") with { Feedbacks = 40, Fallbacks = 36, SchemaFailures = 8, Latency = new LatencyHistogram(slow) };

        var report = Report([outage, outage with { Arm = "v2", Fallbacks = 38 }]);

        Assert.Empty(report.Breaches);
        Assert.Equal(["fallback-rate", "schema-failures", "p95-latency"], report.SharedBreaches.Select(b => b.Guardrail));
        var text = ExperimentReportText.Render(report);
        Assert.Contains("Guardrail shared with the baseline: v2 fell back to the offline judge on 95 % of answers (limit 20 %), and v1 fell back on 90 %.", text, StringComparison.Ordinal);
        Assert.Contains("so it is not stopped", text, StringComparison.Ordinal);
    }

    // An outage a day and more ago sent both arms to the offline judge on 90 of their first 100 answers.
    private static ExperimentSnapshot EarlyOutage(TimeSpan ago) => new(
        Now - ago,
        [ArmMetrics.Empty("v1") with { Feedbacks = 100, Fallbacks = 90 }, ArmMetrics.Empty("v2") with { Feedbacks = 100, Fallbacks = 90 }]);

    [Fact]
    public void A_challenger_falling_back_on_its_own_over_the_last_day_is_stopped_though_an_early_outage_keeps_the_baseline_past_the_limit()
    {
        // Since the outage the baseline fell back on 1 of 40 answers, the challenger on 30 of 40.
        var baseline = ArmMetrics.Empty("v1") with { Feedbacks = 140, Fallbacks = 91 };
        var challenger = ArmMetrics.Empty("v2") with { Feedbacks = 140, Fallbacks = 120 };

        // Before the outage, nothing yet: a day counted from there would be the whole experiment.
        var start = new ExperimentSnapshot(Now - TimeSpan.FromHours(47), [ArmMetrics.Empty("v1"), ArmMetrics.Empty("v2")]);

        var sinceTheStart = Report([baseline, challenger], [start, EarlyOutage(TimeSpan.FromHours(23))]);
        var overTheDay = Report([baseline, challenger], [start, EarlyOutage(TimeSpan.FromHours(25))]);

        Assert.Equal(["fallback-rate"], sinceTheStart.SharedBreaches.Select(b => b.Guardrail));
        var breach = Assert.Single(overTheDay.Breaches);
        Assert.Equal("fallback-rate", breach.Guardrail);
        Assert.Contains("75 % over the last 25 h, v1 3 %", breach.Reason, StringComparison.Ordinal);
        Assert.Empty(overTheDay.SharedBreaches);
    }

    [Fact]
    public void An_outage_still_going_on_over_the_last_day_stays_shared_while_the_challenger_is_not_worse_by_the_limit()
    {
        // Over the day: the baseline 200 of 400 answers, the challenger 260 of 400, surely worse but by less than 20 points.
        var baseline = ArmMetrics.Empty("v1") with { Feedbacks = 500, Fallbacks = 290 };
        var challenger = ArmMetrics.Empty("v2") with { Feedbacks = 500, Fallbacks = 350 };

        var report = Report([baseline, challenger], [EarlyOutage(TimeSpan.FromHours(25))]);

        Assert.Empty(report.Breaches);
        Assert.Equal(["fallback-rate"], report.SharedBreaches.Select(b => b.Guardrail));
    }

    [Theory]
    [InlineData(110, 90, 120, 25)] // 10 baseline answers over the day, fewer than the limits need
    [InlineData(140, 91, 120, 49)] // the newest look over a day old is two days old
    [InlineData(140, 97, 99, 25)] // over the day 7 of 40 against 9 of 40: past the limit, not surely worse
    [InlineData(140, 91, 92, 25)] // the challenger recovered with the baseline: 2 of 40 against 1 of 40
    public void A_day_that_does_not_show_the_challenger_failing_on_its_own_leaves_a_shared_limit_shared(long baselineFeedbacks, long baselineFallbacks, long challengerFallbacks, int lookHoursAgo)
    {
        var baseline = ArmMetrics.Empty("v1") with { Feedbacks = baselineFeedbacks, Fallbacks = baselineFallbacks };
        var challenger = ArmMetrics.Empty("v2") with { Feedbacks = 140, Fallbacks = challengerFallbacks };

        var report = Report([baseline, challenger], [EarlyOutage(TimeSpan.FromHours(lookHoursAgo))]);

        Assert.Empty(report.Breaches);
        Assert.Equal(["fallback-rate"], report.SharedBreaches.Select(b => b.Guardrail));
    }

    [Fact]
    public void A_look_with_a_count_above_todays_is_not_read_as_a_day()
    {
        var baseline = ArmMetrics.Empty("v1") with { Feedbacks = 140, Fallbacks = 91 };
        var challenger = ArmMetrics.Empty("v2") with { Feedbacks = 140, Fallbacks = 120 };
        var look = EarlyOutage(TimeSpan.FromHours(25));
        var counted = look with { Arms = [look.Arms[0] with { Fallbacks = 95 }, look.Arms[1]] };

        Assert.Single(Report([baseline, challenger], [look]).Breaches);
        Assert.Empty(Report([baseline, challenger], [counted]).Breaches);
    }

    [Fact]
    public void A_challenger_with_invalid_replies_of_its_own_over_the_last_day_is_stopped()
    {
        var outage = new ExperimentSnapshot(
            Now - TimeSpan.FromHours(25),
            [ArmMetrics.Empty("v1") with { Feedbacks = 100, SchemaFailures = 100 }, ArmMetrics.Empty("v2") with { Feedbacks = 100, SchemaFailures = 100 }]);
        var baseline = ArmMetrics.Empty("v1") with { Feedbacks = 140, SchemaFailures = 101 };
        var challenger = ArmMetrics.Empty("v2") with { Feedbacks = 140, SchemaFailures = 130 };

        var report = Report([baseline, challenger], [outage]);
        var sinceTheStart = Report([baseline, challenger], [outage with { At = Now - TimeSpan.FromHours(23) }]);

        var breach = Assert.Single(report.Breaches);
        Assert.Equal("schema-failures", breach.Guardrail);
        Assert.Contains("0.75 over the last 25 h, v1 0.03", breach.Reason, StringComparison.Ordinal);
        Assert.Equal(["schema-failures"], sinceTheStart.SharedBreaches.Select(b => b.Guardrail));
    }

    [Fact]
    public void A_challenger_slow_on_its_own_over_the_last_day_is_stopped_though_an_early_slowdown_keeps_the_baseline_past_the_limit()
    {
        static LatencyHistogram Took(params (double Seconds, long Calls)[] calls)
        {
            var counts = new long[LatencyHistogram.UpperBoundsSeconds.Count];
            foreach (var (seconds, count) in calls)
                counts[LatencyHistogram.BucketOf(TimeSpan.FromSeconds(seconds))] += count;
            return new(counts);
        }

        var slowDay = new ExperimentSnapshot(
            Now - TimeSpan.FromHours(25),
            [ArmMetrics.Empty("v1") with { Feedbacks = 100, Latency = Took((60, 100)) }, ArmMetrics.Empty("v2") with { Feedbacks = 100, Latency = Took((60, 100)) }]);
        var baseline = ArmMetrics.Empty("v1") with { Feedbacks = 140, Latency = Took((60, 100), (2, 40)) };
        var challenger = ArmMetrics.Empty("v2") with { Feedbacks = 140, Latency = Took((60, 100), (30, 40)) };

        var report = Report([baseline, challenger], [slowDay]);
        var sinceTheStart = Report([baseline, challenger], [slowDay with { At = Now - TimeSpan.FromHours(23) }]);

        // Over the day the baseline's p95 is under 10.59 s and the challenger's over it: not surely worse.
        var nearly = Report([baseline with { Latency = Took((60, 100), (9.5, 40)) }, challenger with { Latency = Took((60, 100), (11, 40)) }], [slowDay]);

        var breach = Assert.Single(report.Breaches);
        Assert.Equal("p95-latency", breach.Guardrail);
        Assert.Contains(" s over the last 25 h, v1 at most ", breach.Reason, StringComparison.Ordinal);
        Assert.Equal(["p95-latency"], sinceTheStart.SharedBreaches.Select(b => b.Guardrail));
        Assert.Equal(["p95-latency"], nearly.SharedBreaches.Select(b => b.Guardrail));
    }

    [Fact]
    public void A_challenger_past_a_failing_baseline_by_more_than_the_limit_is_still_stopped()
    {
        var fast = new long[LatencyHistogram.UpperBoundsSeconds.Count];
        fast[LatencyHistogram.BucketOf(TimeSpan.FromSeconds(12))] = 40;
        var slow = new long[LatencyHistogram.UpperBoundsSeconds.Count];
        slow[LatencyHistogram.BucketOf(TimeSpan.FromSeconds(60))] = 40;
        var baseline = ArmMetrics.Empty("v1") with { Feedbacks = 40, Fallbacks = 10, SchemaFailures = 5, Latency = new LatencyHistogram(fast) };
        var broken = ArmMetrics.Empty("v2") with { Feedbacks = 40, Fallbacks = 36, SchemaFailures = 40, Latency = new LatencyHistogram(slow) };

        var report = Report([baseline, broken]);

        Assert.Equal(["fallback-rate", "schema-failures", "p95-latency"], report.Breaches.Select(b => b.Guardrail));
        Assert.Empty(report.SharedBreaches);
    }

    [Fact]
    public void A_baseline_of_a_few_answers_all_failing_shares_the_limit_one_with_none_shares_nothing_and_cost_is_never_shared()
    {
        var tokens = new[] { new ModelTokens("m", 400_000, 0, 10_000) };
        var failing = ArmMetrics.Empty("v2") with { Feedbacks = 40, Fallbacks = 40, Tokens = tokens };

        Assert.Equal(["cost-per-feedback"], Report([ArmMetrics.Empty("v1") with { Feedbacks = 3, Fallbacks = 3 }, failing]).Breaches.Select(b => b.Guardrail));
        Assert.Equal(["fallback-rate", "cost-per-feedback"], Report([ArmMetrics.Empty("v1"), failing]).Breaches.Select(b => b.Guardrail));
        Assert.Equal(["fallback-rate", "cost-per-feedback"], Report([ArmMetrics.Empty("v1") with { Feedbacks = 40, Fallbacks = 4 }, failing]).Breaches.Select(b => b.Guardrail));
        var costly = ArmMetrics.Empty("v1") with { Feedbacks = 40, Tokens = tokens };
        Assert.Equal(["cost-per-feedback"], Report([costly, costly with { Arm = "v2" }]).Breaches.Select(b => b.Guardrail));
    }

    [Theory]
    [InlineData(20, 12, 14, true)]
    [InlineData(20, 12, 20, false)]
    [InlineData(400, 240, 320, false)]
    [InlineData(400, 380, 400, true)]
    public void A_gap_the_answers_cannot_surely_tell_from_the_limit_is_shared_and_a_sure_one_is_not(int answers, int baselineFallbacks, int challengerFallbacks, bool shared)
    {
        var strict = Design with { Guardrails = new Guardrails(MaxFallbackRate: 0.05) };
        var report = Report(
            [ArmMetrics.Empty("v1") with { Feedbacks = answers, Fallbacks = baselineFallbacks }, ArmMetrics.Empty("v2") with { Feedbacks = answers, Fallbacks = challengerFallbacks }],
            design: strict);

        Assert.Equal(shared, report.SharedBreaches.Count == 1);
        Assert.Equal(!shared, report.Breaches.Count == 1);
    }

    [Theory]
    [InlineData(8.5, false)]
    [InlineData(12, true)]
    public void A_p95_latency_breach_is_called_only_when_the_p95_is_surely_above_the_limit(double seconds, bool breached)
    {
        var latency = new long[LatencyHistogram.UpperBoundsSeconds.Count];
        latency[LatencyHistogram.BucketOf(TimeSpan.FromSeconds(seconds))] = 20;
        var arm = ArmMetrics.Empty("v2") with { Feedbacks = 20, Latency = new LatencyHistogram(latency) };

        var report = Report([ArmMetrics.Empty("v1"), arm]);

        Assert.Equal(breached, report.Breaches.Any(b => b.Guardrail == "p95-latency"));
    }

    [Fact]
    public void The_text_report_shows_a_latency_quantile_as_the_histogram_bucket_holding_it()
    {
        var latency = new long[LatencyHistogram.UpperBoundsSeconds.Count];
        latency[LatencyHistogram.BucketOf(TimeSpan.FromSeconds(8.5))] = 20;

        var text = ExperimentReportText.Render(Report([ArmMetrics.Empty("v1"), ArmMetrics.Empty("v2") with { Feedbacks = 20, Latency = new LatencyHistogram(latency) }]));

        Assert.Contains("latency p50 8.47–10.59 s p95 8.47–10.59 s", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_baseline_and_stopped_arms_are_never_breaches()
    {
        var failing = ArmMetrics.Empty("v1") with { Feedbacks = 40, Fallbacks = 40 };
        var stoppedToo = ArmMetrics.Empty("v2") with { Feedbacks = 40, Fallbacks = 40 };
        var control = new ExperimentControl([new ArmStop(Design.Id, "v2", "fallbacks", "guardrail", Now)], new HashSet<string>());

        var report = Report([failing, stoppedToo], control: control);

        Assert.Empty(report.Breaches);
        Assert.Equal("fallbacks", report.Arms.Single(a => a.Metrics.Arm == "v2").Stop?.Reason);
    }

    [Fact]
    public void Every_declared_arm_is_reported_even_before_anything_was_recorded()
    {
        var report = Report([]);

        Assert.Equal(["v1", "v2"], report.Arms.Select(a => a.Metrics.Arm));
        Assert.True(report.Arms[0].IsBaseline);
    }

    [Fact]
    public void The_text_report_shows_the_design_the_decision_and_each_arm()
    {
        var text = ExperimentReportText.Render(Report([Rated("v1", 10, 20), Rated("v2", 18, 20) with { Feedbacks = 30, Fallbacks = 3 }]));

        Assert.Contains("baseline v1", text, StringComparison.Ordinal);
        Assert.Contains("planned sample about 388 per arm", text, StringComparison.Ordinal);
        Assert.Contains("Decision: v2 vs v1: not enough data yet", text, StringComparison.Ordinal);
        Assert.Contains("- v2: candidates finding their feedback helpful 90% of 20; 30 feedbacks, fallback 10%", text, StringComparison.Ordinal);
    }
}
