using System.ComponentModel.DataAnnotations;
using Mockingbird.Interview;

namespace Mockingbird.Judging.Llm.Prompts;

public sealed class PromptOptions
{
    public const string Section = "Prompts";

    /// <summary>The prompts directory; a relative path is looked up from the working directory, then beside the application.</summary>
    [Required]
    public string Directory { get; set; } = "prompts";

    public string ResolveDirectory() => ContentDirectory.Resolve(Directory);

    /// <summary>Loads every prompt and the experiments file, and runs every check <c>validate</c> runs.</summary>
    public async Task<(PromptLibrary Library, PromptExperiments Experiments, IReadOnlyList<PromptProblem> Problems)> LoadAndCheckAsync(CancellationToken cancellationToken)
    {
        var directory = ResolveDirectory();
        var (library, problems) = PromptLibrary.Load(directory);
        var all = problems.ToList();
        foreach (var prompt in library.All)
        {
            all.AddRange(await PromptChecks.CheckAsync(prompt, cancellationToken));
        }

        var (experiments, experimentProblems) = PromptExperiments.Load(Path.Combine(directory, "experiments.yaml"), library);
        all.AddRange(experimentProblems);
        return (library, experiments, all);
    }
}
