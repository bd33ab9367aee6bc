namespace Mockingbird.Interview.Questions;

/// <summary>A key point a strong answer makes, and the phrases that evidence it.</summary>
/// <param name="Text">The point, phrased as what a strong answer does.</param>
/// <param name="Evidence">Lower-case phrases a candidate making the point would use.</param>
/// <param name="Dimension">For design questions, the dimension this point evidences.</param>
/// <param name="Mistake">A common wrong version of this point, which earns nothing and is corrected.</param>
public sealed record RubricPoint(string Text, IReadOnlyList<string> Evidence, DesignDimension? Dimension = null, KnownMistake? Mistake = null);

/// <summary>A common wrong version of a rubric point, and what is true instead.</summary>
/// <param name="Says">
/// How the mistake is said: each pattern is one or more phrases in order, joined by <c>...</c> where a few other words
/// may come between them ("l2 ... laplace").
/// </param>
/// <param name="Correction">What is true instead, as one or two sentences shown to the candidate.</param>
/// <param name="Unless">
/// Words that mark a clause as about something else, though it holds a pattern: "the router scores every expert for
/// every token" describes routing, not every expert processing every token.
/// </param>
public sealed record KnownMistake(IReadOnlyList<string> Says, string Correction, IReadOnlyList<string>? Unless = null);

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
