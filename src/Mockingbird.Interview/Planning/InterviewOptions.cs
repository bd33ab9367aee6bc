using Mockingbird.Interview.Questions;

namespace Mockingbird.Interview.Planning;

/// <summary>What the candidate asked for when starting an interview.</summary>
/// <param name="Plan">Which stages to run.</param>
/// <param name="Level">Only questions suited to this level; <c>null</c> for any.</param>
/// <param name="Track">Only questions suited to this track; <c>null</c> for any.</param>
/// <param name="QuestionCount">Total main questions; <c>null</c> for the plan's default.</param>
public sealed record InterviewOptions(
    InterviewPlan Plan,
    Level? Level = null,
    Track? Track = null,
    int? QuestionCount = null)
{
    public const int MaxQuestions = 20;

    /// <summary>The job the candidate prepares for, when they pasted one: questions lean to its topics and track.</summary>
    public JobDescription? Job { get; init; }

    /// <summary>The stages a plan runs, in order.</summary>
    public IReadOnlyList<Stage> Stages => Plan switch
    {
        InterviewPlan.Full => [Stage.Behavioral, Stage.Theory, Stage.Design, Stage.QuestionsToAsk],
        InterviewPlan.Behavioral => [Stage.Behavioral],
        InterviewPlan.Theory => [Stage.Theory],
        InterviewPlan.SystemDesign => [Stage.Design],
        InterviewPlan.QuestionsToAsk => [Stage.QuestionsToAsk],
        InterviewPlan.MlCoding => [Stage.MlCoding],
        _ => throw new ArgumentOutOfRangeException(nameof(Plan), Plan, "Unknown plan."),
    };

    /// <summary>A one-line reason these options cannot be planned, or <c>null</c> when they can.</summary>
    public string? Problem()
    {
        if (!Enum.IsDefined(Plan))
        {
            return $"Unknown plan. Choose one of: {string.Join(", ", Vocabulary.PlanWords)}.";
        }

        var minimum = Stages.Count;
        if (QuestionCount is { } count && (count < minimum || count > MaxQuestions))
        {
            return minimum == 1
                ? $"The number of questions must be between 1 and {MaxQuestions}."
                : $"A {Plan.ToWire()} interview needs between {minimum} and {MaxQuestions} questions (one per stage at least).";
        }

        return null;
    }

    /// <summary>How many main questions each stage gets.</summary>
    public IReadOnlyDictionary<Stage, int> QuestionsPerStage()
    {
        if (Plan != InterviewPlan.Full)
        {
            var single = Stages[0];
            return new Dictionary<Stage, int> { [single] = QuestionCount ?? DefaultSingleStageCount(single) };
        }

        if (QuestionCount is not { } total)
        {
            return new Dictionary<Stage, int>
            {
                [Stage.Behavioral] = 2,
                [Stage.Theory] = 3,
                [Stage.Design] = 1,
                [Stage.QuestionsToAsk] = 1,
            };
        }

        // One per stage, then the rest where a real loop spends its time; seven questions give the default 2/3/1/1.
        var counts = Stages.ToDictionary(s => s, _ => 1);
        Stage[] priority = [Stage.Theory, Stage.Behavioral, Stage.Theory, Stage.Design, Stage.QuestionsToAsk];
        for (var extra = 0; extra < total - Stages.Count; extra++)
        {
            counts[priority[extra % priority.Length]]++;
        }

        return counts;
    }

    /// <summary>Follow-ups the interviewer asks unprompted after a main answer in this stage.</summary>
    public static int AutomaticFollowUps(Stage stage) => stage == Stage.Design ? 1 : 0;

    private static int DefaultSingleStageCount(Stage stage) => stage switch
    {
        Stage.Behavioral => 3,
        Stage.Theory => 5,
        Stage.Design => 2,
        Stage.QuestionsToAsk => 2,
        Stage.MlCoding => 2,
        _ => 3,
    };
}
