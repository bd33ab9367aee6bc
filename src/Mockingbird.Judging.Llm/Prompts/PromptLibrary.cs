using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.SemanticKernel;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Mockingbird.Judging.Llm.Prompts;

/// <summary>One version of one prompt, as loaded from <c>prompts/&lt;name&gt;/&lt;version&gt;.yaml</c>.</summary>
/// <param name="ContentHash">SHA-256 of the file, so every feedback can say exactly which text produced it.</param>
/// <param name="Scoring">For a judge prompt, what each score level of each dimension means (its <c>scoring</c> section).</param>
public sealed record PromptDefinition(string Name, string Version, string ContentHash, string File, PromptTemplateConfig Config, PromptScoring? Scoring = null);

/// <summary>What each score of one dimension means: one anchor per level, 1 to 4, so a 3 means the same on every answer.</summary>
public sealed record DimensionAnchors(string Dimension, string Means, IReadOnlyDictionary<int, string> Levels);

/// <summary>
/// The anchors a judge prompt scores with, kept in the prompt file so they are versioned and hashed with its text:
/// one set for a main answer, one for an answer to a follow-up (which is scored on fewer dimensions).
/// </summary>
public sealed record PromptScoring(IReadOnlyList<DimensionAnchors> Answer, IReadOnlyList<DimensionAnchors> FollowUp)
{
    public IReadOnlyList<DimensionAnchors> For(bool followUp) => followUp ? FollowUp : Answer;
}

/// <summary>A problem with a prompt file or the experiments file.</summary>
public sealed record PromptProblem(string File, string Message)
{
    public override string ToString() => $"{File}: {Message}";
}

/// <summary>Every prompt version under <c>prompts/</c>, loaded with YamlDotNet into Semantic Kernel's prompt config.</summary>
public sealed partial class PromptLibrary
{
    private readonly FrozenDictionary<(string Name, string Version), PromptDefinition> _prompts;

    public PromptLibrary(IEnumerable<PromptDefinition> prompts)
    {
        _prompts = prompts.ToFrozenDictionary(p => (p.Name, p.Version));
    }

    public IEnumerable<PromptDefinition> All => _prompts.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => VersionNumber(p.Version));

    public PromptDefinition? Find(string name, string version) => _prompts.GetValueOrDefault((name, version));

    /// <summary>The highest version of a prompt (v10 after v9).</summary>
    public PromptDefinition? Latest(string name) =>
        _prompts.Values.Where(p => p.Name == name).MaxBy(p => VersionNumber(p.Version));

    /// <summary>Loads every prompt file; the problems list is empty when all of them are valid.</summary>
    public static (PromptLibrary Library, IReadOnlyList<PromptProblem> Problems) Load(string directory)
    {
        var problems = new List<PromptProblem>();
        var prompts = new List<PromptDefinition>();
        if (!Directory.Exists(directory))
        {
            problems.Add(new PromptProblem(directory, "the prompts directory does not exist"));
            return (new PromptLibrary(prompts), problems);
        }

        foreach (var file in Directory.GetFiles(directory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            var parts = relative.Split('/');
            if (parts.Length == 1)
            {
                continue; // experiments.yaml and other top-level files are not prompts.
            }

            if (parts.Length != 2 || !VersionPattern().IsMatch(Path.GetFileNameWithoutExtension(parts[1])))
            {
                problems.Add(new PromptProblem(relative, "prompt files live at prompts/<name>/v<N>.yaml"));
                continue;
            }

            var text = File.ReadAllText(file);
            var (parsed, config, fileProblems) = Read(relative, text);
            problems.AddRange(fileProblems);
            if (config is null)
            {
                continue;
            }

            if (config.Name != parts[0])
            {
                problems.Add(new PromptProblem(relative, $"name '{config.Name}' does not match its folder '{parts[0]}'"));
                continue;
            }

            prompts.Add(new PromptDefinition(parts[0], Path.GetFileNameWithoutExtension(parts[1]), Hash(text), relative, config, Scoring(parsed!.Scoring)));
        }

        return (new PromptLibrary(prompts), problems);
    }

    internal static (PromptTemplateConfig? Config, IReadOnlyList<PromptProblem> Problems) Parse(string file, string yaml)
    {
        var (_, config, problems) = Read(file, yaml);
        return (config, problems);
    }

    private static (PromptFile? File, PromptTemplateConfig? Config, IReadOnlyList<PromptProblem> Problems) Read(string file, string yaml)
    {
        PromptFile? parsed;
        try
        {
            parsed = Deserializer.Deserialize<PromptFile>(yaml);
        }
        catch (YamlException ex)
        {
            return (null, null, [new PromptProblem(file, $"line {ex.Start.Line}: {ex.Message.Split('\n')[0]}")]);
        }

        var problems = new List<PromptProblem>();
        if (parsed is null || string.IsNullOrWhiteSpace(parsed.Name) || string.IsNullOrWhiteSpace(parsed.Template))
        {
            problems.Add(new PromptProblem(file, "a prompt needs a name and a template"));
            return (parsed, null, problems);
        }

        if (parsed.Scoring is { } scoring)
        {
            scoring.Answer = [.. (scoring.Answer ?? []).Where(d => d is not null)];
            scoring.FollowUp = [.. (scoring.FollowUp ?? []).Where(d => d is not null)];
            if (scoring.Answer.Count == 0 || scoring.FollowUp.Count == 0)
            {
                problems.Add(new PromptProblem(file, "scoring needs both an 'answer' and a 'follow_up' list of dimensions"));
            }

            foreach (var dimension in scoring.Answer.Concat(scoring.FollowUp))
            {
                dimension.Levels ??= [];
                if (string.IsNullOrWhiteSpace(dimension.Dimension) || string.IsNullOrWhiteSpace(dimension.Means)
                    || !dimension.Levels.Keys.Order().SequenceEqual([1, 2, 3, 4]) || dimension.Levels.Values.Any(string.IsNullOrWhiteSpace))
                {
                    problems.Add(new PromptProblem(file, $"scoring dimension '{dimension.Dimension}' needs a dimension name, what it means, and one anchor for each level 1, 2, 3 and 4"));
                }
            }
        }

        if (parsed.TemplateFormat is not (null or "semantic-kernel"))
        {
            problems.Add(new PromptProblem(file, $"template_format '{parsed.TemplateFormat}' is not served here; use semantic-kernel"));
        }

        var config = new PromptTemplateConfig(parsed.Template)
        {
            Name = parsed.Name,
            Description = parsed.Description,
            TemplateFormat = PromptTemplateConfig.SemanticKernelTemplateFormat,
        };
        foreach (var variable in parsed.InputVariables)
        {
            config.InputVariables.Add(new InputVariable { Name = variable.Name, Description = variable.Description, IsRequired = variable.IsRequired });
        }

        foreach (var (serviceId, values) in parsed.ExecutionSettings)
        {
            // YamlDotNet reads every scalar as text: type each value here, so "0" is a number and "true" a boolean.
            config.AddExecutionSettings(
                new PromptExecutionSettings { ExtensionData = values.ToDictionary(v => v.Key, v => Typed(v.Value)) },
                serviceId == "default" ? PromptExecutionSettings.DefaultServiceId : serviceId);
        }

        return (parsed, problems.Count == 0 ? config : null, problems);
    }

    /// <summary>The checked scoring section (only called once <see cref="Read"/> found no problem with it).</summary>
    private static PromptScoring? Scoring(ScoringFile? scoring) => scoring is null ? null : new PromptScoring(
        [.. scoring.Answer!.Select(Anchors)],
        [.. scoring.FollowUp!.Select(Anchors)]);

    private static DimensionAnchors Anchors(AnchorsFile anchors) =>
        new(anchors.Dimension!.Trim(), anchors.Means!.Trim(), anchors.Levels!.ToFrozenDictionary(l => l.Key, l => l.Value.Trim()));

    private static object Typed(string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) ? integer
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? real
        : bool.TryParse(value, out var flag) ? flag
        : value;

    private static int VersionNumber(string version) => int.Parse(version.AsSpan(1), CultureInfo.InvariantCulture);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    [GeneratedRegex("^v[1-9][0-9]{0,5}$")]
    private static partial Regex VersionPattern();

    private sealed class PromptFile
    {
        public string Name { get; set; } = string.Empty;

        public string? Description { get; set; }

        public string? TemplateFormat { get; set; }

        public string Template { get; set; } = string.Empty;

        public List<PromptVariable> InputVariables { get; set; } = [];

        public Dictionary<string, Dictionary<string, string>> ExecutionSettings { get; set; } = [];

        public ScoringFile? Scoring { get; set; }
    }

    private sealed class ScoringFile
    {
        public List<AnchorsFile>? Answer { get; set; } = [];

        public List<AnchorsFile>? FollowUp { get; set; } = [];
    }

    private sealed class AnchorsFile
    {
        public string? Dimension { get; set; } = string.Empty;

        public string? Means { get; set; } = string.Empty;

        public Dictionary<int, string>? Levels { get; set; } = [];
    }

    private sealed class PromptVariable
    {
        public string Name { get; set; } = string.Empty;

        public string? Description { get; set; }

        public bool IsRequired { get; set; } = true;
    }
}
