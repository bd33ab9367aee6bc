using Mockingbird.Experiments;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Llm.Tests.Prompts;

public sealed class PromptExperimentsTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("experiments-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static PromptLibrary Library()
    {
        var (config, _) = PromptLibrary.Parse("x", "name: judge-design\ntemplate: '<message role=\"user\">hi</message>'\n");
        return new PromptLibrary([
            new PromptDefinition("judge-design", "v1", "h1", "judge-design/v1.yaml", config!),
            new PromptDefinition("judge-design", "v2", "h2", "judge-design/v2.yaml", config!),
        ]);
    }

    private (PromptExperiments Experiments, IReadOnlyList<PromptProblem> Problems) Load(string yaml, ExperimentControlCache? control = null)
    {
        var file = Path.Combine(_scratch, "experiments.yaml");
        File.WriteAllText(file, yaml);
        return PromptExperiments.Load(file, Library(), control);
    }

    private const string SeventyThirty = """
        experiments:
          - id: judge-design-2026-12
            prompt: judge-design
            smallest_difference: 0.1
            variants:
              - version: v1
                weight: 70
              - version: v2
                weight: 30
        """;

    [Fact]
    public void Without_an_experiment_everyone_gets_the_latest_version()
    {
        var choice = PromptExperiments.None(Library()).Choose("judge-design", "u-1");

        Assert.Equal(("v2", "default"), (choice!.Prompt.Version, choice.Variant));
    }

    [Fact]
    public void A_candidate_keeps_their_variant_on_every_call_and_every_instance()
    {
        var first = Load(SeventyThirty).Experiments;
        var second = Load(SeventyThirty).Experiments;

        var versions = string.Join(",", Enumerable.Range(0, 10).Select(user => first.Choose("judge-design", $"u-{user}")!.Prompt.Version));

        // Pinned (SHA-256 of "experiment:candidate", first 8 bytes big-endian, modulo the total weight): replicas and
        // releases must bucket a candidate the same way, which two loads in one process alone cannot show.
        Assert.Equal("v1,v1,v1,v2,v1,v1,v1,v2,v2,v1", versions);
        Assert.Equal(versions, string.Join(",", Enumerable.Range(0, 10).Select(user => second.Choose("judge-design", $"u-{user}")!.Prompt.Version)));
    }

    [Fact]
    public void Variants_follow_their_weights_within_two_points_over_ten_thousand_candidates()
    {
        var experiments = Load(SeventyThirty).Experiments;

        var v1 = Enumerable.Range(0, 10_000).Count(u => experiments.Choose("judge-design", $"user-{u}")!.Prompt.Version == "v1");

        Assert.InRange(v1, 6_800, 7_200);
    }

    [Fact]
    public void A_variant_records_its_experiment()
    {
        var experiments = Load(SeventyThirty).Experiments;

        var variants = Enumerable.Range(0, 50).Select(user => experiments.Choose("judge-design", $"u-{user}")!).Select(c => (c.Prompt.Version, c.Variant)).Distinct().Order();

        Assert.Equal([("v1", "judge-design-2026-12/v1"), ("v2", "judge-design-2026-12/v2")], variants);
    }

    [Theory]
    [InlineData("v3", "70", "does not exist")]
    [InlineData("v2", "0", "weights are positive")]
    public void An_experiment_naming_a_missing_version_or_a_non_positive_weight_is_a_problem(string version, string weight, string message)
    {
        var (_, problems) = Load(SeventyThirty.Replace("- version: v2\n        weight: 30", $"- version: {version}\n        weight: {weight}", StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void An_experiment_without_an_id_is_a_problem_not_a_crash()
    {
        var (_, problems) = Load(SeventyThirty.Replace("id: judge-design-2026-12", "id:", StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Message.Contains("rating buttons carry it", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Judge Design")]
    [InlineData("judge|design")]
    [InlineData("")]
    [InlineData("2026")]
    public void An_experiment_id_a_rating_button_cannot_carry_is_a_problem(string id)
    {
        var (_, problems) = Load(SeventyThirty.Replace("id: judge-design-2026-12", $"id: '{id}'", StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Message.Contains("rating buttons carry it", StringComparison.Ordinal));
    }

    [Fact]
    public void The_shipped_experiments_file_is_valid_and_its_commented_example_is_an_experiment_the_loader_reads()
    {
        var file = Path.Combine(RepositoryPaths.Root, "prompts", "experiments.yaml");
        var (library, _) = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"));

        var (_, problems) = PromptExperiments.Load(file, library);
        var example = string.Join("\n", File.ReadAllLines(file).Select(line => line switch
        {
            "experiments: []" => "experiments:",
            _ when line.StartsWith("#  ", StringComparison.Ordinal) => line[1..],
            _ => line,
        }));
        var (fromExample, exampleProblems) = Load(example);

        // The shipped file runs no experiment today, which alone would pass any check: its example shows the format works.
        Assert.Empty(problems);
        Assert.Empty(exampleProblems);
        Assert.Equal(
            ["judge-design-2026-12/v1", "judge-design-2026-12/v2"],
            Enumerable.Range(0, 50).Select(user => fromExample.Choose("judge-design", $"u-{user}")!.Variant).Distinct().Order());
    }

    private const string EveryField = """
        experiments:
          - id: judge-design-2026-12
            prompt: judge-design
            baseline: v2
            primary_metric: finished-share
            smallest_difference: 0.08
            alpha: 0.1
            power: 0.9
            expected_baseline_share: 0.6
            mixing_variance: 0.01
            guardrails:
              max_fallback_rate: 0.2
              max_schema_failure_rate: 0.3
              max_p95_latency_seconds: 12.5
              max_cost_per_feedback: 0.004
              stop_when_helpful_share_worse: false
              minimum_feedbacks: 40
            variants:
              - version: v1
                weight: 70
              - version: v2
                weight: 30
        """;

    [Fact]
    public void Every_design_field_is_read_into_the_experiment_design()
    {
        var (experiments, problems) = Load(EveryField);

        Assert.Empty(problems);
        var design = Assert.Single(experiments.Designs);
        Assert.Equal(
            new ExperimentDesign(
                "judge-design-2026-12",
                "judge-design",
                "v2",
                design.Arms,
                PrimaryMetric.FinishedShare,
                0.08,
                0.1,
                new Guardrails(0.2, 0.3, 12.5, 0.004m, StopWhenHelpfulShareWorse: false, MinimumFeedbacks: 40),
                Power: 0.9,
                ExpectedBaselineShare: 0.6,
                MixingVariance: 0.01),
            design);
        Assert.Equal([new ExperimentArm("v1", 70), new ExperimentArm("v2", 30)], design.Arms);
    }

    [Fact]
    public void Left_out_fields_take_their_defaults_with_the_first_variant_as_baseline()
    {
        var design = Assert.Single(Load(SeventyThirty).Experiments.Designs);

        Assert.Equal(
            ("v1", PrimaryMetric.HelpfulShare, 0.05, 0.8, 0.5, (double?)null, new Guardrails()),
            (design.Baseline, design.Primary, design.Alpha, design.Power, design.ExpectedBaselineShare, design.MixingVariance, design.Guardrails));
        Assert.Equal((true, 20L), (design.Guardrails.StopWhenHelpfulShareWorse, design.Guardrails.MinimumFeedbacks));
    }

    [Theory]
    [InlineData("baseline: v2", "baseline: v7", "baseline 'v7' is not one of its variants (v1, v2)")]
    [InlineData("primary_metric: finished-share", "primary_metric: happiness", "primary_metric 'happiness' is not one of helpful-share, finished-share, returned-share")]
    [InlineData("smallest_difference: 0.08", "smallest_difference: 0", "smallest_difference 0 must be between 0 and 1")]
    [InlineData("smallest_difference: 0.08", "smallest_difference: 1.5", "smallest_difference 1.5 must be between 0 and 1")]
    [InlineData("smallest_difference: 0.08", "", "smallest_difference is required")]
    [InlineData("alpha: 0.1", "alpha: 0.5", "alpha 0.5 must be between 0 and 0.5")]
    [InlineData("power: 0.9", "power: 1", "power 1 must be between 0 and 1")]
    [InlineData("expected_baseline_share: 0.6", "expected_baseline_share: 0", "expected_baseline_share 0 must be between 0 and 1")]
    [InlineData("mixing_variance: 0.01", "mixing_variance: -1", "mixing_variance -1 must be above 0")]
    [InlineData("max_fallback_rate: 0.2", "max_fallback_rate: 2", "guardrails.max_fallback_rate 2 must be between 0 and 1")]
    [InlineData("max_schema_failure_rate: 0.3", "max_schema_failure_rate: -0.1", "guardrails.max_schema_failure_rate -0.1 must not be negative")]
    [InlineData("max_p95_latency_seconds: 12.5", "max_p95_latency_seconds: 0", "guardrails.max_p95_latency_seconds 0 must be above 0")]
    [InlineData("max_cost_per_feedback: 0.004", "max_cost_per_feedback: 0", "guardrails.max_cost_per_feedback 0 must be above 0")]
    [InlineData("minimum_feedbacks: 40", "minimum_feedbacks: 0", "guardrails.minimum_feedbacks 0 must be at least 1")]
    public void Each_bad_design_field_is_a_problem_naming_the_experiment_and_the_field(string good, string bad, string message)
    {
        var (experiments, problems) = Load(EveryField.Replace(good, bad, StringComparison.Ordinal));

        Assert.StartsWith($"experiments.yaml: experiment 'judge-design-2026-12': {message}", Assert.Single(problems).ToString(), StringComparison.Ordinal);
        Assert.Empty(experiments.Designs);
    }

    [Fact]
    public void A_misspelt_field_is_reported_with_its_line()
    {
        var (_, problems) = Load(EveryField.Replace("max_fallback_rate", "max_fallbak_rate", StringComparison.Ordinal));

        Assert.StartsWith("line 12:", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_candidate_whose_arm_was_stopped_gets_the_baseline_from_their_next_call_and_stays_counted_in_their_arm()
    {
        var store = new InMemoryExperimentStore();
        var control = new ExperimentControlCache();
        var experiments = Load(EveryField, control).Experiments;
        var candidate = Enumerable.Range(0, 50).Select(u => $"u-{u}").First(c => experiments.Choose("judge-design", c)!.Prompt.Version == "v1");
        Assert.Equal(("v1", "v1", "judge-design-2026-12/v1"), Served(experiments.Choose("judge-design", candidate)!));

        await store.StopAsync(new ArmStop("judge-design-2026-12", "v1", "fallback rate 0.4 over 0.2", "guardrail", DateTimeOffset.UnixEpoch), default);

        await control.RefreshAsync(store, default);

        Assert.Equal(("v2", "v1", "judge-design-2026-12/v1"), Served(experiments.Choose("judge-design", candidate)!));
    }

    [Fact]
    public async Task A_person_who_opted_out_gets_the_baseline_and_is_counted_in_no_arm()
    {
        var store = new InMemoryExperimentStore();
        var control = new ExperimentControlCache();
        var experiments = Load(EveryField, control).Experiments;
        var candidate = Enumerable.Range(0, 50).Select(u => $"u-{u}").First(c => experiments.Choose("judge-design", c)!.Prompt.Version == "v1");

        await store.SetOptedOutAsync(candidate, optedOut: true, default);
        await control.RefreshAsync(store, default);

        var choice = experiments.Choose("judge-design", candidate)!;
        Assert.Equal(("v2", null, null, "default"), (choice.Prompt.Version, choice.Arm, choice.CountedIn, choice.Variant));
        var source = choice.Wrote("m", new TokenCount(10, 0, 5));
        Assert.Equal((null, null), (source.Experiment, source.Arm));
    }

    private static (string Served, string? Arm, string Variant) Served(PromptChoice choice) => (choice.Prompt.Version, choice.Arm, choice.Variant);
}
