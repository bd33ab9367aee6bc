namespace Mockingbird.Drills;

/// <summary>One rubric dimension a candidate drills, and where it stands on the ladder of intervals.</summary>
/// <param name="Step">Index into <see cref="DrillSchedule.Intervals"/>: the wait after the last drill of this dimension.</param>
/// <param name="DueAt">When the next drill of this dimension is owed (before quiet hours move it).</param>
/// <param name="StrongAtLongest">Strong answers in a row at the longest interval; two retire the dimension.</param>
public sealed record DrilledDimension(string Dimension, int Step, DateTimeOffset DueAt, DateTimeOffset? LastDrilledAt = null, int StrongAtLongest = 0, bool Retired = false);

/// <summary>A drill sent to the candidate, kept until answered or pushed out by newer ones.</summary>
public sealed record SentDrill(string DrillId, string Dimension, string QuestionId, DateTimeOffset SentAt, bool Answered = false);

/// <summary>A judged drill answer: only its score is kept, never its text.</summary>
/// <param name="Total">The judge's total, out of 4.</param>
/// <param name="Scores">
/// The judge's score per rubric dimension, kept so that feedback sent after a crash reads as it would have; null in
/// answers judged before they were kept.
/// </param>
public sealed record DrillAnswer(string DrillId, string Dimension, double Total, DateTimeOffset At, IReadOnlyList<DrillScore>? Scores = null);

/// <summary>One rubric dimension's score of a judged drill answer, out of 4.</summary>
public sealed record DrillScore(string Dimension, int Score);

/// <summary>
/// Everything kept about one candidate's drills: whether they are on, the time zone of their quiet hours, the
/// dimensions being drilled, and the recent drills and answers. <see cref="Version"/> moves with every save, so two
/// writers (a replica sending a drill, the candidate turning drills off) cannot overwrite each other.
/// </summary>
/// <param name="TimeZone">An IANA time zone id.</param>
public sealed record DrillPlan(
    string CandidateId,
    bool On,
    string TimeZone,
    IReadOnlyList<DrilledDimension> Dimensions,
    IReadOnlyList<SentDrill> Sent,
    IReadOnlyList<DrillAnswer> Answers,
    long Version = 0)
{
    public const string DefaultTimeZone = "UTC";

    /// <summary>Sent drills and answers kept: enough to avoid repeating a question and to weigh recent answers.</summary>
    public const int Kept = 20;

    public static DrillPlan New(string candidateId) => new(candidateId, false, DefaultTimeZone, [], [], []);

    public DrilledDimension? Find(string dimension) => Dimensions.FirstOrDefault(d => d.Dimension == dimension);

    public DrillPlan With(DrilledDimension dimension) =>
        this with { Dimensions = [.. Dimensions.Where(d => d.Dimension != dimension.Dimension), dimension] };
}
