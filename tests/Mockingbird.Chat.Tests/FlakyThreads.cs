using Mockingbird.Chat.Threads;

namespace Mockingbird.Chat.Tests;

/// <summary>Interview threads kept in memory, that can be made to time out as a lost Redis would.</summary>
internal sealed class FlakyThreads(IInterviewThreads inner) : IInterviewThreads
{
    public bool Down { get; set; }

    public Task SetAsync(string candidateId, string thread, CancellationToken cancellationToken) =>
        Down ? Task.FromException(new TimeoutException("store down")) : inner.SetAsync(candidateId, thread, cancellationToken);

    public Task<bool> SetIfAbsentAsync(string candidateId, string thread, CancellationToken cancellationToken) =>
        Down ? Task.FromException<bool>(new TimeoutException("store down")) : inner.SetIfAbsentAsync(candidateId, thread, cancellationToken);

    /// <summary>How many lookups were asked of the store, answered or not.</summary>
    public int Finds => _finds;

    private int _finds;

    public Task<string?> FindAsync(string candidateId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _finds);
        return Down ? Task.FromException<string?>(new TimeoutException("store down")) : inner.FindAsync(candidateId, cancellationToken);
    }

    public Task<bool> RemoveAsync(string candidateId, CancellationToken cancellationToken) =>
        Down ? Task.FromException<bool>(new TimeoutException("store down")) : inner.RemoveAsync(candidateId, cancellationToken);

    public Task<bool> RemoveIfCurrentAsync(string candidateId, string thread, CancellationToken cancellationToken) =>
        Down ? Task.FromException<bool>(new TimeoutException("store down")) : inner.RemoveIfCurrentAsync(candidateId, thread, cancellationToken);

    public Task MarkReadAsync(InterviewThreadMark mark, CancellationToken cancellationToken) => inner.MarkReadAsync(mark, cancellationToken);

    public Task<IReadOnlyList<InterviewThreadMark>> ListMarksAsync(CancellationToken cancellationToken) => inner.ListMarksAsync(cancellationToken);
}
