namespace Mockingbird.Interview.Judging;

/// <summary>One judged dimension of an answer, scored 1 (weak) to 4 (strong).</summary>
/// <param name="Name">The dimension, e.g. <c>coverage</c>, <c>star-structure</c>, <c>serving</c>.</param>
/// <param name="Score">1 to 4.</param>
/// <param name="Evidence">Sentences quoted from the answer that support the score.</param>
/// <param name="Rationale">One line saying why the score is what it is.</param>
public sealed record DimensionScore(string Name, int Score, IReadOnlyList<string> Evidence, string Rationale);

/// <summary>A rubric point the answer evidenced, with the sentence that evidences it.</summary>
public sealed record CoveredPoint(string Point, string Evidence);

/// <summary>The judged feedback on one answer. Its JSON shape is public: scripts and eval sets depend on it.</summary>
/// <param name="QuestionId">The question answered.</param>
/// <param name="Judge">Which judge produced this, e.g. <c>offline-rubric</c>.</param>
/// <param name="Label">What the judge can and cannot tell, shown to the candidate with the feedback.</param>
/// <param name="Dimensions">Scores per dimension.</param>
/// <param name="Covered">Rubric points evidenced, each with its quote.</param>
/// <param name="Missed">Rubric points not evidenced.</param>
/// <param name="Total">Overall score on the same 1-4 scale, to one decimal.</param>
/// <param name="Insights">Delivery observations (length, filler, repetition): shown, never scored.</param>
/// <param name="Flags">Problems with the answer itself, such as text that tries to instruct the judge.</param>
/// <param name="NextDrill">The one thing to practise next.</param>
/// <param name="Outline">An outline of a strong answer, when the judge can write one.</param>
/// <param name="Source">Which judge, model and prompt version produced this, for comparing prompt versions and cost.</param>
/// <param name="NextFollowUp">
/// The follow-up the judge wrote in the same call, already vetted, for the engine to ask next when a follow-up comes
/// next; <c>null</c> when the judge wrote none, and the interviewer is asked instead.
/// </param>
public sealed record Feedback(
    string QuestionId,
    string Judge,
    string Label,
    IReadOnlyList<DimensionScore> Dimensions,
    IReadOnlyList<CoveredPoint> Covered,
    IReadOnlyList<string> Missed,
    double Total,
    IReadOnlyList<string> Insights,
    IReadOnlyList<string> Flags,
    string NextDrill,
    string? Outline = null,
    FeedbackSource? Source = null,
    WrittenText? NextFollowUp = null);

/// <summary>Text an LLM wrote for the candidate (a follow-up, a summary), stamped with the prompt that wrote it.</summary>
public sealed record WrittenText(string Text, FeedbackSource Source);

/// <summary>
/// The provenance of a feedback or of written text, and what writing it cost. Feedback from the offline fallback
/// names no prompt version (no prompt wrote it), but it keeps the experiment and arm the candidate is counted in and
/// the tokens the failed calls spent: an arm that falls back is charged with it (intention to treat), never credited
/// with the offline judge's work as its prompt's.
/// </summary>
/// <param name="JudgeKind"><c>offline-rubric</c>, <c>llm</c>, or <c>offline-fallback</c> when the LLM could not answer.</param>
/// <param name="Experiment">The experiment the candidate is counted in for this prompt, if any.</param>
/// <param name="Arm">The arm (prompt version) they are counted in there, which may differ from the version served when their arm stopped.</param>
/// <param name="SchemaFailures">Replies that did not follow the schema and were asked again or given up on.</param>
public sealed record FeedbackSource(
    string JudgeKind,
    string? Model = null,
    string? PromptName = null,
    string? PromptVersion = null,
    string? PromptHash = null,
    string? Variant = null,
    string? Experiment = null,
    string? Arm = null,
    int PromptTokens = 0,
    int CachedPromptTokens = 0,
    int CompletionTokens = 0,
    int SchemaFailures = 0);
