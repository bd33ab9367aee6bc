namespace Mockingbird.Interview.Questions;

/// <summary>A key point a strong answer makes, and the phrases that evidence it.</summary>
/// <param name="Text">The point, phrased as what a strong answer does.</param>
/// <param name="Evidence">Lower-case phrases a candidate making the point would use.</param>
/// <param name="Dimension">For design questions, the dimension this point evidences.</param>
public sealed record RubricPoint(string Text, IReadOnlyList<string> Evidence, DesignDimension? Dimension = null);

/// <summary>One question of the bank, self-contained: prompt, rubric, follow-ups.</summary>
/// <param name="ReferenceAnswer">A strong answer in the bank's own words, which the LLM judge grades against.</param>
public sealed record Question(
    string Id,
    Stage Stage,
    IReadOnlyList<string> Topics,
    IReadOnlyList<Level> Levels,
    IReadOnlyList<Track> Tracks,
    string Prompt,
    IReadOnlyList<RubricPoint> Rubric,
    IReadOnlyList<string> FollowUps,
    IReadOnlyList<DesignDimension> Dimensions,
    string? Signals = null,
    string? ReferenceAnswer = null)
{
    public bool Suits(Level? level, Track? track) =>
        (level is null || Levels.Contains(level.Value)) && (track is null || Tracks.Contains(track.Value));
}
