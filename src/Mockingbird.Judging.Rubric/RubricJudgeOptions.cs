namespace Mockingbird.Judging.Rubric;

/// <summary>How the offline rubric judge matches evidence (the <c>Judging</c> section, shared with the judging workers).</summary>
public sealed class RubricJudgeOptions
{
    public const string Section = "Judging";

    /// <summary>
    /// Also credit points said in other words, with the sentence-embedding model registered beside the judge. Off, the
    /// model is never loaded and evidence phrases alone count: for a machine too small for its memory and CPU.
    /// </summary>
    public bool MatchByMeaning { get; set; } = true;
}
