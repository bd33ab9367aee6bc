using Moq;

namespace Mockingbird.Experiments.Tests;

/// <summary>
/// What an experiment keeps of its looks: enough that a decision once shown is never taken back, and no more than a
/// bounded history however long it runs.
/// </summary>
public sealed class KeptLooksTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static readonly ExperimentDesign Design = new(
        "judge-design-2026-12",
        "judge-design",
        "v1",
        [new("v1", 1), new("v2", 1)],
        PrimaryMetric.HelpfulShare,
        SmallestDifference: 0.1,
        Alpha: 0.05,
        new Guardrails());

    private sealed record Catalog(IReadOnlyList<ExperimentDesign> Designs) : IExperimentCatalog;

    private static readonly Dictionary<string, ModelPrice> NoPrices = [];

    private static ExperimentReports ReportsOn(IExperimentStore store, TimeProvider time) => new(new Catalog([Design]), store, NoPrices, time);

    private static ArmMetrics Rated(string arm, long helpful, long raters) => ArmMetrics.Empty(arm) with { HelpfulRaters = new(helpful, raters) };

    private static ExperimentSnapshot Look(DateTimeOffset at, long baselineHelpful, long challengerHelpful, long raters) =>
        new(at, [Rated("v1", baselineHelpful, raters), Rated("v2", challengerHelpful, raters)]);

    private static ExperimentReport Report(IReadOnlyList<ExperimentSnapshot> kept, DateTimeOffset at) =>
        ExperimentReport.Build(Design, kept[^1].Arms, kept.SkipLast(1).ToList(), ExperimentControl.Empty, NoPrices, at);

    /// <summary>Candidates rating their own feedback: <paramref name="helpful"/> of <paramref name="raters"/> new ones mostly 👍.</summary>
    private static async Task RateAsync(InMemoryExperimentStore store, string arm, int helpful, int raters, DateTimeOffset at)
    {
        for (var i = 0; i < raters; i++)
        {
            var rater = $"{arm}-{at.Ticks}-{i}";
            await store.RecordAsync(new ArmVote(Design.Id, arm, rater, $"feedback-{rater}", i < helpful, at), default);
        }
    }

    [Fact]
    public async Task A_decision_a_report_has_shown_is_kept_so_a_later_report_whose_own_look_would_not_decide_still_shows_it()
    {
        var store = new InMemoryExperimentStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var reports = ReportsOn(store, time);
        await RateAsync(store, "v1", helpful: 100, raters: 200, Start);
        await RateAsync(store, "v2", helpful: 150, raters: 200, Start);

        var first = (await reports.ReportAsync(Design.Id, default))!;

        Assert.Equal(ShareDecision.BWins, first.Comparisons.Single().Test.Decision);
        Assert.Single(await store.SnapshotsAsync(Design.Id, default));

        // The arms draw level in the next hour: that look alone would say "not enough data".
        time.Advance(TimeSpan.FromMinutes(20));
        await RateAsync(store, "v1", helpful: 50, raters: 100, time.GetUtcNow());
        await RateAsync(store, "v2", helpful: 0, raters: 100, time.GetUtcNow());
        var levelAlone = ExperimentReport.Build(Design, await store.MetricsAsync(Design.Id, time.GetUtcNow(), default), [], ExperimentControl.Empty, NoPrices, time.GetUtcNow());
        Assert.Equal(ShareDecision.NotEnoughData, levelAlone.Comparisons.Single().Test.Decision);

        var later = (await reports.ReportAsync(Design.Id, default))!;

        Assert.Equal(ShareDecision.BWins, later.Comparisons.Single().Test.Decision);
        Assert.Equal(first.Comparisons.Single().Test.Interval.Low, later.Comparisons.Single().Test.Interval.Low);
        Assert.False(later.MomentDecides);
        Assert.Single(await store.SnapshotsAsync(Design.Id, default));
    }

    [Fact]
    public async Task A_report_that_decides_nothing_new_keeps_no_look_of_its_own()
    {
        var store = new InMemoryExperimentStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var reports = ReportsOn(store, time);
        await RateAsync(store, "v1", helpful: 20, raters: 40, Start);
        await RateAsync(store, "v2", helpful: 21, raters: 40, Start);

        for (var minute = 0; minute < 5; minute++)
        {
            var report = (await reports.ReportAsync(Design.Id, default))!;
            Assert.Equal(ShareDecision.NotEnoughData, report.Comparisons.Single().Test.Decision);
            Assert.False(report.MomentDecides);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Empty(await store.SnapshotsAsync(Design.Id, default));
    }

    [Fact]
    public async Task A_store_that_cannot_keep_the_deciding_look_still_gets_its_report_marked_as_not_kept()
    {
        var store = new Mock<IExperimentStore>();
        store.Setup(s => s.SnapshotsAsync(Design.Id, default)).ReturnsAsync([]);
        store.Setup(s => s.ControlAsync(default)).ReturnsAsync(ExperimentControl.Empty);
        store.Setup(s => s.MetricsAsync(Design.Id, Start, default)).ReturnsAsync([Rated("v1", 100, 200), Rated("v2", 150, 200)]);
        store.Setup(s => s.AddSnapshotAsync(Design.Id, It.IsAny<string>(), It.IsAny<ExperimentSnapshot>(), default))
            .ThrowsAsync(new InvalidOperationException("OOM command not allowed when used memory > 'maxmemory'"));
        var reports = ReportsOn(store.Object, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start));

        var report = (await reports.ReportAsync(Design.Id, default))!;

        Assert.Equal(ShareDecision.BWins, report.Comparisons.Single().Test.Decision);
        Assert.True(report.MomentNotKept);
        Assert.Contains("could not save the look this decision comes from", ExperimentReportText.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_on_a_host_whose_clock_is_behind_a_kept_look_sorts_its_own_look_after_it()
    {
        var store = new InMemoryExperimentStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var reports = ReportsOn(store, time);
        await RateAsync(store, "v1", helpful: 20, raters: 40, Start);
        await RateAsync(store, "v2", helpful: 20, raters: 40, Start);
        var ahead = Start.AddMinutes(1);
        await store.AddSnapshotAsync(Design.Id, "ahead", new ExperimentSnapshot(ahead, await store.MetricsAsync(Design.Id, ahead, default)), default);
        await RateAsync(store, "v1", helpful: 100, raters: 200, Start);
        await RateAsync(store, "v2", helpful: 150, raters: 200, Start);

        var report = (await reports.ReportAsync(Design.Id, default))!;

        Assert.True(report.MomentDecides);
        Assert.True(report.At > ahead);
        var kept = await store.SnapshotsAsync(Design.Id, default);
        Assert.Equal(report.At, kept[^1].At);
        Assert.Equal(ShareDecision.BWins, ExperimentReport.Build(Design, [], kept, ExperimentControl.Empty, NoPrices, report.At.AddHours(1)).Comparisons.Single().Test.Decision);
    }

    [Fact]
    public void An_arm_stopped_on_a_look_that_found_it_less_helpful_is_a_look_that_decides()
    {
        var report = Report([Look(Start, baselineHelpful: 150, challengerHelpful: 90, raters: 200)], Start);

        Assert.Equal("helpful-share", Assert.Single(report.Breaches).Guardrail);
        Assert.True(report.MomentDecides);
    }

    [Fact]
    public void A_month_of_hourly_snapshots_thins_to_the_last_week_the_first_of_each_day_and_the_looks_the_replay_ends_on()
    {
        // Raters arrive steadily and the challenger is a little better; some hours drift the other way.
        var all = Enumerable.Range(0, 30 * 24).Select(hour =>
        {
            var raters = 40 + (hour * 3);
            var drift = hour % 7 == 3 ? -6 : 0;
            return Look(Start.AddHours(hour), raters / 2, (raters * 56 / 100) + drift, raters);
        }).ToList();
        var now = all[^1].At;

        var surplus = SnapshotThinning.Surplus(Design, all, now, TimeSpan.FromDays(7));
        var kept = all.Where(s => !surplus.Contains(s.At)).ToList();

        Assert.InRange(kept.Count, (7 * 24) + 24, (7 * 24) + 24 + 6);
        Assert.All(all.Where(s => now - s.At < TimeSpan.FromDays(7)), s => Assert.Contains(s, kept));
        Assert.All(all.GroupBy(s => s.At.Date).Select(day => day.First()), s => Assert.Contains(s, kept));
        var whole = Report(all, now).Comparisons.Single().Test;
        var thinned = Report(kept, now).Comparisons.Single().Test;
        Assert.Equal(whole.Interval, thinned.Interval);
        Assert.Equal(whole.PValue, thinned.PValue);
        Assert.Equal(whole.Decision, thinned.Decision);
    }

    [Fact]
    public void Thinning_keeps_the_look_a_forgotten_persons_smaller_counts_are_skipped_against()
    {
        // Raters forgotten between looks make later counts smaller than earlier ones, and the replay skips such a
        // look. Removing the earlier look would let the smaller one in, and it would then skip the look that decided.
        var all = new List<ExperimentSnapshot>
        {
            Look(Start, 10, 10, 20),
            Look(Start.AddHours(1), 50, 50, 100),
            new(Start.AddHours(12), [Rated("v1", 49, 99), Rated("v2", 51, 101)]),
            new(Start.AddHours(13), [Rated("v1", 60, 120), Rated("v2", 80, 100)]),
        };
        all.AddRange(Enumerable.Range(2, 9).Select(day => Look(Start.AddDays(day), 100, 110, 200)));
        var now = all[^1].At;
        var decided = Report(all, now).Comparisons.Single().Test;
        Assert.Equal(ShareDecision.BWins, decided.Decision);

        var surplus = SnapshotThinning.Surplus(Design, all, now, TimeSpan.FromDays(7));
        var kept = all.Where(s => !surplus.Contains(s.At)).ToList();

        var thinned = Report(kept, now).Comparisons.Single().Test;
        Assert.Equal(ShareDecision.BWins, thinned.Decision);
        Assert.Equal(decided.Interval, thinned.Interval);
        Assert.Equal(decided.PValue, thinned.PValue);
    }

    [Fact]
    public void Thinning_keeps_what_the_replay_needs_on_every_metric_not_only_the_primary()
    {
        // Decided on the helpful share, but an admin may switch the primary to the finished share later.
        var all = Enumerable.Range(0, 20 * 24).Select(hour =>
        {
            var n = 40 + (hour * 2);
            var finishedDrift = hour == 30 ? n / 4 : 0;
            return new ExperimentSnapshot(Start.AddHours(hour), [
                ArmMetrics.Empty("v1") with { HelpfulRaters = new(n / 2, n), Candidates = n, CandidatesFinished = n / 2 },
                ArmMetrics.Empty("v2") with { HelpfulRaters = new(n / 2, n), Candidates = n, CandidatesFinished = (n * 6 / 10) + finishedDrift },
            ]);
        }).ToList();
        var now = all[^1].At;
        var byFinished = Design with { Primary = PrimaryMetric.FinishedShare };
        var whole = ExperimentReport.Build(byFinished, all[^1].Arms, all.SkipLast(1).ToList(), ExperimentControl.Empty, NoPrices, now).Comparisons.Single().Test;

        var surplus = SnapshotThinning.Surplus(Design, all, now, TimeSpan.FromDays(7));
        var kept = all.Where(s => !surplus.Contains(s.At)).ToList();

        Assert.Contains(all[30], kept);
        var thinned = ExperimentReport.Build(byFinished, kept[^1].Arms, kept.SkipLast(1).ToList(), ExperimentControl.Empty, NoPrices, now).Comparisons.Single().Test;
        Assert.Equal(whole.Interval, thinned.Interval);
        Assert.Equal(whole.PValue, thinned.PValue);
    }

    [Fact]
    public void A_decision_that_rests_on_an_old_look_between_days_survives_thinning()
    {
        // An early look, in the small hours, found the challenger far better; the daily ones since find it less so.
        // The interval's low end still comes from that early look, which is neither recent nor the first of its day.
        var early = Enumerable.Range(0, 24).Select(hour => hour == 13
            ? Look(Start.AddHours(hour), 100, 150, 200)
            : Look(Start.AddHours(hour), 10, 10, 20)).ToList();
        var daily = Enumerable.Range(1, 20).Select(day => Look(Start.AddDays(day), 100 + (day * 50), (200 + (day * 100)) * 65 / 100, 200 + (day * 100))).ToList();
        var all = early.Concat(daily).ToList();
        var now = all[^1].At;
        var decided = Report(all, now).Comparisons.Single().Test;
        Assert.Equal(ShareDecision.BWins, decided.Decision);

        var surplus = SnapshotThinning.Surplus(Design, all, now, TimeSpan.FromDays(7));
        var kept = all.Where(s => !surplus.Contains(s.At)).ToList();

        Assert.Contains(early[13], kept);
        Assert.Equal(decided.Interval, Report(kept, now).Comparisons.Single().Test.Interval);
    }
}
