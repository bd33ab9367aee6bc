using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Mockingbird.Judging.Llm.Prompts;

/// <summary>The prompt version a candidate gets, and the experiment and variant that chose it (if any).</summary>
public sealed record PromptChoice(PromptDefinition Prompt, string? ExperimentId)
{
    public string Variant => ExperimentId is null ? "default" : $"{ExperimentId}/{Prompt.Version}";
}

/// <summary>
/// Sticky prompt variants for A/B experiments (<c>prompts/experiments.yaml</c>). A candidate's bucket is SHA-256 of
/// <c>experimentId:candidateId</c>, so the same candidate gets the same variant on every replica and in every session.
/// </summary>
public sealed partial class PromptExperiments
{
    private readonly PromptLibrary _library;
    private readonly IReadOnlyList<Experiment> _experiments;

    private PromptExperiments(PromptLibrary library, IReadOnlyList<Experiment> experiments)
    {
        _library = library;
        _experiments = experiments;
    }

    public static (PromptExperiments Experiments, IReadOnlyList<PromptProblem> Problems) Load(string file, PromptLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        var problems = new List<PromptProblem>();
        var name = Path.GetFileName(file);
        if (!File.Exists(file))
        {
            return (new PromptExperiments(library, []), problems);
        }

        ExperimentsFile? parsed;
        try
        {
            parsed = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
                .Deserialize<ExperimentsFile>(File.ReadAllText(file));
        }
        catch (YamlException ex)
        {
            problems.Add(new PromptProblem(name, $"line {ex.Start.Line}: {ex.Message.Split('\n')[0]}"));
            return (new PromptExperiments(library, []), problems);
        }

        var experiments = (parsed?.Experiments ?? []).Where(e => e is not null).ToList();
        foreach (var experiment in experiments)
        {
            experiment.Variants = [.. (experiment.Variants ?? []).Where(v => v is not null)];
        }

        foreach (var duplicate in experiments.GroupBy(e => e.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(new PromptProblem(name, $"experiment id '{duplicate.Key}' appears more than once"));
        }

        foreach (var experiment in experiments)
        {
            if (experiment.Id is null || !ExperimentId().IsMatch(experiment.Id))
            {
                problems.Add(new PromptProblem(name, $"experiment id '{experiment.Id}' must be 1 to 60 letters, digits, '-', '_' or '.', with a letter among them: rating buttons carry it"));
            }

            if (experiment.Variants!.Count < 2)
            {
                problems.Add(new PromptProblem(name, $"experiment '{experiment.Id}' needs at least two variants"));
            }

            foreach (var variant in experiment.Variants)
            {
                if (library.Find(experiment.Prompt, variant.Version) is null)
                {
                    problems.Add(new PromptProblem(name, $"experiment '{experiment.Id}' names {experiment.Prompt}/{variant.Version}, which does not exist"));
                }

                if (variant.Weight <= 0)
                {
                    problems.Add(new PromptProblem(name, $"experiment '{experiment.Id}' gives {variant.Version} a weight of {variant.Weight}; weights are positive"));
                }
            }
        }

        foreach (var clash in experiments.GroupBy(e => e.Prompt, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(new PromptProblem(name, $"prompt '{clash.Key}' is in more than one experiment at once"));
        }

        return (new PromptExperiments(library, problems.Count == 0 ? experiments : []), problems);
    }

    public static PromptExperiments None(PromptLibrary library) => new(library, []);

    /// <summary>The version of <paramref name="promptName"/> this candidate gets: their variant in a running experiment, else the latest.</summary>
    public PromptChoice? Choose(string promptName, string candidateId)
    {
        var experiment = _experiments.FirstOrDefault(e => e.Prompt == promptName);
        if (experiment is null)
        {
            return _library.Latest(promptName) is { } latest ? new PromptChoice(latest, null) : null;
        }

        var variants = experiment.Variants ?? [];
        var bucket = Bucket(experiment.Id, candidateId) % (ulong)variants.Sum(v => v.Weight);
        foreach (var variant in variants)
        {
            if (bucket < (ulong)variant.Weight)
            {
                return new PromptChoice(_library.Find(promptName, variant.Version)!, experiment.Id);
            }

            bucket -= (ulong)variant.Weight;
        }

        throw new InvalidOperationException("unreachable: the bucket is below the total weight");
    }

    [GeneratedRegex("^(?=[A-Za-z0-9._-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")]
    private static partial Regex ExperimentId();

    internal static ulong Bucket(string experimentId, string candidateId) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{experimentId}:{candidateId}")));

    private sealed class ExperimentsFile
    {
        public List<Experiment> Experiments { get; set; } = [];
    }

    private sealed class Experiment
    {
        public string Id { get; set; } = string.Empty;

        public string Prompt { get; set; } = string.Empty;

        public List<Variant>? Variants { get; set; } = [];
    }

    private sealed class Variant
    {
        public string Version { get; set; } = string.Empty;

        public int Weight { get; set; }
    }
}
