using System.Globalization;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Telemetry;

namespace Mockingbird.Interview.Sessions;

/// <summary>How accepted answers are judged.</summary>
public enum JudgingMode
{
    /// <summary>Right away, in the caller's flow: local practice in a terminal.</summary>
    Inline,

    /// <summary>Enqueued with the answer in one atomic write and judged by a <see cref="JudgingWorker"/>: the bot.</summary>
    Queued,
}

/// <summary>
/// Runs one candidate input through the engine against the session store: load, transition, and write the new
/// session with everything it implies (idempotency mark, judging jobs, history) in one atomic step, reloading and
/// replaying on a version conflict. Adapters call this and render the actions it returns; they never decide what
/// happens next.
/// </summary>
public sealed class InterviewService(
    InterviewEngine engine,
    ISessionStore store,
    IAnswerJudge judge,
    TimeProvider time,
    JudgingMode mode = JudgingMode.Inline,
    IFollowUpWriter? interviewer = null,
    IScorecardWriter? scorecardWriter = null,
    InterviewTelemetry? telemetry = null,
    IInterviewObserver? observer = null,
    IDebriefWriter? debriefWriter = null)
{
    internal const int MaxWriteAttempts = 8;

    /// <summary>Reads a pasted job description against this interview's question bank.</summary>
    public JobDescriptionReading ReadJob(string? text) => JobDescription.Read(text, engine.Bank);

    public Task<IReadOnlyList<InterviewAction>> StartAsync(string candidateId, InterviewOptions options, ulong seed, CancellationToken cancellationToken) =>
        StartAsync(candidateId, options, seed, eventId: null, cancellationToken);

    public Task<IReadOnlyList<InterviewAction>> StartAsync(string candidateId, InterviewOptions options, ulong seed, string? eventId, CancellationToken cancellationToken) =>
        StartAsync(candidateId, options, seed, eventId, openPlace: null, cancellationToken);

    /// <param name="openPlace">
    /// Opens where the interview will be held (a chat thread), once a start is decided and before it is saved, so the
    /// session is saved with its <see cref="InterviewSession.Place"/> in the start's own write. Called at most once.
    /// </param>
    public async Task<IReadOnlyList<InterviewAction>> StartAsync(string candidateId, InterviewOptions options, ulong seed, string? eventId, Func<CancellationToken, Task<string>>? openPlace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? place = null;
        using var span = InterviewTelemetry.StartTurn("start");
        telemetry?.Turn("start");
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var active = await FindActiveOrResetAsync(candidateId, cancellationToken);
            if (active.Reset is { } reset)
            {
                return [reset];
            }

            if (active.Session is { } current)
            {
                // A retried start must not answer "already in progress" to the very start it created.
                if (eventId is not null
                    && (await store.WriteAsync(new SessionWrite(current.Session, current.Version, eventId, MarkOnly: true), cancellationToken)).Outcome == WriteOutcome.Duplicate)
                {
                    return [];
                }

                return engine.Handle(current.Session, new StartRequested(options), time.GetUtcNow()).Actions;
            }

            var seen = await store.SeenQuestionsAsync(candidateId, cancellationToken);
            var now = time.GetUtcNow();
            var start = engine.Start(NewSessionId(candidateId, seed, now), candidateId, options, seed, seen, now);
            if (start.Session is null)
            {
                return start.Actions;
            }

            if (openPlace is not null)
            {
                place ??= await openPlace(cancellationToken);
                start = start with { Session = start.Session with { Place = place } };
            }

            var result = await store.WriteAsync(new SessionWrite(start.Session, 0, eventId), cancellationToken);
            switch (result.Outcome)
            {
                case WriteOutcome.Saved:
                    if (observer is not null)
                    {
                        await observer.StartedAsync(candidateId, start.Session.Id, start.Session.StartedAt, cancellationToken);
                    }

                    return start.Actions;
                case WriteOutcome.Duplicate:
                    return [];
            }
        }

        throw new InvalidOperationException("The session store kept reporting conflicts while starting an interview.");
    }

    public Task<IReadOnlyList<InterviewAction>> HandleAsync(string candidateId, InterviewInput input, CancellationToken cancellationToken) =>
        HandleAsync(candidateId, input, eventId: null, cancellationToken);

    /// <param name="eventId">The platform's id of the inbound event: handled twice, it changes nothing the second time.</param>
    public async Task<IReadOnlyList<InterviewAction>> HandleAsync(string candidateId, InterviewInput input, string? eventId, CancellationToken cancellationToken) =>
        await HandleAsync(candidateId, at: null, input, eventId, cancellationToken) ?? [NoInterview];

    /// <summary>
    /// Applies an input given in one place (<paramref name="place"/>, as <see cref="InterviewSession.Place"/> holds it):
    /// <c>null</c> when the candidate's interview in progress is not held there (none in progress, held elsewhere,
    /// stored without a place, or unreadable), so the caller decides what the input is instead, and nothing is
    /// written. The write checks that what it read is still there, so an interview moved or replaced meanwhile is
    /// never written to.
    /// </summary>
    public Task<IReadOnlyList<InterviewAction>?> HandleInPlaceAsync(string candidateId, string place, InterviewInput input, string? eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        return HandleAsync(candidateId, new GivenIn(place, OrHeldNowhere: false), input, eventId, cancellationToken);
    }

    /// <summary>
    /// Applies an input given in <paramref name="place"/>, which the caller's own record says is the candidate's:
    /// as <see cref="HandleAsync(string, InterviewInput, string?, CancellationToken)"/> would (an interview stored
    /// without a place included), except that it is <c>null</c>, with nothing written, when the interview in progress
    /// is held elsewhere: the session says where it is held, and outranks the record.
    /// </summary>
    public Task<IReadOnlyList<InterviewAction>?> HandleInRecordedPlaceAsync(string candidateId, string place, InterviewInput input, string? eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        return HandleAsync(candidateId, new GivenIn(place, OrHeldNowhere: true), input, eventId, cancellationToken);
    }

    /// <summary>
    /// Moves the candidate's interview in progress to <paramref name="place"/> (a new thread, the last one gone); false
    /// when they have none. Inputs given in the old place are no longer taken from then on, by any process.
    /// </summary>
    public async Task<bool> MoveAsync(string candidateId, string place, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(place);
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            if ((await FindActiveOrResetAsync(candidateId, forWrite: attempt == 0, reset: true, cancellationToken)).Session is not { } current)
            {
                return false;
            }

            if (current.Session.Place == place && !current.Unconfirmed)
            {
                return true;
            }

            var moved = current.Session with { Place = place };
            var result = await store.WriteAsync(new SessionWrite(moved, current.Version, EventId: null) { ExpectedStamp = current.Stamp }, cancellationToken);
            if (result.Outcome == WriteOutcome.Saved)
            {
                return true;
            }
        }

        throw new InvalidOperationException("The session store kept reporting conflicts while moving an interview.");
    }

    private async Task<IReadOnlyList<InterviewAction>?> HandleAsync(string candidateId, GivenIn? at, InterviewInput input, string? eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var kind = InterviewTelemetry.KindOf(input);
        using var span = InterviewTelemetry.StartTurn(kind);

        // An input given where no interview in progress is held is not a turn: its caller decides what it is instead,
        // and that is the turn counted.
        var counted = at is null;
        if (counted)
        {
            telemetry?.Turn(kind);
        }

        IReadOnlyList<InterviewAction>? actions;
        try
        {
            actions = await ApplyAsync(candidateId, at, input, eventId, cancellationToken);
        }
        catch when (!counted)
        {
            telemetry?.Turn(kind);
            throw;
        }

        if (actions is null)
        {
            return null;
        }

        if (!counted)
        {
            telemetry?.Turn(kind);
        }

        if (mode == JudgingMode.Queued)
        {
            return [.. actions.Where(a => a is not RequestJudgement)];
        }

        var all = actions.ToList();
        foreach (var request in actions.OfType<RequestJudgement>())
        {
            Feedback feedback;
            var started = time.GetTimestamp();
            try
            {
                feedback = await judge.JudgeAsync(request.Request, cancellationToken);
                telemetry?.Judged(time.GetElapsedTime(started), feedback.Source?.JudgeKind);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                telemetry?.Judged(time.GetElapsedTime(started), judge: null, ex.GetType().Name);
                // The answer is already recorded; resuming asks for its judgement again.
                all.Add(new PostNotice("Your answer is saved, but judging it failed. Resume to try again.", NoticeKind.Rejected));
                continue;
            }

            all.AddRange(await ApplyAsync(candidateId, at: null, new JudgementReady(request.TurnNumber, feedback), eventId: null, cancellationToken) ?? []);
        }

        return all;
    }

    /// <summary>What an input would do now, without doing it (a read, no write): lets an adapter show it first.</summary>
    public async Task<IReadOnlyList<InterviewAction>> PreviewAsync(string candidateId, InterviewInput input, CancellationToken cancellationToken)
    {
        VersionedSession? current;
        try
        {
            current = await store.FindActiveAsync(candidateId, cancellationToken);
        }
        catch (UnreadableSessionException)
        {
            return [];
        }

        return current is null ? [] : engine.Handle(current.Session, input, time.GetUtcNow()).Actions;
    }

    public Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string candidateId, CancellationToken cancellationToken) =>
        store.HistoryAsync(candidateId, cancellationToken);

    public Task<ForgetReport> ForgetAsync(string candidateId, CancellationToken cancellationToken) =>
        store.ForgetAsync(candidateId, cancellationToken);

    /// <summary>
    /// Applies one input with optimistic concurrency. Returns <c>null</c> when the candidate has no session (or none
    /// held <paramref name="at"/>, when given), and no actions when the event was applied before.
    /// </summary>
    private async Task<IReadOnlyList<InterviewAction>?> ApplyAsync(string candidateId, GivenIn? at, InterviewInput input, string? eventId, CancellationToken cancellationToken)
    {
        InterviewSession? tried = null;
        var read = false;
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            // Given in a place only, the input may not be the candidate's answer at all (chatter): an unreadable
            // session is left for an input known to be theirs to reset, with its notice where they will see it.
            var active = await FindActiveOrResetAsync(candidateId, forWrite: !read, reset: at is not { OrHeldNowhere: false }, cancellationToken);
            read = true;
            if (active.Reset is { } reset)
            {
                return [reset];
            }

            if (active.Session is not { } current)
            {
                return at is { OrHeldNowhere: true } ? [NoInterview] : null;
            }

            if (at is { } given && current.Session.Place != given.Place && (current.Session.Place is not null || !given.OrHeldNowhere))
            {
                if (current.Unconfirmed)
                {
                    // Known only from this process's last write, which another may have replaced or moved: read it.
                    continue;
                }

                return null;
            }

            var step = engine.Handle(current.Session, input, time.GetUtcNow());
            if (input is JudgementReady judged)
            {
                step = await WrittenFollowUps.ApplyAsync(interviewer, engine, step, judged.Feedback, time.GetUtcNow(), cancellationToken);
            }

            step = await ScorecardSummaries.AddAsync(scorecardWriter, debriefWriter, engine, step, tried, cancellationToken);

            var jobs = mode == JudgingMode.Queued
                ? step.Actions.OfType<RequestJudgement>().Select(r => new JudgeJob(candidateId, r.SessionId, r.TurnNumber)).ToList()
                : [];
            var unchanged = ReferenceEquals(step.Session, current.Session) && jobs.Count == 0;
            if (unchanged && current.Unconfirmed)
            {
                // Nothing to write, so no version check would catch a session changed elsewhere: read it and decide again.
                continue;
            }

            if (unchanged && eventId is null)
            {
                return step.Actions;
            }

            var write = unchanged
                ? new SessionWrite(current.Session, current.Version, eventId, MarkOnly: true)
                : new SessionWrite(step.Session, current.Version, eventId, jobs, History: engine.HistoryEntryFor(current.Session, step, time.GetUtcNow())) { ExpectedStamp = current.Stamp };
            var result = await store.WriteAsync(write, cancellationToken);
            switch (result.Outcome)
            {
                case WriteOutcome.Saved:
                    await InterviewObservations.ReportAsync(observer, current.Session, step.Session, cancellationToken);
                    return step.Actions;
                case WriteOutcome.Duplicate:
                    return [];
            }

            tried = step.Session;
        }

        throw new InvalidOperationException("The session store kept reporting conflicts; the input was not applied.");
    }

    private Task<(VersionedSession? Session, PostNotice? Reset)> FindActiveOrResetAsync(string candidateId, CancellationToken cancellationToken) =>
        FindActiveOrResetAsync(candidateId, forWrite: false, reset: true, cancellationToken);

    private async Task<(VersionedSession? Session, PostNotice? Reset)> FindActiveOrResetAsync(string candidateId, bool forWrite, bool reset, CancellationToken cancellationToken)
    {
        try
        {
            return (await (forWrite ? store.FindActiveForWriteAsync(candidateId, cancellationToken) : store.FindActiveAsync(candidateId, cancellationToken)), null);
        }
        catch (UnreadableSessionException) when (!reset)
        {
            return (null, null);
        }
        catch (UnreadableSessionException)
        {
            // Never a crash loop: the unreadable value is removed and the candidate told plainly.
            await store.DiscardActiveAsync(candidateId, cancellationToken);
            return (null, new PostNotice("Your saved interview could not be read (it was stored by an incompatible version or damaged), so it has been reset. Start a new one whenever you like.", NoticeKind.Rejected));
        }
    }

    private static PostNotice NoInterview => new("You have no interview in progress. Start one first.", NoticeKind.Rejected);

    /// <summary>Unique per start: the candidate, the seed and the start time, hashed.</summary>
    private static string NewSessionId(string candidateId, ulong seed, DateTimeOffset now) =>
        $"{candidateId}:{StableHash.Of(candidateId, seed ^ (ulong)now.ToUnixTimeMilliseconds()).ToString("x16", CultureInfo.InvariantCulture)}";

    /// <summary>Where an input was given: it applies only to an interview held there, or, <c>OrHeldNowhere</c>, held nowhere.</summary>
    private readonly record struct GivenIn(string Place, bool OrHeldNowhere);
}
