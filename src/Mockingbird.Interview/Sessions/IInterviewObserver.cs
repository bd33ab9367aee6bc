namespace Mockingbird.Interview.Sessions;

/// <summary>
/// Told about the steps of each interview once they are saved: a start, an answer accepted, a finish (the scorecard).
/// Called only after the store took the write, so a step the store refused is never reported, while a write retried
/// after a lost reply can report a step again: an observer must take each step idempotently. An observer catches its
/// own failures: the interview has moved on whatever it does.
/// </summary>
public interface IInterviewObserver
{
    Task StartedAsync(string candidateId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <param name="turn">The number of the turn whose answer was accepted.</param>
    Task AnsweredAsync(string candidateId, string sessionId, int turn, DateTimeOffset at, CancellationToken cancellationToken);

    Task FinishedAsync(string candidateId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>Reports the steps one saved transition made, on the interactive path and on the judging worker's.</summary>
internal static class InterviewObservations
{
    public static async Task ReportAsync(IInterviewObserver? observer, InterviewSession before, InterviewSession after, CancellationToken cancellationToken)
    {
        if (observer is null)
        {
            return;
        }

        foreach (var answered in after.Turns.Skip(before.Turns.Count).Where(t => t.Outcome == TurnOutcome.Answered))
        {
            await observer.AnsweredAsync(after.CandidateId, after.Id, answered.Number, answered.At, cancellationToken);
        }

        if (before.Phase != SessionPhase.Completed && after.Phase == SessionPhase.Completed)
        {
            await observer.FinishedAsync(after.CandidateId, after.Id, after.UpdatedAt, cancellationToken);
        }
    }
}
