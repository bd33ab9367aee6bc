namespace Mockingbird.Interview.Questions;

/// <summary>A key point a strong answer makes, and the phrases that evidence it.</summary>
/// <param name="Text">The point, phrased as what a strong answer does.</param>
/// <param name="Evidence">Lower-case phrases a candidate making the point would use.</param>
/// <param name="Dimension">For design questions, the dimension this point evidences.</param>
/// <param name="MixUps">Common wrong statements of the point, which the offline judge does not credit.</param>
public sealed record RubricPoint(string Text, IReadOnlyList<string> Evidence, DesignDimension? Dimension = null, IReadOnlyList<MixUp>? MixUps = null);

/// <summary>
/// A common wrong statement of a rubric point, such as a swapped pair ("L2 is a Laplace prior"), and what is right.
/// </summary>
/// <param name="Said">Lower-case phrases that, all in one clause, state the mix-up.</param>
/// <param name="Unless">Lower-case phrases that, in the same clause, mean it probably says something right after all (the other half of a swapped pair).</param>
/// <param name="Correction">What is right, shown to the candidate.</param>
/// <param name="Example">A sentence that states the mix-up; the bank's tests check that the judge finds it.</param>
public sealed record MixUp(IReadOnlyList<string> Said, IReadOnlyList<string> Unless, string Correction, string Example);

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
