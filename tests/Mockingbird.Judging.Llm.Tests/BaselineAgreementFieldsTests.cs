using Mockingbird.Experiments;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Llm.Tests;

/// <summary>The settled-dispute threshold a baseline must meet, as <c>experiments.yaml</c> declares it.</summary>
public sealed class BaselineAgreementFieldsTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("baseline-agreement-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private (PromptExperiments Experiments, IReadOnlyList<PromptProblem> Problems) Load(string header)
    {
        var file = Path.Combine(_scratch, "experiments.yaml");
        File.WriteAllText(file, header + """

            experiments:
              - id: judge-theory-trial
                prompt: judge-theory
                baseline: v2
                smallest_difference: 0.1
                variants:
                  - version: v2
                    weight: 50
                  - version: v3
                    weight: 50
            """);
        var (library, _) = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"));
        return PromptExperiments.Load(file, library);
    }

    [Fact]
    public void The_threshold_and_minimum_count_reach_every_experiment_design()
    {
        var (experiments, problems) = Load("minimum_baseline_agreement: 0.7\nminimum_settled_cases: 20");

        Assert.Empty(problems);
        Assert.Equal(new BaselineAgreementRequirement(0.7, 20), Assert.Single(experiments.Designs).BaselineAgreement);
    }

    [Fact]
    public void Without_the_fields_no_baseline_is_checked()
    {
        var (experiments, problems) = Load(string.Empty);

        Assert.Empty(problems);
        Assert.Null(Assert.Single(experiments.Designs).BaselineAgreement);
    }

    [Theory]
    [InlineData("minimum_baseline_agreement: 1.5\nminimum_settled_cases: 20", "minimum_baseline_agreement 1.5 must be between 0 and 1 (0.7 is 70% of settled disputes within half a point of the peers)")]
    [InlineData("minimum_baseline_agreement: 0.7\nminimum_settled_cases: 0", "minimum_settled_cases 0 must be at least 1")]
    [InlineData("minimum_baseline_agreement: 0.7", "minimum_baseline_agreement and minimum_settled_cases go together: give both or neither")]
    public void A_bad_threshold_is_a_problem_naming_the_field(string header, string problem)
    {
        var (experiments, problems) = Load(header);

        Assert.Equal(problem, Assert.Single(problems).Message);
        Assert.Empty(experiments.Designs);
    }

    [Fact]
    public void The_shipped_experiments_file_declares_a_valid_threshold()
    {
        var (library, _) = PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts"));
        var (_, problems) = PromptExperiments.Load(Path.Combine(RepositoryPaths.Root, "prompts", "experiments.yaml"), library);

        Assert.Empty(problems);
        Assert.Contains("minimum_baseline_agreement: 0.7", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "prompts", "experiments.yaml")), StringComparison.Ordinal);
    }
}
