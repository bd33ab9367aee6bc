using Microsoft.Extensions.Logging;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Suggestions;

namespace Mockingbird.StudyGroups;

/// <summary>
/// Judges a daily answer taken from the durable judging queue, with the same judge (and so the same prompts and
/// stamps) as interview answers. A job that runs again finds the member's result recorded and judges nothing twice;
/// the job that records a round's last result starts its reveal.
/// </summary>
public sealed partial class DailyAnswerJudging(
    IStudyGroupStore store,
    IJudgingQueue queue,
    IAnswerJudge judge,
    QuestionBank bank,
    DailyRounds rounds,
    ILogger<DailyAnswerJudging> logger) : IJudgingJobHandler
{
    /// <summary>A round's question may be the bank's or one approved into its channel's pool.</summary>
    private readonly DailyQuestionPool _pool = new(store, bank);

    public JudgeJobKind Kind => JudgeJobKind.DailyAnswer;

    /// <summary>The job that judges answer <paramref name="ordinal"/> of a round: queued on the round's channel, so with the round's own keys.</summary>
    public static JudgeJob JobFor(DailyRound round, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(round);
        return new JudgeJob(round.Channel.Key, round.Id, ordinal, JudgeJobKind.DailyAnswer);
    }

    public async Task ProcessAsync(QueuedJudgement queued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queued);
        var roundId = queued.Job.SessionId;
        var allJudged = false;
        try
        {
            var round = await store.FindRoundAsync(roundId, cancellationToken);
            var answer = round is null ? null : (await store.AnswersAsync(roundId, cancellationToken)).FirstOrDefault(a => a.Ordinal == queued.Job.TurnNumber);
            if (round is null || answer is null)
            {
                // The round expired or its member asked to be forgotten: nothing is left to judge.
                await queue.CompleteAsync(queued, cancellationToken);
                return;
            }

            if (!(await store.ResultsAsync(roundId, cancellationToken)).Any(r => r.MemberId == answer.MemberId))
            {
                var question = await _pool.FindAsync(round, cancellationToken)
                    ?? throw new InvalidOperationException($"Question '{round.QuestionId}' is neither in the bank nor in its channel's pool.");
                var feedback = await judge.JudgeAsync(new JudgeRequest(question, null, answer.Text, CandidateId: answer.MemberId), cancellationToken);
                var record = new DailyRecord(roundId, round.Slot.Day, answer.MemberId, question.Id, feedback.Total, feedback.Dimensions);
                allJudged = await store.SaveResultAsync(roundId, new DailyResult(answer.MemberId, answer.Ordinal, feedback), record, cancellationToken);
            }

            await queue.CompleteAsync(queued, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A timeout inside the judge or a platform call is a failure like any other, not the worker stopping.
            Log.JudgingFailed(logger, queued.Id, queued.Attempt, ex.GetType().Name);
            if (await queue.FailAsync(queued, $"{ex.GetType().Name}: {ex.Message}", cancellationToken))
            {
                allJudged = await GiveUpAsync(queued, cancellationToken);
            }
        }

        if (allJudged)
        {
            await RevealAsync(roundId, cancellationToken);
        }
    }

    /// <summary>The job is done whatever the reveal does: a reveal that fails here is finished by the scheduler's next tick.</summary>
    private async Task RevealAsync(string roundId, CancellationToken cancellationToken)
    {
        try
        {
            await rounds.RevealAsync(roundId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RevealFailed(logger, roundId, ex.GetType().Name);
        }
    }

    /// <summary>An answer that could not be judged after every attempt still lets its round be revealed, without a score.</summary>
    /// <returns>True when this made every answer of the round judged.</returns>
    private async Task<bool> GiveUpAsync(QueuedJudgement queued, CancellationToken cancellationToken)
    {
        var roundId = queued.Job.SessionId;
        var round = await store.FindRoundAsync(roundId, cancellationToken);
        var answer = (await store.AnswersAsync(roundId, cancellationToken)).FirstOrDefault(a => a.Ordinal == queued.Job.TurnNumber);
        if (round is null || answer is null)
        {
            return false;
        }

        // Answered all the same: the day counts for the member's streak.
        var record = new DailyRecord(roundId, round.Slot.Day, answer.MemberId, round.QuestionId, null, []);
        return await store.SaveResultAsync(roundId, new DailyResult(answer.MemberId, answer.Ordinal, null, "could not be judged"), record, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Daily judging job {JobId} failed on attempt {Attempt} with {ErrorType}")]
        public static partial void JudgingFailed(ILogger logger, string jobId, int attempt, string errorType);

        [LoggerMessage(2, LogLevel.Warning, "Daily round {RoundId}: its reveal failed with {ErrorType}; the scheduler's next tick finishes it")]
        public static partial void RevealFailed(ILogger logger, string roundId, string errorType);
    }
}
