using Mockingbird.Judging.Llm.Prompts;
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

    private (PromptExperiments Experiments, IReadOnlyList<PromptProblem> Problems) Load(string yaml)
    {
        var file = Path.Combine(_scratch, "experiments.yaml");
        File.WriteAllText(file, yaml);
        return PromptExperiments.Load(file, Library());
    }

    private const string SeventyThirty = """
        experiments:
          - id: judge-design-2026-12
            prompt: judge-design
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
        var file = Path.Combine(Testing.RepositoryPaths.Root, "prompts", "experiments.yaml");
        var (library, _) = PromptLibrary.Load(Path.Combine(Testing.RepositoryPaths.Root, "prompts"));

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
}
