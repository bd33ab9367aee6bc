using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Interview.Telemetry;

/// <summary>
/// The engine's meter and spans: turns taken, how long judging an answer takes, and jobs given up on. Attribute
/// values are small fixed sets (an input kind, a judge kind, an exception type), never a candidate or their text.
/// </summary>
public sealed class InterviewTelemetry
{
    public const string Name = "Mockingbird.Interview";

    /// <summary>Spans around a turn and a judging job; a static source, as ActivitySource has no factory.</summary>
    public static readonly ActivitySource Spans = new(Name);

    private readonly Counter<long> _turns;
    private readonly Histogram<double> _judgeDuration;
    private readonly Counter<long> _deadLetters;

    public InterviewTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Name);
        _turns = meter.CreateCounter<long>("mockingbird.turns", "{turn}", "Candidate inputs the interview took (starts included).");
        _judgeDuration = meter.CreateHistogram(
            "mockingbird.judge.duration",
            "s",
            "How long a judge took over one answer, fallbacks included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80] });
        _deadLetters = meter.CreateCounter<long>("mockingbird.judging.dead_letters", "{job}", "Judging jobs given up on and moved to the dead-letter stream.");
    }

    /// <summary>The low-cardinality name of an input, as the <c>mockingbird.input</c> attribute.</summary>
    public static string KindOf(InterviewInput input) => input switch
    {
        AnswerSubmitted => "answer",
        HintRequested => "hint",
        SkipRequested => "skip",
        FollowUpRequested => "follow_up",
        RepeatRequested => "repeat",
        EndRequested => "end",
        ResumeRequested => "resume",
        StartRequested => "start",
        FollowUpWritten => "follow_up_written",
        JudgementReady => "judgement",
        _ => "other",
    };

    public static Activity? StartTurn(string input)
    {
        var activity = Spans.StartActivity("mockingbird.turn");
        activity?.SetTag("mockingbird.input", input);
        return activity;
    }

    public static Activity? StartJudgingJob(QueuedJudgement job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var activity = Spans.StartActivity("mockingbird.judging.job", ActivityKind.Consumer);
        activity?.SetTag("mockingbird.judging.attempt", job.Attempt);
        return activity;
    }

    public void Turn(string input) => _turns.Add(1, new KeyValuePair<string, object?>("mockingbird.input", input));

    /// <param name="judge">The judge that answered (<c>llm</c>, <c>offline-fallback</c>, the rubric judge's name).</param>
    /// <param name="errorType">The exception type when the judge threw; null when it answered.</param>
    public void Judged(TimeSpan elapsed, string? judge, string? errorType = null)
    {
        var tags = new TagList { { "mockingbird.judge", judge ?? "unknown" } };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _judgeDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <param name="reason"><c>failed</c> (too many failed attempts) or <c>held</c> (its delivery stayed held by another poster).</param>
    public void DeadLettered(string reason) => _deadLetters.Add(1, new KeyValuePair<string, object?>("mockingbird.dead_letter.reason", reason));
}
