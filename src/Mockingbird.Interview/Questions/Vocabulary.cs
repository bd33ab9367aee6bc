using System.Collections.Frozen;

namespace Mockingbird.Interview.Questions;

/// <summary>The stages of an ML/LLM engineering interview loop, in the order a full loop runs them.</summary>
public enum Stage
{
    Behavioral,
    Theory,
    Design,
    QuestionsToAsk,
    MlCoding,
}

public enum Level
{
    Mid,
    Senior,
    Staff,
}

public enum Track
{
    Applied,
    Research,
    Mlops,
}

/// <summary>What a candidate asks for with <c>/mock start &lt;plan&gt;</c>.</summary>
public enum InterviewPlan
{
    Full,
    Behavioral,
    Theory,
    SystemDesign,
    QuestionsToAsk,
    MlCoding,
}

/// <summary>What a design answer is judged on.</summary>
public enum DesignDimension
{
    Scoping,
    Data,
    Modelling,
    Serving,
    EvaluationMonitoring,
    TradeOffs,
    Cost,
}

/// <summary>
/// The one place where the bank's, the commands' and the JSON output's words for stages, levels, tracks and design
/// dimensions are defined, so YAML, CLI and chat adapters can never disagree on a spelling.
/// </summary>
public static class Vocabulary
{
    private static readonly WireNames<Stage> StageNames = new(
        (Stage.Behavioral, "behavioral"),
        (Stage.Theory, "theory"),
        (Stage.Design, "design"),
        (Stage.QuestionsToAsk, "questions-to-ask"),
        (Stage.MlCoding, "ml-coding"));

    private static readonly WireNames<InterviewPlan> PlanNames = new(
        (InterviewPlan.Full, "full"),
        (InterviewPlan.Behavioral, "behavioral"),
        (InterviewPlan.Theory, "theory"),
        (InterviewPlan.SystemDesign, "system-design"),
        (InterviewPlan.QuestionsToAsk, "questions-to-ask"),
        (InterviewPlan.MlCoding, "ml-coding"));

    private static readonly WireNames<Level> LevelNames = new(
        (Level.Mid, "mid"),
        (Level.Senior, "senior"),
        (Level.Staff, "staff"));

    private static readonly WireNames<Track> TrackNames = new(
        (Track.Applied, "applied"),
        (Track.Research, "research"),
        (Track.Mlops, "mlops"));

    private static readonly WireNames<DesignDimension> DimensionNames = new(
        (DesignDimension.Scoping, "scoping"),
        (DesignDimension.Data, "data"),
        (DesignDimension.Modelling, "modelling"),
        (DesignDimension.Serving, "serving"),
        (DesignDimension.EvaluationMonitoring, "evaluation-monitoring"),
        (DesignDimension.TradeOffs, "trade-offs"),
        (DesignDimension.Cost, "cost"));

    public static string ToWire(this Stage stage) => StageNames.Name(stage);

    public static string ToWire(this InterviewPlan plan) => PlanNames.Name(plan);

    public static string ToWire(this Level level) => LevelNames.Name(level);

    public static string ToWire(this Track track) => TrackNames.Name(track);

    public static string ToWire(this DesignDimension dimension) => DimensionNames.Name(dimension);

    /// <summary>A human label for a stage, as a scorecard shows it.</summary>
    public static string Title(this Stage stage) => stage switch
    {
        Stage.Behavioral => "Behavioral",
        Stage.Theory => "Theory",
        Stage.Design => "System design",
        Stage.QuestionsToAsk => "Questions to ask",
        Stage.MlCoding => "ML coding",
        _ => stage.ToString(),
    };

    public static bool TryParseStage(string? text, out Stage stage) => StageNames.TryParse(text, out stage);

    public static bool TryParsePlan(string? text, out InterviewPlan plan) => PlanNames.TryParse(text, out plan);

    public static bool TryParseLevel(string? text, out Level level) => LevelNames.TryParse(text, out level);

    public static bool TryParseTrack(string? text, out Track track) => TrackNames.TryParse(text, out track);

    public static bool TryParseDimension(string? text, out DesignDimension dimension) =>
        DimensionNames.TryParse(text, out dimension);

    public static IReadOnlyList<string> StageWords => StageNames.All;

    public static IReadOnlyList<string> PlanWords => PlanNames.All;

    public static IReadOnlyList<string> LevelWords => LevelNames.All;

    public static IReadOnlyList<string> TrackWords => TrackNames.All;

    public static IReadOnlyList<string> DimensionWords => DimensionNames.All;

    private sealed class WireNames<T>
        where T : struct, Enum
    {
        private readonly FrozenDictionary<T, string> _names;
        private readonly FrozenDictionary<string, T> _values;

        public WireNames(params (T Value, string Name)[] pairs)
        {
            _names = pairs.ToFrozenDictionary(p => p.Value, p => p.Name);
            _values = pairs.ToFrozenDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
            All = [.. pairs.Select(p => p.Name)];
        }

        public IReadOnlyList<string> All { get; }

        public string Name(T value) => _names[value];

        public bool TryParse(string? text, out T value)
        {
            value = default;
            return text is not null && _values.TryGetValue(text.Trim(), out value);
        }
    }
}
