namespace Mockingbird.Chat.Threads;

/// <summary>
/// Where each candidate's interview is held on a chat platform (a Discord thread, a Slack thread), as an address
/// only that platform's adapter reads. Feedback judged later, possibly by another replica, is posted there, and a
/// message counts as an answer only when its author's interview lives in the thread it was written in.
/// </summary>
public interface IInterviewThreads
{
    Task SetAsync(string candidateId, string thread, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the candidate's thread only while they have none (none set, let go of, or expired): false when one is
    /// there, so of two resumes that each opened a new thread at once, one keeps its thread and the other learns it lost.
    /// </summary>
    Task<bool> SetIfAbsentAsync(string candidateId, string thread, CancellationToken cancellationToken);

    /// <summary>
    /// The candidate's thread, if one is known; finding it keeps it for another retention period. A store may leave a
    /// thread it kept (set, or kept by a find) less than a tenth of a period ago as it is, so a thread is kept at least
    /// nine tenths of a period after it was last found.
    /// </summary>
    Task<string?> FindAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>Forgets the candidate's thread, and how far it was read; true when there was one.</summary>
    Task<bool> RemoveAsync(string candidateId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets the candidate's thread, and how far it was read, only while it is still <paramref name="thread"/>: what
    /// lets go of a thread (its interview over, the platform saying it is gone) must not let go of a newer one set
    /// meanwhile, possibly by another replica, nor of the mark of one being opened (marked before it is set). True when
    /// it was removed.
    /// </summary>
    Task<bool> RemoveIfCurrentAsync(string candidateId, string thread, CancellationToken cancellationToken);

    /// <summary>
    /// Records how far a candidate's thread has been read, for a platform that does not replay what was written while
    /// the bot was away. A mark for the thread already marked never moves back (see <see cref="InterviewThreadMark.IsLater"/>);
    /// a mark for another thread replaces it.
    /// </summary>
    Task MarkReadAsync(InterviewThreadMark mark, CancellationToken cancellationToken);

    /// <summary>
    /// The marks of every candidate whose thread is still theirs (as <see cref="FindAsync"/> would find it, without
    /// keeping it longer); marks of threads let go of or expired are dropped.
    /// </summary>
    Task<IReadOnlyList<InterviewThreadMark>> ListMarksAsync(CancellationToken cancellationToken);
}

/// <summary>How far a candidate's interview thread has been read.</summary>
/// <param name="Thread">The thread, as <see cref="IInterviewThreads.SetAsync"/> holds it.</param>
/// <param name="Partition">The platform's group the thread belongs to (a Discord server), so a replica can pick its own.</param>
/// <param name="LastRead">The id of the last message read there: ids are whole numbers that grow with time.</param>
public sealed record InterviewThreadMark(string CandidateId, string Thread, string Partition, string LastRead)
{
    /// <summary>Whether message id <paramref name="id"/> comes after <paramref name="other"/>: compared as whole numbers, a longer id is later.</summary>
    public static bool IsLater(string id, string other)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(other);
        return id.Length != other.Length ? id.Length > other.Length : string.CompareOrdinal(id, other) > 0;
    }
}
