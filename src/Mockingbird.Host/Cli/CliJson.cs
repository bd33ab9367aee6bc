using System.Text.Json;
using System.Text.Json.Serialization;
using Mockingbird.Evaluation;
using Mockingbird.Host.Experiments;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Host.Cli;

/// <summary>One question as <c>bank list --json</c> prints it. A stable shape: scripts depend on it.</summary>
public sealed record QuestionListing(
    string Id,
    string Stage,
    IReadOnlyList<string> Topics,
    IReadOnlyList<string> Levels,
    IReadOnlyList<string> Tracks,
    string Prompt,
    int RubricPoints,
    IReadOnlyList<string> Dimensions)
{
    public static QuestionListing From(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return new(
            question.Id,
            question.Stage.ToWire(),
            question.Topics,
            [.. question.Levels.Select(l => l.ToWire())],
            [.. question.Tracks.Select(t => t.ToWire())],
            question.Prompt,
            question.Rubric.Count,
            [.. question.Dimensions.Select(d => d.ToWire())]);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<QuestionListing>))]
[JsonSerializable(typeof(Feedback))]
[JsonSerializable(typeof(EvalReport))]
[JsonSerializable(typeof(SettledEvalReport))]
[JsonSerializable(typeof(ExperimentReportJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
