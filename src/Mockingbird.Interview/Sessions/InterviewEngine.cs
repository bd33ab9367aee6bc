using System.Globalization;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Interview.Sessions;

/// <summary>Limits the engine enforces on every platform alike.</summary>
/// <param name="MaxAnswerCharacters">Longer answers are refused (not truncated), so nothing is silently lost.</param>
/// <param name="HintsPerQuestion">Hints a candidate may take on one question or follow-up.</param>
public sealed record InterviewRules(int MaxAnswerCharacters = 12_000, int HintsPerQuestion = 2);

/// <summary>The outcome of one input: the session as it now is, and what to show or do.</summary>
public sealed record InterviewStep(InterviewSession Session, IReadOnlyList<InterviewAction> Actions);

/// <summary>The outcome of a start: a new session, or only the reply saying why none was started.</summary>
public sealed record InterviewStart(InterviewSession? Session, IReadOnlyList<InterviewAction> Actions);

/// <summary>
/// The rules of a mock interview, free of I/O: it takes a session and an input and returns the next session and the
/// actions to carry out. Every platform drives this same code; an input that does not fit the state gets a clear
/// notice and leaves the session as it was.
/// </summary>
public sealed class InterviewEngine(QuestionBank bank, InterviewRules rules)
{
    public InterviewEngine(QuestionBank bank)
        : this(bank, new InterviewRules())
    {
    }

    public QuestionBank Bank { get; } = bank ?? throw new ArgumentNullException(nameof(bank));

    public InterviewRules Rules { get; } = rules ?? throw new ArgumentNullException(nameof(rules));

    public InterviewStart Start(
        string sessionId,
        string candidateId,
        InterviewOptions options,
        ulong seed,
        IReadOnlySet<string> seenQuestionIds,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            return new InterviewStart(null, [new PostNotice(problem, NoticeKind.Rejected)]);
        }

        var selection = QuestionSelector.Select(Bank, options, seed, seenQuestionIds);
        if (selection.Questions.Count == 0)
        {
            return new InterviewStart(null, [new PostNotice($"No questions match a {options.Plan.ToWire()} interview with those filters.", NoticeKind.Rejected)]);
        }

        var session = new InterviewSession(
            sessionId,
            candidateId,
            options,
            seed,
            [.. selection.Questions.Select(q => new PlannedQuestion(q.Id, q.Stage))],
            new InterviewItem(0),
            SessionPhase.AwaitingAnswer,
            [],
            new Dictionary<string, int>(),
            EndRequested: false,
            now,
            now);
        var stages = selection.Questions
            .GroupBy(q => q.Stage)
            .Select(g => new StagePlan(g.Key, g.Count()))
            .ToList();
        return new InterviewStart(session, [new PostIntroduction(options, stages, selection.Notes), Ask(session, isRepeat: false)]);
    }

    public InterviewStep Handle(InterviewSession session, InterviewInput input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(input);

        if (session.Phase != SessionPhase.Completed && input is not JudgementReady && MissingQuestions(session) is { Count: > 0 } missing)
        {
            // Nothing can be asked or judged against a question that is gone, so ending has to work from any phase.
            return input is EndRequested
                ? Finish(session, now, [])
                : Unchanged(session, $"This interview uses question(s) no longer in the bank ({string.Join(", ", missing)}). End it to see your scorecard, then start a new one.");
        }

        if (session.Phase == SessionPhase.AwaitingAnswer && PositionOf(input) is { } on && on != CurrentPosition(session))
        {
            return Unchanged(session, $"That was for an earlier question, so nothing was done: you are on {Position(session)}.");
        }

        return (session.Phase, input) switch
        {
            (_, JudgementReady judged) => OnJudgement(session, judged, now),
            (_, FollowUpWritten written) => OnFollowUpWritten(session, written, now),
            (SessionPhase.Completed, _) => Unchanged(session, "This interview has ended. Start a new one whenever you like."),
            (_, StartRequested) => Unchanged(session, $"You already have an interview in progress ({Position(session)}). Resume it, or end it before starting another."),
            (SessionPhase.Judging, EndRequested) => Touch(session with { EndRequested = true }, now, new PostNotice("Ending the interview after the feedback on your last answer.")),
            (SessionPhase.Judging, ResumeRequested) => new InterviewStep(session, [
                new PostNotice($"Welcome back. Your answer to {Position(session)} is being judged; its feedback will be posted here."),
                JudgeAgain(session),
            ]),
            (SessionPhase.Judging, AnswerSubmitted) => Unchanged(session, $"Your answer to {Position(session)} is still being judged. Send your next answer after its feedback appears; nothing was recorded."),
            (SessionPhase.Judging, _) => Unchanged(session, $"One moment: your answer to {Position(session)} is being judged."),
            (SessionPhase.AwaitingAnswer, AnswerSubmitted answer) => OnAnswer(session, answer.Text, now),
            (SessionPhase.AwaitingAnswer, HintRequested hint) => OnHint(session, hint.Number, now),
            (SessionPhase.AwaitingAnswer, SkipRequested) => OnSkip(session, now),
            (SessionPhase.AwaitingAnswer, FollowUpRequested) => OnFollowUpRequested(session, now),
            (SessionPhase.AwaitingAnswer, RepeatRequested) => new InterviewStep(session, [Ask(session, isRepeat: true)]),
            (SessionPhase.AwaitingAnswer, ResumeRequested) => new InterviewStep(session, [new PostNotice($"Welcome back: you are on {Position(session)}.{LastJudgement(session)}"), Ask(session, isRepeat: true)]),
            (SessionPhase.AwaitingAnswer, EndRequested) => Finish(session, now, []),
            _ => Unchanged(session, "That can't be done at this point of the interview."),
        };
    }

    /// <summary>
    /// What an interviewer needs to rewrite the follow-up now on screen so it reacts to the last answer, or
    /// <c>null</c> when no follow-up is on screen or one was already written for it.
    /// </summary>
    public FollowUpRequest? FollowUpRequestFor(InterviewSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Phase != SessionPhase.AwaitingAnswer || !session.Current.IsFollowUp || session.WrittenFollowUps.ContainsKey(session.Current.Key))
        {
            return null;
        }

        var question = QuestionAt(session, session.Current.QuestionIndex);
        if (session.LatestJudged(question.Id) is not { Answer: { } answer, Score: { } score })
        {
            return null;
        }

        var notes = NotesOn(session, question);
        return new FollowUpRequest(question, score.Missed, notes[..^1], answer, session.CandidateId, session.Options.Job?.Requirements);
    }

    /// <summary>The judged answers on the current question so far, as notes.</summary>
    private static List<TurnNote> NotesOn(InterviewSession session, Question question) =>
        [.. session.Turns.Where(t => t.QuestionId == question.Id && t.Score is not null).Select(t => new TurnNote(
            t.FollowUpIndex is { } f ? FollowUpText(session, new InterviewItem(session.Current.QuestionIndex, f), question) : question.Prompt,
            t.Score!.Total,
            t.Score.Missed))];

    /// <summary>Every judged answer of a session as a note: what was asked, the score, what was still missing.</summary>
    public IReadOnlyList<TurnNote> JudgedNotes(InterviewSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return [.. session.Turns.Where(t => t.Score is not null).Select(t =>
        {
            var index = session.Questions.ToList().FindIndex(q => q.Id == t.QuestionId);
            var question = Bank.Find(t.QuestionId);
            var asked = question is null ? t.QuestionId
                : t.FollowUpIndex is { } f ? FollowUpText(session, new InterviewItem(index, f), question)
                : question.Prompt;
            return new TurnNote(asked, t.Score!.Total, t.Score.Missed);
        })];
    }

    /// <summary>What an LLM debrief of a finished session reads, or <c>null</c> when its scorecard has no debrief.</summary>
    public DebriefRequest? DebriefRequestFor(InterviewSession session, Scorecard scorecard)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(scorecard);
        return scorecard.Debrief is { } offline
            ? new DebriefRequest(Debriefs.TurnsOf(session), Debriefs.AskedOf(session, Bank), offline, session.CandidateId)
            : null;
    }

    /// <summary>The history entry to keep when a step from <paramref name="before"/> completed the session.</summary>
    public HistoryEntry? HistoryEntryFor(InterviewSession before, InterviewStep after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return before.Phase != SessionPhase.Completed && after.Session.Phase == SessionPhase.Completed
            ? Scorecards.HistoryFor(after.Session, id => Bank.Find(id)?.Topics ?? [], now, after.Actions.OfType<PostScorecard>().FirstOrDefault()?.Scorecard)
            : null;
    }

    /// <summary>The bank question behind a session's question index.</summary>
    public Question QuestionAt(InterviewSession session, int index)
    {
        ArgumentNullException.ThrowIfNull(session);
        var id = session.Questions[index].Id;
        return Bank.Find(id) ?? throw new InvalidOperationException($"Question '{id}' is not in the bank.");
    }

    private InterviewStep OnAnswer(InterviewSession session, string text, DateTimeOffset now)
    {
        var answer = text.Trim();
        if (answer.Length == 0)
        {
            return Unchanged(session, "An empty answer can't be judged. Write your answer, ask for a hint, or skip.");
        }

        if (answer.Length > Rules.MaxAnswerCharacters)
        {
            return Unchanged(session, string.Create(
                CultureInfo.InvariantCulture,
                $"Your answer is {answer.Length:N0} characters; the limit is {Rules.MaxAnswerCharacters:N0}. Shorten it and send it again: nothing was recorded."));
        }

        var turn = NextTurn(session, TurnOutcome.Answered, answer, now);
        var next = session with
        {
            Phase = SessionPhase.Judging,
            Turns = [.. session.Turns, turn],
            UpdatedAt = now,
        };
        return new InterviewStep(next, [new AcknowledgeAnswer(turn.Number, WordCount.Of(answer)), JudgeAgain(next)]);
    }

    /// <summary>
    /// The judging request for the pending turn. Asking again is safe: a judgement for a turn that is no longer
    /// pending changes nothing, so a lost or duplicated request can never double the feedback.
    /// </summary>
    public RequestJudgement JudgeAgain(InterviewSession session)
    {
        var pending = session.PendingTurn ?? throw new InvalidOperationException("No answer is waiting for judgement.");
        var question = QuestionAt(session, session.Current.QuestionIndex);
        var followUp = pending.FollowUpIndex is not null ? FollowUpText(session, new InterviewItem(session.Current.QuestionIndex, pending.FollowUpIndex), question) : null;
        IReadOnlyList<string>? alreadyCovered = followUp is not null && session.LatestJudged(question.Id) is { Score: { } score }
            ? [.. question.Rubric.Select(p => p.Text).Where(p => !score.Missed.Contains(p))]
            : null;
        return new RequestJudgement(session.Id, pending.Number, new JudgeRequest(question, followUp, pending.Answer!, alreadyCovered, session.CandidateId, NotesOn(session, question), $"{session.Id}:{pending.Number}", session.Options.Job?.Requirements));
    }

    private InterviewStep OnJudgement(InterviewSession session, JudgementReady judged, DateTimeOffset now)
    {
        // A judgement for a turn that is not pending is a duplicate or a stale retry: it changes nothing and posts nothing.
        if (session.PendingTurn is not { } pending || pending.Number != judged.TurnNumber)
        {
            return new InterviewStep(session, []);
        }

        var feedback = judged.Feedback;
        var score = new TurnScore(
            feedback.Judge,
            feedback.Total,
            [.. feedback.Dimensions.Select(d => new ScoredDimension(d.Name, d.Score))],
            feedback.Missed,
            feedback.NextDrill);
        var (quotes, signals) = AnswerDigests.Of(pending.Stage, pending.Answer, feedback);
        score = score with
        {
            Quotes = quotes,
            Signals = signals,
            Source = feedback.Source is { } source ? source with { PromptTokens = 0, CachedPromptTokens = 0, CompletionTokens = 0, SchemaFailures = 0 } : null,
        };
        var turns = session.Turns.ToList();
        turns[^1] = pending with { Score = score };
        var judgedSession = session with { Turns = turns, Phase = SessionPhase.AwaitingAnswer, JobRequirementsCovered = CoveredAfter(session, pending.Answer) };
        var post = new PostFeedback(pending.Number, session.QuestionNumber, session.Current.FollowUpIndex + 1, feedback, Interview: session.Mark);
        if (MissingQuestions(judgedSession).Count > 0)
        {
            return Finish(judgedSession, now, [post, new PostNotice("This interview's questions changed in the bank, so it ends here.")]);
        }

        return judgedSession.EndRequested
            ? Finish(judgedSession, now, [post])
            : Advance(judgedSession, now, answered: true, [post]);
    }

    /// <summary>The job's requirements covered once <paramref name="answer"/> is counted too.</summary>
    private static IReadOnlyList<int> CoveredAfter(InterviewSession session, string? answer)
    {
        if (session.Options.Job is not { } job || string.IsNullOrWhiteSpace(answer))
        {
            return session.JobRequirementsCovered;
        }

        var covered = Enumerable.Range(0, job.Requirements.Count)
            .Where(i => session.JobRequirementsCovered.Contains(i) || JobDescription.Covers(job.Requirements[i], answer))
            .ToList();
        return covered.Count == session.JobRequirementsCovered.Count ? session.JobRequirementsCovered : covered;
    }

    private InterviewStep OnHint(InterviewSession session, int? requested, DateTimeOffset now)
    {
        if (requested is { } number && number != session.HintsGiven + 1)
        {
            return Unchanged(session, number <= session.HintsGiven
                ? $"Hint {number} was shown already, so nothing was done."
                : $"That button asked for hint {number}, but hint {session.HintsGiven + 1} comes first, so nothing was done.");
        }

        if (session.HintsGiven >= Rules.HintsPerQuestion)
        {
            return Unchanged(session, $"No more hints for this one: you have used {Rules.HintsPerQuestion} of {Rules.HintsPerQuestion}. Answer with what you have, or skip.");
        }

        var question = QuestionAt(session, session.Current.QuestionIndex);
        var candidates = HintablePoints(session, question);
        if (session.HintsGiven >= candidates.Count)
        {
            return Unchanged(session, "There is no further hint for this one. Answer with what you have, or skip.");
        }

        var point = candidates[session.HintsGiven];
        var area = point.Dimension is { } dimension ? $" ({dimension.ToWire()})" : string.Empty;
        var hint = HintLines.Opening(question, point) is { } opening
            ? $"A strong answer has a line like “{opening}”{area}."
            : $"A strong answer covers something around {string.Join(", ", point.Evidence.Take(2).Select(p => $"\"{p}\""))}{area}.";
        var hints = new Dictionary<string, int>(session.Hints) { [session.Current.Key] = session.HintsGiven + 1 };
        var next = session with { Hints = hints, UpdatedAt = now };
        var anotherHint = next.HintsGiven < Rules.HintsPerQuestion && next.HintsGiven < candidates.Count;
        return new InterviewStep(next, [new PostHint(hint, next.HintsGiven, Rules.HintsPerQuestion, CurrentPosition(next), anotherHint)]);
    }

    /// <summary>Hints point at rubric points; on a follow-up, at those the main answer missed.</summary>
    private static List<RubricPoint> HintablePoints(InterviewSession session, Question question)
    {
        if (session.Current.IsFollowUp)
        {
            var missed = session.LatestJudged(question.Id)?.Score?.Missed ?? [];
            var missedPoints = question.Rubric.Where(p => missed.Contains(p.Text)).ToList();
            if (missedPoints.Count > 0)
            {
                return missedPoints;
            }
        }

        // Spread over dimensions first for design questions, so two hints never point at the same area.
        return [.. question.Rubric
            .Select((point, index) => (point, index))
            .OrderBy(p => question.Rubric.Take(p.index).Count(q => q.Dimension == p.point.Dimension))
            .ThenBy(p => p.index)
            .Select(p => p.point)];
    }

    private InterviewStep OnSkip(InterviewSession session, DateTimeOffset now)
    {
        var turn = NextTurn(session, TurnOutcome.Skipped, answer: null, now);
        var skipped = session with { Turns = [.. session.Turns, turn] };
        var what = session.Current.IsFollowUp ? "follow-up" : $"question {session.QuestionNumber}";
        return Advance(skipped, now, answered: false, [new PostNotice($"Skipped {what}.")]);
    }

    private Turn NextTurn(InterviewSession session, TurnOutcome outcome, string? answer, DateTimeOffset now)
    {
        var question = QuestionAt(session, session.Current.QuestionIndex);
        return new Turn(session.Turns.Count + 1, question.Id, question.Stage, session.Current.FollowUpIndex, outcome, answer, session.HintsGiven, now);
    }

    private InterviewStep OnFollowUpRequested(InterviewSession session, DateTimeOffset now)
    {
        if (session.Current.IsFollowUp)
        {
            return Unchanged(session, "You are on a follow-up already. Answer it (or skip it) first.");
        }

        var previous = session.Current.QuestionIndex - 1;
        var answeredPrevious = previous >= 0 && session.Turns.Any(t =>
            t.QuestionId == session.Questions[previous].Id && t.FollowUpIndex is null && t.Outcome == TurnOutcome.Answered);
        if (!answeredPrevious)
        {
            return Unchanged(session, "A follow-up comes after an answered question. Answer this one first and ask again before the next.");
        }

        var question = QuestionAt(session, previous);
        var nextFollowUp = session.Turns
            .Where(t => t.QuestionId == question.Id && t.FollowUpIndex is not null)
            .Select(t => t.FollowUpIndex!.Value + 1)
            .DefaultIfEmpty(0)
            .Max();
        if (nextFollowUp >= question.FollowUps.Count)
        {
            return Unchanged(session, $"Question {previous + 1} has no more follow-ups. Carry on with question {session.QuestionNumber}.");
        }

        var next = session with { Current = new InterviewItem(previous, nextFollowUp), UpdatedAt = now };
        return new InterviewStep(next, [Ask(next, isRepeat: false)]);
    }

    /// <summary>Moves past the current item: to its next automatic follow-up, the next question, or the scorecard.</summary>
    private InterviewStep Advance(InterviewSession session, DateTimeOffset now, bool answered, List<InterviewAction> actions)
    {
        var current = session.Current;
        var question = QuestionAt(session, current.QuestionIndex);
        var automatic = Math.Min(InterviewOptions.AutomaticFollowUps(question.Stage), question.FollowUps.Count);
        var nextFollowUp = (current.FollowUpIndex ?? -1) + 1;
        InterviewItem next;
        if (answered && nextFollowUp < automatic)
        {
            next = current with { FollowUpIndex = nextFollowUp };
        }
        else if (current.QuestionIndex + 1 < session.Questions.Count)
        {
            next = new InterviewItem(current.QuestionIndex + 1);
        }
        else
        {
            return Finish(session, now, actions);
        }

        var moved = session with
        {
            Current = next,
            Phase = SessionPhase.AwaitingAnswer,
            Turns = next.IsFollowUp ? session.Turns : AnswersStillRead(session.Turns, session.LatestJudged(question.Id)),
            UpdatedAt = now,
        };
        actions.Add(Ask(moved, isRepeat: false));
        return new InterviewStep(moved, actions);
    }

    /// <summary>
    /// Drops the answer text the engine will never read again once a new question is on screen, so a stored session
    /// stays small. Only the last judged answer on the question just left is kept: a requested follow-up goes back to
    /// it and is written to react to that answer. Scores, missed points and drills stay for the scorecard and summary.
    /// </summary>
    private static List<Turn> AnswersStillRead(IReadOnlyList<Turn> turns, Turn? lastJudgedLeft) =>
        [.. turns.Select(t => t.Answer is null || t.Number == lastJudgedLeft?.Number ? t : t with { Answer = null })];

    private InterviewStep Finish(InterviewSession session, DateTimeOffset now, List<InterviewAction> actions)
    {
        var finished = session with { Phase = SessionPhase.Completed, UpdatedAt = now };
        actions.Add(new PostScorecard(Scorecards.For(finished) with { Debrief = Debriefs.Read(finished, Bank) }));
        return new InterviewStep(finished, actions);
    }

    private PostQuestion Ask(InterviewSession session, bool isRepeat)
    {
        var question = QuestionAt(session, session.Current.QuestionIndex);
        var text = session.Current.IsFollowUp ? FollowUpText(session, session.Current, question) : question.Prompt;
        return new PostQuestion(
            session.QuestionNumber,
            session.QuestionTotal,
            question.Stage,
            question.Id,
            text,
            session.Current.FollowUpIndex + 1,
            isRepeat,
            session.HintsGiven);
    }

    private static string FollowUpText(InterviewSession session, InterviewItem item, Question question) =>
        session.WrittenFollowUps.TryGetValue(item.Key, out var written) ? written : question.FollowUps[item.FollowUpIndex!.Value];

    /// <summary>Takes an interviewer's follow-up for the item on screen, if nothing has been answered there yet.</summary>
    private static InterviewStep OnFollowUpWritten(InterviewSession session, FollowUpWritten written, DateTimeOffset now)
    {
        var text = written.Text.Trim();
        var answered = session.Turns.Any(t => t.QuestionId == session.Questions[written.Item.QuestionIndex].Id && t.FollowUpIndex == written.Item.FollowUpIndex);
        if (session.Phase != SessionPhase.AwaitingAnswer || written.Item != session.Current || !written.Item.IsFollowUp || answered || text.Length == 0)
        {
            return new InterviewStep(session, []);
        }

        var texts = new Dictionary<string, string>(session.WrittenFollowUps) { [written.Item.Key] = text };
        var sources = new Dictionary<string, FeedbackSource>(session.FollowUpSources);
        if (written.Source is { } source)
        {
            sources[written.Item.Key] = source;
        }
        else
        {
            sources.Remove(written.Item.Key);
        }

        return new InterviewStep(session with { WrittenFollowUps = texts, FollowUpSources = sources, UpdatedAt = now }, []);
    }

    private static QuestionPosition? PositionOf(InterviewInput input) => input switch
    {
        AnswerSubmitted answer => answer.On,
        HintRequested hint => hint.On,
        SkipRequested skip => skip.On,
        _ => null,
    };

    private static QuestionPosition CurrentPosition(InterviewSession session) => new(session.QuestionNumber, session.Current.FollowUpIndex + 1);

    private List<string> MissingQuestions(InterviewSession session) =>
        [.. session.Questions.Where(q => Bank.Find(q.Id) is null).Select(q => q.Id)];

    private static string Position(InterviewSession session) => session.Current.FollowUpIndex is { } f
        ? $"follow-up {f + 1} on question {session.QuestionNumber} of {session.QuestionTotal}"
        : $"question {session.QuestionNumber} of {session.QuestionTotal}";

    /// <summary>
    /// The last judged answer in brief, for a candidate coming back: its feedback may be far up the thread, or gone
    /// with a deleted thread.
    /// </summary>
    private static string LastJudgement(InterviewSession session)
    {
        if (session.Turns.LastOrDefault(t => t.Score is not null) is not { Score: { } score } turn)
        {
            return string.Empty;
        }

        var question = session.Questions.ToList().FindIndex(q => q.Id == turn.QuestionId) + 1;
        var what = turn.FollowUpIndex is { } f ? $"follow-up {f + 1} on question {question}" : $"question {question}";
        var drill = string.IsNullOrWhiteSpace(score.NextDrill) ? string.Empty : $" Next drill: {score.NextDrill}";
        return string.Create(CultureInfo.InvariantCulture, $" Your last judged answer ({what}) scored {score.Total:0.0}/4.{drill}");
    }

    private static InterviewStep Unchanged(InterviewSession session, string text, NoticeKind kind = NoticeKind.Rejected) =>
        new(session, [new PostNotice(text, kind)]);

    private static InterviewStep Touch(InterviewSession session, DateTimeOffset now, InterviewAction action) =>
        new(session with { UpdatedAt = now }, [action]);
}
