using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Experiments;
using Mockingbird.Host.Cli;

namespace Mockingbird.Host.Tests.Experiments;

// With the other CLI tests: they set environment variables the CLI reads.
[Collection(nameof(CliTests))]
public sealed class ExperimentsCliTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    /// <summary>An experiment with turns, votes and interviews in both arms, and its challenger stopped by a guardrail.</summary>
    private static async Task<ExperimentReports> SeededAsync()
    {
        var store = new InMemoryExperimentStore();
        await GuardedExperiment.RecordTurnsAsync(store, "v1", 20, fellBack: 1, Now);
        await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 10, Now);
        for (var rater = 0; rater < 4; rater++)
        {
            await store.RecordAsync(new ArmVote(GuardedExperiment.Id, "v1", $"rater-{rater}", $"feedback-{rater}", Helpful: rater < 3, Now), default);
        }

        await store.RecordAsync(new InterviewStep(GuardedExperiment.Id, "v1", "candidate-1", InterviewMilestone.Started, "session-1", Now), default);
        await store.StopAsync(new ArmStop(GuardedExperiment.Id, "v2", "fell back too often", "guardrail", Now), default);
        var prices = new Dictionary<string, ModelPrice> { ["gpt-test"] = new("gpt-test", 2, 1, 10) };
        return new ExperimentReports(GuardedExperiment.Catalog, store, prices, new FakeTimeProvider(Now));
    }

    private static async Task<(int Exit, string Out, string Error)> Print(Func<CliStreams, Task<int>> print)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await print(new CliStreams(new StringReader(string.Empty), output, error));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Report_prints_the_design_the_decision_every_arm_and_the_stop()
    {
        var reports = await SeededAsync();

        var (exit, output, _) = await Print(streams => MockingbirdCli.PrintReportAsync(reports, GuardedExperiment.Id, json: false, streams, default));

        Assert.Equal(MockingbirdCli.Ok, exit);
        Assert.StartsWith($"Experiment {GuardedExperiment.Id} on prompt judge, baseline v1", output, StringComparison.Ordinal);
        Assert.Contains("Decision: v2 vs v1: not enough data yet", output, StringComparison.Ordinal);
        Assert.Contains("- v1 (baseline): candidates finding their feedback helpful 75% of 4; 20 feedbacks, fallback 5%", output, StringComparison.Ordinal);
        Assert.Contains("cost per feedback $0.0040", output, StringComparison.Ordinal);
        Assert.Contains("- v2: ", output, StringComparison.Ordinal);
        Assert.Contains("stopped 2026-12-07 09:00 UTC by guardrail: fell back too often", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_json_has_the_documented_shape_with_arms_comparison_breaches_and_stops()
    {
        var reports = await SeededAsync();

        var (exit, output, _) = await Print(streams => MockingbirdCli.PrintReportAsync(reports, GuardedExperiment.Id, json: true, streams, default));

        Assert.Equal(MockingbirdCli.Ok, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(GuardedExperiment.Id, root.GetProperty("id").GetString());
        Assert.Equal("judge", root.GetProperty("prompt").GetString());
        Assert.Equal("v1", root.GetProperty("baseline").GetString());
        Assert.Equal("helpful-share", root.GetProperty("primaryMetric").GetString());
        Assert.Equal(0.1, root.GetProperty("smallestDifference").GetDouble());
        Assert.Equal(0.05, root.GetProperty("alpha").GetDouble());
        Assert.Equal(GuardedExperiment.Design.PlannedPerArm, root.GetProperty("plannedPerArm").GetInt64());
        Assert.Equal(Now, root.GetProperty("at").GetDateTimeOffset());
        Assert.StartsWith("v2 vs v1: not enough data yet", root.GetProperty("decision").GetString(), StringComparison.Ordinal);

        var arms = root.GetProperty("arms").EnumerateArray().ToList();
        Assert.Equal(["v1", "v2"], arms.Select(a => a.GetProperty("version").GetString()));
        var baseline = arms[0];
        Assert.True(baseline.GetProperty("isBaseline").GetBoolean());
        Assert.False(baseline.GetProperty("stopped").GetBoolean());
        Assert.Equal(3, baseline.GetProperty("primary").GetProperty("successes").GetInt64());
        Assert.Equal(4, baseline.GetProperty("primary").GetProperty("total").GetInt64());
        Assert.Equal(0.75, baseline.GetProperty("primary").GetProperty("share").GetDouble());
        Assert.Equal(20, baseline.GetProperty("feedbacks").GetInt64());
        Assert.Equal(0.05, baseline.GetProperty("fallbackRate").GetDouble());
        Assert.Equal(0, baseline.GetProperty("schemaFailureRate").GetDouble());
        Assert.True(baseline.GetProperty("latencyP95Seconds").GetDouble() >= 2);
        Assert.Equal(20_000, baseline.GetProperty("promptTokens").GetInt64());
        Assert.Equal(4_000, baseline.GetProperty("completionTokens").GetInt64());
        Assert.Equal(0.004m, baseline.GetProperty("costPerFeedback").GetDecimal());
        Assert.Equal(1, baseline.GetProperty("interviewsStarted").GetInt64());
        Assert.Equal(JsonValueKind.Null, arms[1].GetProperty("primary").GetProperty("share").ValueKind);
        Assert.True(arms[1].GetProperty("stopped").GetBoolean());

        var comparison = Assert.Single(root.GetProperty("comparisons").EnumerateArray());
        Assert.Equal("v1", comparison.GetProperty("baseline").GetString());
        Assert.Equal("v2", comparison.GetProperty("challenger").GetString());
        Assert.Equal("not-enough-data", comparison.GetProperty("decision").GetString());
        Assert.InRange(comparison.GetProperty("pValue").GetDouble(), 0, 1);
        Assert.True(comparison.GetProperty("intervalLow").GetDouble() <= comparison.GetProperty("intervalHigh").GetDouble());
        Assert.Equal(4, comparison.GetProperty("baselineShare").GetProperty("total").GetInt64());

        // The stopped arm is past its guardrail no longer: stops are listed, breaches are of arms still serving.
        Assert.Empty(root.GetProperty("breaches").EnumerateArray());
        var stop = Assert.Single(root.GetProperty("stops").EnumerateArray());
        Assert.Equal("v2", stop.GetProperty("arm").GetString());
        Assert.Equal("guardrail", stop.GetProperty("by").GetString());
        Assert.Equal("fell back too often", stop.GetProperty("reason").GetString());
        Assert.Equal(Now, stop.GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Report_json_lists_the_breaches_of_an_arm_still_serving()
    {
        var store = new InMemoryExperimentStore();
        await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 10, Now);
        var reports = new ExperimentReports(GuardedExperiment.Catalog, store, new Dictionary<string, ModelPrice>(), new FakeTimeProvider(Now));

        var (_, output, _) = await Print(streams => MockingbirdCli.PrintReportAsync(reports, GuardedExperiment.Id, json: true, streams, default));

        using var json = JsonDocument.Parse(output);
        var breach = Assert.Single(json.RootElement.GetProperty("breaches").EnumerateArray());
        Assert.Equal("v2", breach.GetProperty("arm").GetString());
        Assert.Equal("fallback-rate", breach.GetProperty("guardrail").GetString());
        Assert.Empty(json.RootElement.GetProperty("stops").EnumerateArray());
    }

    [Fact]
    public async Task Report_json_lists_a_limit_the_baseline_is_past_too_apart_from_the_breaches_that_stop_arms()
    {
        var store = new InMemoryExperimentStore();
        await GuardedExperiment.RecordTurnsAsync(store, "v1", 20, fellBack: 18, Now);
        await GuardedExperiment.RecordTurnsAsync(store, "v2", 20, fellBack: 20, Now);
        var reports = new ExperimentReports(GuardedExperiment.Catalog, store, new Dictionary<string, ModelPrice>(), new FakeTimeProvider(Now));

        var (_, output, _) = await Print(streams => MockingbirdCli.PrintReportAsync(reports, GuardedExperiment.Id, json: true, streams, default));

        using var json = JsonDocument.Parse(output);
        Assert.Empty(json.RootElement.GetProperty("breaches").EnumerateArray());
        var shared = Assert.Single(json.RootElement.GetProperty("sharedBreaches").EnumerateArray());
        Assert.Equal(("v2", "fallback-rate"), (shared.GetProperty("arm").GetString(), shared.GetProperty("guardrail").GetString()));
        Assert.Equal("v1 fell back on 90 %", shared.GetProperty("baseline").GetString());
    }

    [Fact]
    public async Task Report_json_gives_the_test_settings_the_experiment_started_with_and_what_the_edited_file_says()
    {
        var store = new InMemoryExperimentStore();
        await store.PinTestSettingsAsync(GuardedExperiment.Id, GuardedExperiment.Design.TestSettings.Format(), default);
        var edited = new GuardedExperiment.FixedCatalog(GuardedExperiment.Design with { Alpha = 0.2 });
        var reports = new ExperimentReports(edited, store, new Dictionary<string, ModelPrice>(), new FakeTimeProvider(Now));

        var (_, output, _) = await Print(streams => MockingbirdCli.PrintReportAsync(reports, GuardedExperiment.Id, json: true, streams, default));

        using var json = JsonDocument.Parse(output);
        Assert.Equal((0.05, 0.1), (json.RootElement.GetProperty("alpha").GetDouble(), json.RootElement.GetProperty("smallestDifference").GetDouble()));
        Assert.Equal(0.2, json.RootElement.GetProperty("editedTestSettings").GetProperty("alpha").GetDouble());
    }

    [Fact]
    public async Task Report_of_an_unknown_experiment_fails_naming_it_and_where_the_ids_are()
    {
        var reports = await SeededAsync();

        var (exit, output, error) = await Print(streams => MockingbirdCli.PrintReportAsync(reports, "no-such-experiment", json: true, streams, default));

        Assert.Equal(MockingbirdCli.Failed, exit);
        Assert.Empty(output);
        Assert.Contains("No experiment 'no-such-experiment'", error, StringComparison.Ordinal);
        Assert.Contains("experiments list", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_prints_one_line_per_experiment_with_its_arms_and_where_it_stands()
    {
        var reports = await SeededAsync();

        var (exit, output, _) = await Print(streams => MockingbirdCli.PrintExperimentsAsync(reports, streams, default));

        Assert.Equal(MockingbirdCli.Ok, exit);
        Assert.StartsWith($"{GuardedExperiment.Id} — judge: v1, v2 (stopped). v2 vs v1: not enough data yet", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_without_redis_says_on_stderr_that_it_reads_an_empty_store_and_an_unknown_id_fails()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await MockingbirdCli.RunAsync(["experiments", "report", "no-such-experiment"], new CliStreams(new StringReader(string.Empty), output, error));

        Assert.Equal(MockingbirdCli.Failed, exit);
        Assert.Contains("No Redis configured", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("No experiment 'no-such-experiment'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_command_runs_without_redis_and_says_what_it_read()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await MockingbirdCli.RunAsync(["experiments", "list"], new CliStreams(new StringReader(string.Empty), output, error));

        Assert.Equal(MockingbirdCli.Ok, exit);
        Assert.NotEmpty(output.ToString());
        Assert.Contains("No Redis configured", error.ToString(), StringComparison.Ordinal);
    }
}
