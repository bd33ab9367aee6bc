using Mockingbird.Interview.Questions;

namespace Mockingbird.Drills;

/// <summary>A drill as the candidate reads it: the bank's question, framed to be answered briefly.</summary>
public sealed record DrillQuestion(string QuestionId, string Text);

/// <summary>
/// Chooses a bank question that exercises a rubric dimension. The bank keeps no short forms, so the shortest fitting
/// prompt the candidate has not met lately is asked with a request for a short answer.
/// </summary>
public sealed class DrillQuestions(QuestionBank bank)
{
    public const string Framing = "Answer in 3–5 sentences.";

    /// <summary>
    /// Which stage's judging scores each dimension, as the judges name them: a design dimension lives in the design
    /// questions whose rubric lists it; coverage and depth, which every stage scores, are drilled on theory.
    /// </summary>
    private static readonly Dictionary<string, Stage> StageOfDimension = new(StringComparer.Ordinal)
    {
        ["star-structure"] = Stage.Behavioral,
        ["ownership"] = Stage.Behavioral,
        ["quantification"] = Stage.Behavioral,
        ["reflection"] = Stage.Behavioral,
        ["insight"] = Stage.QuestionsToAsk,
        ["specificity"] = Stage.QuestionsToAsk,
        ["correctness"] = Stage.MlCoding,
        ["edge-cases-and-tests"] = Stage.MlCoding,
        ["complexity"] = Stage.MlCoding,
    };

    /// <summary>A question for <paramref name="dimension"/>, avoiding <paramref name="recent"/> while others fit; null for an empty bank.</summary>
    public DrillQuestion? Pick(string dimension, IReadOnlyCollection<string> recent)
    {
        ArgumentNullException.ThrowIfNull(recent);
        var fitting = Fitting(dimension).ToList();
        if (fitting.Count == 0)
        {
            fitting = [.. bank.Questions];
        }

        var chosen = fitting.Where(q => !recent.Contains(q.Id)).DefaultIfEmpty().MinBy(Length)
            ?? fitting.MinBy(Length);
        return chosen is null ? null : new DrillQuestion(chosen.Id, $"{chosen.Prompt.Trim()}\n\n{Framing}");
    }

    private IEnumerable<Question> Fitting(string dimension)
    {
        if (Vocabulary.TryParseDimension(dimension, out var design))
        {
            return bank.ForStage(Stage.Design).Where(q => q.Dimensions.Contains(design) || q.Rubric.Any(p => p.Dimension == design));
        }

        return bank.ForStage(StageOfDimension.GetValueOrDefault(dimension, Stage.Theory));
    }

    private static int Length(Question? question) => question?.Prompt.Length ?? int.MaxValue;
}
