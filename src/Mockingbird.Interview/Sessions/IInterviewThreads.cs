namespace Mockingbird.Interview.Sessions;

/// <summary>
/// Where each candidate's interview is held on a chat platform (a Discord thread, a Slack thread), as an address
/// only that platform's adapter reads. Feedback judged later, possibly by another replica, is posted there, and a
/// message counts as an answer only when its author's interview lives in the thread it was written in.
/// </summary>
public interface IInterviewThreads
{
    Task SetAsync(string candidateId, string thread, CancellationToken cancellationToken);

    /// <summary>The candidate's thread, if one is known; finding it keeps it for another retention period.</summary>
    Task<string?> FindAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>Forgets the candidate's thread; true when there was one.</summary>
    Task<bool> RemoveAsync(string candidateId, CancellationToken cancellationToken);
}
