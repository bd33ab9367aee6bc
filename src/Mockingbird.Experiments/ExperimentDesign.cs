using System.Globalization;

namespace Mockingbird.Experiments;

/// <summary>What an experiment is judged on: each is a share of yes/no outcomes, compared between arms.</summary>
public enum PrimaryMetric
{
    /// <summary>Candidates whose votes on their own feedback in an arm are mostly 👍, of the candidates who voted.</summary>
    HelpfulShare,

    /// <summary>
    /// Interviews finished, of the interviews started. Its unit is the interview, not the candidate who was
    /// randomised: a candidate who runs many interviews weighs more, and their interviews are not independent, so
    /// its decisions are less trustworthy than the other two metrics' (see docs/EXPERIMENTS.md).
    /// </summary>
    FinishedShare,

    /// <summary>Candidates who started another interview within 7 days of their first, of those whose 7 days are over.</summary>
    ReturnedShare,
}

/// <summary>One prompt version in an experiment and its share of candidates.</summary>
public sealed record ExperimentArm(string Version, int Weight);

/// <summary>
/// The limits past which an arm is stopped because it harms candidates or costs too much. A null limit is not
/// checked. Each is checked only once an arm has <see cref="MinimumFeedbacks"/> judged answers, so one slow call
/// does not stop an arm on its first turn.
/// </summary>
public sealed record Guardrails(
    double? MaxFallbackRate = null,
    double? MaxSchemaFailureRate = null,
    double? MaxP95LatencySeconds = null,
    decimal? MaxCostPerFeedback = null,
    bool StopWhenHelpfulShareWorse = true,
    long MinimumFeedbacks = 20);

/// <summary>
/// How well a prompt version must agree with the peers on settled disputes before it may be an experiment's baseline
/// (<c>minimum_baseline_agreement</c> and <c>minimum_settled_cases</c> in <c>experiments.yaml</c>): a baseline is what
/// stopped arms fall back to, so a judge the peers keep overruling must not become it.
/// </summary>
/// <param name="MinimumAgreement">The share of settled cases, 0 to 1, the version must score within half a point of the peers.</param>
/// <param name="MinimumSettledCases">Below this many settled cases the agreement says too little to refuse on.</param>
public sealed record BaselineAgreementRequirement(double MinimumAgreement, int MinimumSettledCases);

/// <summary>
/// An experiment as <c>experiments.yaml</c> declares it: the prompt it varies, the baseline arm that stopped arms and
/// people who opted out fall back to, the primary metric with the smallest difference worth detecting and α, and the
/// guardrails.
/// </summary>
public sealed record ExperimentDesign(
    string Id,
    string Prompt,
    string Baseline,
    IReadOnlyList<ExperimentArm> Arms,
    PrimaryMetric Primary,
    double SmallestDifference,
    double Alpha,
    Guardrails Guardrails,
    double Power = 0.8,
    double ExpectedBaselineShare = 0.5,
    double? MixingVariance = null,
    long MinimumPerArm = 30,
    BaselineAgreementRequirement? BaselineAgreement = null,
    int? Comparisons = null)
{
    /// <summary>The arms compared against the baseline.</summary>
    public IEnumerable<ExperimentArm> Challengers => Arms.Where(a => a.Version != Baseline);

    /// <summary>
    /// Each challenger is compared with the baseline, so α is split between the comparisons (Bonferroni): the chance
    /// of any false winner stays within α however many arms there are. The split is the one the experiment started
    /// with (<see cref="Comparisons"/>, pinned) when arms were removed or added since.
    /// </summary>
    public double AlphaPerComparison => Alpha / (Comparisons ?? Math.Max(1, Arms.Count - 1));

    /// <summary>τ² defaults to δ²: the mixture then spends its evidence on differences of the size that matters.</summary>
    public ShareDifferenceDesign Comparison =>
        new(AlphaPerComparison, MixingVariance ?? SmallestDifference * SmallestDifference, SmallestDifference, MinimumPerArm);

    public long PlannedPerArm => PlannedSample.PerArm(ExpectedBaselineShare, SmallestDifference, AlphaPerComparison, Power);

    /// <summary>
    /// The arms in order with their weights (<c>v1=50,v2=50</c>): what <see cref="ArmAssignment"/> reads to put a
    /// candidate in an arm, so a change to it moves candidates between arms.
    /// </summary>
    public string Allocation => string.Join(',', Arms.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Version}={a.Weight}")));

    /// <summary>α, δ, τ² and the comparisons α is split between, as this design states them, τ² defaulted.</summary>
    public SequentialTestSettings TestSettings =>
        new(Alpha, SmallestDifference, MixingVariance ?? SmallestDifference * SmallestDifference, Comparisons ?? Math.Max(1, Arms.Count - 1));

    /// <summary>This design tested with <paramref name="settings"/> instead of its own.</summary>
    public ExperimentDesign With(SequentialTestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return this with
        {
            Alpha = settings.Alpha,
            SmallestDifference = settings.SmallestDifference,
            MixingVariance = settings.MixingVariance,
            Comparisons = settings.Comparisons,
        };
    }
}

/// <summary>
/// What the always-valid test of an experiment is run with. Its guarantee holds for the values it started with: the
/// running interval is the intersection of every look's interval at them, and the kept looks are the ones that bear on
/// it at them. So they are pinned once, like the allocation, and an edit of the file does not change them.
/// </summary>
/// <param name="Comparisons">How many challengers α is split between: removing an arm later must not loosen the test.</param>
public sealed record SequentialTestSettings(double Alpha, double SmallestDifference, double MixingVariance, int Comparisons)
{
    /// <summary>The form the store keeps: <c>alpha=0.05;delta=0.1;mixing=0.01;comparisons=1</c>, round-trip exact.</summary>
    public string Format() =>
        string.Create(CultureInfo.InvariantCulture, $"alpha={Alpha:R};delta={SmallestDifference:R};mixing={MixingVariance:R};comparisons={Comparisons}");

    /// <summary>
    /// The same test: equal but for rounding, since a τ² written as 0.01 and one defaulted from δ = 0.1 differ in the last
    /// bit and must not read as an edit.
    /// </summary>
    public bool SameTestAs(SequentialTestSettings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Close(Alpha, other.Alpha) && Close(SmallestDifference, other.SmallestDifference) && Close(MixingVariance, other.MixingVariance)
            && Comparisons == other.Comparisons;

        static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-12 * Math.Max(Math.Abs(a), Math.Abs(b));
    }

    /// <returns>Null when <paramref name="text"/> is not in the form <see cref="Format"/> writes.</returns>
    public static SequentialTestSettings? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2 || !double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !values.TryAdd(pair[0], value))
                return null;
        }

        return values.Count == 4 && values.TryGetValue("alpha", out var alpha) && values.TryGetValue("delta", out var delta) && values.TryGetValue("mixing", out var mixing)
            && values.TryGetValue("comparisons", out var comparisons) && comparisons >= 1 && comparisons == Math.Floor(comparisons) && comparisons <= int.MaxValue
            ? new(alpha, delta, mixing, (int)comparisons)
            : null;
    }
}

/// <summary>What a model costs per million tokens, in the currency the settings use (US dollars by default).</summary>
public sealed record ModelPrice(string Model, decimal InputPerMillion, decimal CachedInputPerMillion, decimal OutputPerMillion)
{
    public decimal Cost(long promptTokens, long cachedPromptTokens, long completionTokens) =>
        ((promptTokens - cachedPromptTokens) * InputPerMillion + cachedPromptTokens * CachedInputPerMillion + completionTokens * OutputPerMillion) / 1_000_000m;
}
