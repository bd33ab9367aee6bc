using System.Globalization;
using System.Text.RegularExpressions;
using Mockingbird.Experiments;
using Mockingbird.Interview.Judging;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Mockingbird.Judging.Llm.Prompts;

/// <summary>
/// The prompt version a candidate gets, the experiment that chose it (if any), and the arm the candidate is counted
/// in there: their randomised arm even when they are served the baseline because it stopped (intention to treat), and
/// null when they opted out of experiments and are counted nowhere.
/// </summary>
public sealed record PromptChoice(PromptDefinition Prompt, string? ExperimentId, string? Arm = null)
{
    /// <summary>The experiment that counts what this prompt does, or null when none does.</summary>
    public string? CountedIn => Arm is null ? null : ExperimentId;

    /// <summary>What rating buttons carry: <c>experiment/arm</c> for a counted candidate, else <c>default</c>.</summary>
    public string Variant => CountedIn is { } experiment ? $"{experiment}/{Arm}" : "default";

    /// <summary>The stamp of text this prompt wrote, with what the calls for it cost.</summary>
    public FeedbackSource Wrote(string? model, TokenCount tokens, int schemaFailures = 0) =>
        new("llm", model, Prompt.Name, Prompt.Version, Prompt.ContentHash, Variant, CountedIn, Arm, tokens.Prompt, tokens.Cached, tokens.Completion, schemaFailures);

    /// <summary>
    /// The stamp of the offline judge standing in: it names no prompt version, since no prompt wrote the feedback,
    /// but it stays in the candidate's arm with the tokens the failed calls spent, so the arm's fallbacks count.
    /// </summary>
    public FeedbackSource FellBack(string? model, TokenCount tokens, int schemaFailures) =>
        new("offline-fallback", model, Experiment: CountedIn, Arm: Arm, PromptTokens: tokens.Prompt, CachedPromptTokens: tokens.Cached, CompletionTokens: tokens.Completion, SchemaFailures: schemaFailures);
}

/// <summary>
/// Prompt experiments as <c>prompts/experiments.yaml</c> declares them: each varies one prompt between versions, with
/// a baseline, a primary metric, the smallest difference worth detecting, α and guardrails. A candidate's arm is
/// <see cref="ArmAssignment"/>'s stable hash, the same on every replica and in every session; the arms stopped and the
/// people who opted out come from <see cref="Control"/>.
/// </summary>
public sealed partial class PromptExperiments : IExperimentCatalog
{
    private static readonly Dictionary<string, PrimaryMetric> Metrics = new(StringComparer.Ordinal)
    {
        ["helpful-share"] = PrimaryMetric.HelpfulShare,
        ["finished-share"] = PrimaryMetric.FinishedShare,
        ["returned-share"] = PrimaryMetric.ReturnedShare,
    };

    private readonly PromptLibrary _library;

    private PromptExperiments(PromptLibrary library, IReadOnlyList<ExperimentDesign> designs, ExperimentControlCache? control)
    {
        _library = library;
        Designs = designs;
        Control = control ?? new ExperimentControlCache();
    }

    public IReadOnlyList<ExperimentDesign> Designs { get; }

    /// <summary>The stops and opt-outs every choice honours; the host keeps it refreshed from the experiment store.</summary>
    public ExperimentControlCache Control { get; }

    public static (PromptExperiments Experiments, IReadOnlyList<PromptProblem> Problems) Load(string file, PromptLibrary library, ExperimentControlCache? control = null)
    {
        ArgumentNullException.ThrowIfNull(library);
        var problems = new List<PromptProblem>();
        var name = Path.GetFileName(file);
        if (!File.Exists(file))
        {
            return (new PromptExperiments(library, [], control), problems);
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
            return (new PromptExperiments(library, [], control), problems);
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

            problems.AddRange(DesignProblems(experiment).Select(message => new PromptProblem(name, $"experiment '{experiment.Id}': {message}")));
        }

        foreach (var clash in experiments.GroupBy(e => e.Prompt, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(new PromptProblem(name, $"prompt '{clash.Key}' is in more than one experiment at once"));
        }

        var (requirement, requirementProblems) = BaselineRequirement(parsed);
        problems.AddRange(requirementProblems.Select(message => new PromptProblem(name, message)));
        return (new PromptExperiments(library, problems.Count == 0 ? [.. experiments.Select(e => Design(e) with { BaselineAgreement = requirement })] : [], control), problems);
    }

    public static PromptExperiments None(PromptLibrary library, ExperimentControlCache? control = null) => new(library, [], control);

    /// <summary>
    /// The version of <paramref name="promptName"/> this candidate gets: their arm in a running experiment unless it
    /// stopped or they opted out (then the baseline), else the latest version.
    /// </summary>
    public PromptChoice? Choose(string promptName, string candidateId)
    {
        var design = Designs.FirstOrDefault(d => d.Prompt == promptName);
        if (design is null)
        {
            return _library.Latest(promptName) is { } latest ? new PromptChoice(latest, null) : null;
        }

        var control = Control.Current;
        var served = ArmAssignment.Served(design, candidateId, control);
        return new PromptChoice(_library.Find(promptName, served)!, design.Id, ArmAssignment.Counted(design, candidateId, control)?.Version);
    }

    /// <summary>What is wrong with an experiment's design fields, each message naming the field.</summary>
    private static IEnumerable<string> DesignProblems(Experiment experiment)
    {
        var versions = experiment.Variants!.Select(v => v.Version).ToList();
        if (experiment.Baseline is { } baseline && !versions.Contains(baseline, StringComparer.Ordinal))
        {
            yield return $"baseline '{baseline}' is not one of its variants ({string.Join(", ", versions)})";
        }

        if (experiment.PrimaryMetric is { } metric && !Metrics.ContainsKey(metric))
        {
            yield return $"primary_metric '{metric}' is not one of {string.Join(", ", Metrics.Keys)}";
        }

        if (experiment.SmallestDifference is not { } delta)
        {
            yield return "smallest_difference is required: the smallest difference in the primary share worth detecting, between 0 and 1 (0.1 is ten points)";
        }
        else if (delta is not (> 0 and < 1))
        {
            yield return $"smallest_difference {Show(delta)} must be between 0 and 1";
        }

        if (experiment.Alpha is { } alpha and not (> 0 and < 0.5))
        {
            yield return $"alpha {Show(alpha)} must be between 0 and 0.5";
        }

        if (experiment.Power is { } power and not (> 0 and < 1))
        {
            yield return $"power {Show(power)} must be between 0 and 1";
        }

        if (experiment.ExpectedBaselineShare is { } share and not (> 0 and < 1))
        {
            yield return $"expected_baseline_share {Show(share)} must be between 0 and 1";
        }
        else if (experiment.SmallestDifference is { } d and > 0 and < 1 && (experiment.ExpectedBaselineShare ?? 0.5) is var expected
            && expected + d > 1 && expected - d < 0)
        {
            yield return $"smallest_difference {Show(d)} is larger than any share can move from expected_baseline_share {Show(expected)}";
        }

        if (experiment.MixingVariance is { } tau and not > 0)
        {
            yield return $"mixing_variance {Show(tau)} must be above 0";
        }

        var guardrails = experiment.Guardrails ?? new GuardrailsFile();
        if (guardrails.MaxFallbackRate is { } fallback and not (>= 0 and <= 1))
        {
            yield return $"guardrails.max_fallback_rate {Show(fallback)} must be between 0 and 1";
        }

        if (guardrails.MaxSchemaFailureRate is { } schema and < 0)
        {
            yield return $"guardrails.max_schema_failure_rate {Show(schema)} must not be negative";
        }

        if (guardrails.MaxP95LatencySeconds is { } latency and not > 0)
        {
            yield return $"guardrails.max_p95_latency_seconds {Show(latency)} must be above 0";
        }

        if (guardrails.MaxCostPerFeedback is { } cost && cost <= 0)
        {
            yield return $"guardrails.max_cost_per_feedback {cost.ToString(CultureInfo.InvariantCulture)} must be above 0";
        }

        if (guardrails.MinimumFeedbacks is { } minimum and < 1)
        {
            yield return $"guardrails.minimum_feedbacks {minimum.ToString(CultureInfo.InvariantCulture)} must be at least 1";
        }
    }

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The file's agreement a baseline needs on settled disputes: both fields or neither, since a threshold without
    /// a minimum count would refuse on one unlucky case.
    /// </summary>
    private static (BaselineAgreementRequirement? Requirement, IReadOnlyList<string> Problems) BaselineRequirement(ExperimentsFile? file)
    {
        var (agreement, cases) = (file?.MinimumBaselineAgreement, file?.MinimumSettledCases);
        var problems = new List<string>();
        if (agreement is { } share and not (>= 0 and <= 1))
        {
            problems.Add($"minimum_baseline_agreement {Show(share)} must be between 0 and 1 (0.7 is 70% of settled disputes within half a point of the peers)");
        }

        if (cases is { } count and < 1)
        {
            problems.Add($"minimum_settled_cases {count.ToString(CultureInfo.InvariantCulture)} must be at least 1");
        }

        if ((agreement is null) != (cases is null))
        {
            problems.Add("minimum_baseline_agreement and minimum_settled_cases go together: give both or neither");
        }

        return problems.Count == 0 && agreement is { } a && cases is { } c ? (new BaselineAgreementRequirement(a, c), problems) : (null, problems);
    }

    /// <summary>The design of an experiment <see cref="DesignProblems"/> found nothing wrong with.</summary>
    private static ExperimentDesign Design(Experiment experiment)
    {
        var guardrails = experiment.Guardrails ?? new GuardrailsFile();
        var defaults = new Guardrails();
        return new ExperimentDesign(
            experiment.Id,
            experiment.Prompt,
            experiment.Baseline ?? experiment.Variants![0].Version,
            [.. experiment.Variants!.Select(v => new ExperimentArm(v.Version, v.Weight))],
            experiment.PrimaryMetric is { } metric ? Metrics[metric] : PrimaryMetric.HelpfulShare,
            experiment.SmallestDifference!.Value,
            experiment.Alpha ?? 0.05,
            new Guardrails(
                guardrails.MaxFallbackRate,
                guardrails.MaxSchemaFailureRate,
                guardrails.MaxP95LatencySeconds,
                guardrails.MaxCostPerFeedback,
                guardrails.StopWhenHelpfulShareWorse ?? defaults.StopWhenHelpfulShareWorse,
                guardrails.MinimumFeedbacks ?? defaults.MinimumFeedbacks),
            experiment.Power ?? 0.8,
            experiment.ExpectedBaselineShare ?? 0.5,
            experiment.MixingVariance);
    }

    [GeneratedRegex("^(?=[A-Za-z0-9._-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")]
    private static partial Regex ExperimentId();

    private sealed class ExperimentsFile
    {
        public List<Experiment> Experiments { get; set; } = [];

        public double? MinimumBaselineAgreement { get; set; }

        public int? MinimumSettledCases { get; set; }
    }

    private sealed class Experiment
    {
        public string Id { get; set; } = string.Empty;

        public string Prompt { get; set; } = string.Empty;

        public List<Variant>? Variants { get; set; } = [];

        public string? Baseline { get; set; }

        public string? PrimaryMetric { get; set; }

        public double? SmallestDifference { get; set; }

        public double? Alpha { get; set; }

        public double? Power { get; set; }

        public double? ExpectedBaselineShare { get; set; }

        public double? MixingVariance { get; set; }

        public GuardrailsFile? Guardrails { get; set; }
    }

    private sealed class Variant
    {
        public string Version { get; set; } = string.Empty;

        public int Weight { get; set; }
    }

    private sealed class GuardrailsFile
    {
        public double? MaxFallbackRate { get; set; }

        public double? MaxSchemaFailureRate { get; set; }

        public double? MaxP95LatencySeconds { get; set; }

        public decimal? MaxCostPerFeedback { get; set; }

        public bool? StopWhenHelpfulShareWorse { get; set; }

        public long? MinimumFeedbacks { get; set; }
    }
}
