namespace Mockingbird.Interview.Sessions;

/// <summary>A stored session and the version it was stored at, for optimistic concurrency.</summary>
public sealed record VersionedSession(InterviewSession Session, long Version);

/// <summary>Where sessions live between inputs: in memory for local practice, Redis for the bot.</summary>
public interface ISessionStore
{
    /// <summary>The candidate's current (not completed) session, if any.</summary>
    Task<VersionedSession?> FindActiveAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="session"/> if the stored version is still <paramref name="expectedVersion"/> (0 when
    /// creating). Returns the new version, or <c>null</c> when someone else saved first and the caller must reload.
    /// </summary>
    Task<long?> SaveAsync(InterviewSession session, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Question ids this candidate has been asked in earlier sessions.</summary>
    Task<IReadOnlySet<string>> SeenQuestionsAsync(string candidateId, CancellationToken cancellationToken);
}
