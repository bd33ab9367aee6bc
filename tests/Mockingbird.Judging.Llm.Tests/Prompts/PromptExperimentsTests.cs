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

        for (var user = 0; user < 200; user++)
        {
            Assert.Equal(first.Choose("judge-design", $"u-{user}")!.Prompt.Version, second.Choose("judge-design", $"u-{user}")!.Prompt.Version);
        }
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
        var choice = Load(SeventyThirty).Experiments.Choose("judge-design", "u-1")!;

        Assert.StartsWith("judge-design-2026-12/v", choice.Variant, StringComparison.Ordinal);
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
    public void The_shipped_experiments_file_is_valid()
    {
        var (library, _) = PromptLibrary.Load(Path.Combine(Testing.RepositoryPaths.Root, "prompts"));

        var (_, problems) = PromptExperiments.Load(Path.Combine(Testing.RepositoryPaths.Root, "prompts", "experiments.yaml"), library);

        Assert.Empty(problems);
    }
}
