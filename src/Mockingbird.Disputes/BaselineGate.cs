using System.Globalization;
using Mockingbird.Experiments;

namespace Mockingbird.Disputes;

/// <param name="Allowed">False when the version may not be the baseline.</param>
/// <param name="Message">Why, naming the version, its agreement, the threshold and the count; null when nothing needs saying.</param>
public sealed record BaselineVerdict(bool Allowed, string? Message);

/// <summary>
/// Whether a prompt version may be an experiment's baseline, given how it agreed with the peers on settled disputes.
/// Every place a baseline is set asks this: experiments.yaml at start-up (<see cref="BaselineAgreementCheck"/>) and
/// any admin action that changes one.
/// </summary>
public static class BaselineGate
{
    public static BaselineVerdict Check(ExperimentDesign design, string baseline, IReadOnlyList<SettledCase> settled)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (design.BaselineAgreement is not { } requirement)
        {
            return new BaselineVerdict(true, null);
        }

        var version = $"{design.Prompt}/{baseline}";
        var agreement = JudgeAgreement.Recorded(settled).FirstOrDefault(a => a.PromptVersion == version);
        var cases = agreement?.Cases ?? 0;
        if (cases < requirement.MinimumSettledCases)
        {
            return new BaselineVerdict(true, string.Create(CultureInfo.InvariantCulture,
                $"Experiment '{design.Id}': baseline {version} has {cases} settled dispute(s), fewer than minimum_settled_cases ({requirement.MinimumSettledCases}), so its agreement with the peers{(agreement is null ? string.Empty : $" ({agreement.Agreement:0%})")} is not checked yet."));
        }

        return agreement!.Agreement >= requirement.MinimumAgreement
            ? new BaselineVerdict(true, null)
            : new BaselineVerdict(false, string.Create(CultureInfo.InvariantCulture,
                $"Experiment '{design.Id}' cannot have {version} as its baseline: it agrees with the peers on {agreement.Agreement:0%} of {cases} settled disputes, below minimum_baseline_agreement ({requirement.MinimumAgreement:0%}). Choose another baseline or lower the threshold in experiments.yaml."));
    }
}

/// <summary>A baseline the gate refused: start-up stops with its message (an InvalidOperationException, which the bot tells in one line).</summary>
public sealed class BaselineRefusedException(string message) : InvalidOperationException(message);
