using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.SemanticKernel;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Judging.Llm.Prompts;

/// <summary>
/// What <c>validate</c> checks in every prompt: the variables it declares are exactly the ones it uses (Semantic
/// Kernel itself renders a missing one as empty, with only a warning), it renders, and its
/// <c>&lt;message role&gt;</c> blocks parse into the roles it declares (a block that fails to parse would silently
/// turn the whole prompt into one user message).
/// </summary>
public static partial class PromptChecks
{
    public static async Task<IReadOnlyList<PromptProblem>> CheckAsync(PromptDefinition prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var problems = new List<PromptProblem>();
        var config = prompt.Config;
        IReadOnlySet<string> used = VariableReference().Matches(config.Template).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var declared = config.InputVariables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in used.Except(declared).Order(StringComparer.Ordinal))
        {
            problems.Add(new PromptProblem(prompt.File, $"the template uses {{{{${missing}}}}} but input_variables does not declare it"));
        }

        foreach (var unused in declared.Except(used).Order(StringComparer.Ordinal))
        {
            problems.Add(new PromptProblem(prompt.File, $"input variable '{unused}' is declared but the template never uses it"));
        }

        problems.AddRange(ScoringProblems(prompt, used));
        if (problems.Count > 0)
        {
            return problems;
        }

        var samples = new KernelArguments();
        foreach (var name in declared)
        {
            samples[name] = $"sample {name} with <tags> & \"quotes\"";
        }

        string rendered;
        try
        {
            rendered = await RenderAsync(prompt, samples, cancellationToken);
        }
        catch (KernelException ex)
        {
            return [new PromptProblem(prompt.File, $"does not render: {ex.Message}")];
        }

        var declaredRoles = DeclaredRole().Matches(config.Template).Select(m => m.Groups[1].Value).ToList();
        var parsedRoles = MessageRoles(rendered);
        if (declaredRoles.Count == 0)
        {
            problems.Add(new PromptProblem(prompt.File, "the template declares no <message role=\"...\"> blocks"));
        }
        else if (parsedRoles is null || !parsedRoles.SequenceEqual(declaredRoles))
        {
            problems.Add(new PromptProblem(prompt.File, $"the rendered prompt does not parse into its declared messages ({string.Join(", ", declaredRoles)}); it would reach the model as one user message"));
        }

        return problems;
    }

    /// <summary>
    /// A judge prompt that shows scoring anchors must anchor exactly the dimensions its stage's judge scores, for a
    /// main answer and for a follow-up: a dimension without anchors would be scored on a bare 1-4, and anchors for a
    /// dimension the judge does not ask would list it in the instructions all the same.
    /// </summary>
    private static IEnumerable<PromptProblem> ScoringProblems(PromptDefinition prompt, IReadOnlySet<string> used)
    {
        if (prompt.Scoring is not { } scoring)
        {
            if (used.Contains("scoring_guide"))
            {
                yield return new PromptProblem(prompt.File, "the template uses {{$scoring_guide}} but the file has no scoring section");
            }

            yield break;
        }

        if (!prompt.Name.StartsWith("judge-", StringComparison.Ordinal) || !Vocabulary.TryParseStage(prompt.Name["judge-".Length..], out var stage))
        {
            yield break;
        }

        foreach (var followUp in new[] { false, true })
        {
            var expected = LlmJudge.AllDimensionNames(stage, followUp);
            var anchored = scoring.For(followUp).Select(d => d.Dimension).ToList();
            if (!anchored.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)))
            {
                yield return new PromptProblem(prompt.File, $"scoring.{(followUp ? "follow_up" : "answer")} anchors {string.Join(", ", anchored)}; the {stage.ToWire()} judge scores exactly {string.Join(", ", expected)}");
            }
        }
    }

    /// <summary>Renders a prompt with Semantic Kernel's own template engine (values HTML-encoded, never trusted).</summary>
    public static async Task<string> RenderAsync(PromptDefinition prompt, KernelArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var template = new KernelPromptTemplateFactory().Create(prompt.Config);
        return await template.RenderAsync(new Kernel(), arguments, cancellationToken);
    }

    /// <summary>The roles of the message blocks a rendered prompt parses into, or <c>null</c> when it is not well formed.</summary>
    public static IReadOnlyList<string>? MessageRoles(string rendered)
    {
        var document = new XmlDocument();
        try
        {
            document.LoadXml($"<root>{rendered}</root>");
        }
        catch (XmlException)
        {
            return null;
        }

        var roles = new List<string>();
        foreach (XmlNode node in document.DocumentElement!.ChildNodes)
        {
            if (node is XmlElement { Name: "message" } element)
            {
                roles.Add(element.GetAttribute("role"));
            }
            else if (node is XmlElement || !string.IsNullOrWhiteSpace(node.Value))
            {
                return null;
            }
        }

        return roles;
    }

    [GeneratedRegex(@"\{\{\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"<message role=""(system|user|assistant)"">")]
    private static partial Regex DeclaredRole();
}
