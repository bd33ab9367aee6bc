using System.Globalization;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;

namespace Mockingbird.Interview.Sessions;

/// <summary>
/// Runs one candidate input through the engine against the session store: load, transition, save with optimistic
/// concurrency (reloading and replaying on a conflict), and judge any accepted answer. Adapters call this and render
/// the actions it returns; they never decide what happens next.
/// </summary>
public sealed class InterviewService(InterviewEngine engine, ISessionStore store, IAnswerJudge judge, TimeProvider time)
{
    private const int MaxSaveAttempts = 5;

    public async Task<IReadOnlyList<InterviewAction>> StartAsync(string candidateId, InterviewOptions options, ulong seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        for (var attempt = 0; attempt < MaxSaveAttempts; attempt++)
        {
            if (await store.FindActiveAsync(candidateId, cancellationToken) is { } active)
            {
                return engine.Handle(active.Session, new StartRequested(options), time.GetUtcNow()).Actions;
            }

            var seen = await store.SeenQuestionsAsync(candidateId, cancellationToken);
            var now = time.GetUtcNow();
            var start = engine.Start(NewSessionId(candidateId, seed, now), candidateId, options, seed, seen, now);
            if (start.Session is null)
            {
                return start.Actions;
            }

            if (await store.SaveAsync(start.Session, expectedVersion: 0, cancellationToken) is not null)
            {
                return start.Actions;
            }
        }

        throw new InvalidOperationException("The session store kept reporting conflicts while starting an interview.");
    }

    public async Task<IReadOnlyList<InterviewAction>> HandleAsync(string candidateId, InterviewInput input, CancellationToken cancellationToken)
    {
        var actions = new List<InterviewAction>();
        var step = await ApplyAsync(candidateId, input, cancellationToken);
        if (step is null)
        {
            return [new PostNotice("You have no interview in progress. Start one first.", NoticeKind.Rejected)];
        }

        actions.AddRange(step.Actions);

        // Judging runs inline here; the bot host replaces this with its durable judging queue.
        foreach (var request in step.Actions.OfType<RequestJudgement>())
        {
            Feedback feedback;
            try
            {
                feedback = await judge.JudgeAsync(request.Request, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The answer is already recorded; resuming asks for its judgement again.
                actions.Add(new PostNotice("Your answer is saved, but judging it failed. Resume to try again.", NoticeKind.Rejected));
                continue;
            }

            var judged = await ApplyAsync(candidateId, new JudgementReady(request.TurnNumber, feedback), cancellationToken);
            actions.AddRange(judged?.Actions ?? []);
        }

        return actions;
    }

    private async Task<InterviewStep?> ApplyAsync(string candidateId, InterviewInput input, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxSaveAttempts; attempt++)
        {
            if (await store.FindActiveAsync(candidateId, cancellationToken) is not { } current)
            {
                return null;
            }

            var step = engine.Handle(current.Session, input, time.GetUtcNow());
            if (ReferenceEquals(step.Session, current.Session)
                || await store.SaveAsync(step.Session, current.Version, cancellationToken) is not null)
            {
                return step;
            }
        }

        throw new InvalidOperationException("The session store kept reporting conflicts; the input was not applied.");
    }

    /// <summary>Unique per start: the candidate, the seed and the start time, hashed.</summary>
    private static string NewSessionId(string candidateId, ulong seed, DateTimeOffset now) =>
        $"{candidateId}:{StableHash.Of(candidateId, seed ^ (ulong)now.ToUnixTimeMilliseconds()).ToString("x16", CultureInfo.InvariantCulture)}";
}
