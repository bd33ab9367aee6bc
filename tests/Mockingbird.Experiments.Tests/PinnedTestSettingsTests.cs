using Microsoft.Extensions.Time.Testing;

namespace Mockingbird.Experiments.Tests;

/// <summary>
/// An always-valid test is valid for the α, δ and τ² it started with: an admin who loosens them after seeing the data
/// must not turn "not enough data" into a winner.
/// </summary>
public sealed class PinnedTestSettingsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static readonly ExperimentDesign Declared = new(
        "judge-design-2026-12",
        "judge-design",
        "v1",
        [new("v1", 1), new("v2", 1)],
        PrimaryMetric.HelpfulShare,
        SmallestDifference: 0.1,
        Alpha: 0.05,
        new Guardrails());

    private static readonly ExperimentDesign Loosened = Declared with { Alpha = 0.4, SmallestDifference = 0.2 };

    private sealed record Catalog(IReadOnlyList<ExperimentDesign> Designs) : IExperimentCatalog;

    private static ExperimentReports ReportsOf(ExperimentDesign design, IExperimentStore store) =>
        new(new Catalog([design]), store, new Dictionary<string, ModelPrice>(), new FakeTimeProvider(Start));

    /// <summary>Arms whose difference is clear at α 0.4 but not at 0.05.</summary>
    private static async Task<InMemoryExperimentStore> RatedAsync()
    {
        var store = new InMemoryExperimentStore();
        foreach (var (arm, helpful) in new[] { ("v1", 30), ("v2", 42) })
        {
            for (var i = 0; i < 60; i++)
            {
                await store.RecordAsync(new ArmVote(Declared.Id, arm, $"{arm}-rater-{i}", $"feedback-{arm}-{i}", i < helpful, Start), default);
            }
        }

        return store;
    }

    [Fact]
    public async Task A_report_tests_with_the_settings_its_experiment_started_with_after_the_file_loosens_them()
    {
        var store = await RatedAsync();
        await store.PinTestSettingsAsync(Declared.Id, Declared.TestSettings.Format(), default);
        var loosenedAlone = ExperimentReport.Build(Loosened, await store.MetricsAsync(Declared.Id, Start, default), [], ExperimentControl.Empty, new Dictionary<string, ModelPrice>(), Start);
        Assert.Equal(ShareDecision.BWins, loosenedAlone.Comparisons.Single().Test.Decision);

        var report = (await ReportsOf(Loosened, store).ReportAsync(Declared.Id, default))!;

        Assert.Equal(ShareDecision.NotEnoughData, report.Comparisons.Single().Test.Decision);
        Assert.Equal(Declared.TestSettings, report.Design.TestSettings);
        Assert.Equal(Loosened.TestSettings, report.EditedTestSettings);
        Assert.Contains("now says α 0.4 split between 1 challenger, smallest difference 20 points", ExperimentReportText.Render(report), StringComparison.Ordinal);
        Assert.Contains("keeps the α 0.05 split between 1 challenger, 10 points and 0.01 it started with", ExperimentReportText.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_experiment_nothing_is_pinned_for_yet_is_tested_with_the_file_and_its_report_mentions_no_edit()
    {
        var store = await RatedAsync();

        var report = (await ReportsOf(Loosened, store).ReportAsync(Declared.Id, default))!;

        Assert.Equal(ShareDecision.BWins, report.Comparisons.Single().Test.Decision);
        Assert.Null(report.EditedTestSettings);
        Assert.DoesNotContain("experiments.yaml now says", ExperimentReportText.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_that_differ_from_the_pinned_ones_only_in_rounding_are_no_edit_and_the_pinned_ones_are_tested_with()
    {
        var store = await RatedAsync();
        await store.PinTestSettingsAsync(Declared.Id, Declared.TestSettings.Format(), default);

        var report = (await ReportsOf(Declared with { MixingVariance = 0.01 }, store).ReportAsync(Declared.Id, default))!;

        Assert.Null(report.EditedTestSettings);
        Assert.Equal(Declared.TestSettings, report.Design.TestSettings);
    }

    [Fact]
    public async Task A_pinned_value_that_cannot_be_read_leaves_the_file_in_force()
    {
        var store = await RatedAsync();
        await store.PinTestSettingsAsync(Declared.Id, "alpha=0.05;delta=ten", default);

        var report = (await ReportsOf(Loosened, store).ReportAsync(Declared.Id, default))!;

        Assert.Equal(Loosened.TestSettings, report.Design.TestSettings);
        Assert.Null(report.EditedTestSettings);
    }

    [Theory]
    [InlineData(0.05, 0.1, 0.01, 1)]
    [InlineData(0.1, 1.0 / 3, 1.0 / 9, 3)]
    [InlineData(1e-4, 0.0125, 0.000156, 12)]
    public void Settings_written_for_the_store_read_back_exactly(double alpha, double delta, double mixing, int comparisons)
    {
        var settings = new SequentialTestSettings(alpha, delta, mixing, comparisons);

        Assert.Equal(settings, SequentialTestSettings.Parse(settings.Format()));
    }

    [Fact]
    public async Task An_arm_taken_out_of_a_running_experiment_leaves_alpha_split_as_it_started()
    {
        var threeArms = Declared with { Arms = [new("v1", 1), new("v2", 1), new("v3", 1)] };
        var store = await RatedAsync();
        await store.PinTestSettingsAsync(Declared.Id, threeArms.TestSettings.Format(), default);

        var report = (await ReportsOf(Declared, store).ReportAsync(Declared.Id, default))!;

        Assert.Equal(0.025, report.Design.AlphaPerComparison, 12);
        Assert.Equal(0.05, Declared.AlphaPerComparison, 12);
        Assert.Equal(1, report.EditedTestSettings?.Comparisons);
        Assert.Contains("keeps the α 0.05 split between 2 challengers", ExperimentReportText.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_that_differ_only_in_rounding_are_the_same_test_and_any_real_change_is_not()
    {
        var defaulted = Declared.TestSettings;

        Assert.True(defaulted.SameTestAs(defaulted with { MixingVariance = 0.01 }));
        Assert.False(defaulted.SameTestAs(defaulted with { MixingVariance = 0.0101 }));
        Assert.False(defaulted.SameTestAs(defaulted with { Alpha = 0.050001 }));
        Assert.False(defaulted.SameTestAs(defaulted with { SmallestDifference = 0.11 }));
        Assert.False(defaulted.SameTestAs(defaulted with { Comparisons = 2 }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("alpha=0.05;delta=0.1")]
    [InlineData("alpha=0.05;delta=0.1;mixing=0.01")]
    [InlineData("alpha=0.05;delta=0.1;mixing=0.01;comparisons=0")]
    [InlineData("alpha=0.05;delta=0.1;mixing=0.01;comparisons=1.5")]
    [InlineData("alpha=0.05;delta=0.1;mixing=0.01;comparisons=1;alpha=0.1")]
    [InlineData("alpha=0.05;delta=0.1;tau=0.01")]
    [InlineData("alpha=0,05;delta=0.1;mixing=0.01")]
    [InlineData("v1=50,v2=50")]
    public void Text_not_in_the_stored_form_reads_as_no_settings(string text) => Assert.Null(SequentialTestSettings.Parse(text));
}
