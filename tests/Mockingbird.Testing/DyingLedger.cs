using Mockingbird.Chat.Delivery;

namespace Mockingbird.Testing;

/// <summary>
/// A ledger whose poster can be made to die around recording a post: before (the platform took the post, the ledger
/// does not know), or right after (the ledger knows, nothing after the post was done).
/// </summary>
public sealed class DyingLedger(IDeliveryLedger inner) : IDeliveryLedger
{
    private int _deathsBefore;
    private int _deathsAfter;
    private Action? _dying;

    public TimeSpan Lease => inner.Lease;

    public void DieBeforeRecordingNext() => Interlocked.Exchange(ref _deathsBefore, 1);

    /// <param name="dying">Run as the poster dies, e.g. cancelling the token its work was given, as a stopping process does.</param>
    public void DieAfterRecordingNext(Action? dying = null)
    {
        _dying = dying;
        Interlocked.Exchange(ref _deathsAfter, 1);
    }

    public Task<DeliveryClaimOutcome> TryClaimAsync(string partKey, string owner, CancellationToken cancellationToken) => inner.TryClaimAsync(partKey, owner, cancellationToken);

    public Task<bool> RenewAsync(string partKey, string owner, CancellationToken cancellationToken) => inner.RenewAsync(partKey, owner, cancellationToken);

    public Task<DateTimeOffset?> FirstClaimedAsync(string partKey, CancellationToken cancellationToken) => inner.FirstClaimedAsync(partKey, cancellationToken);

    public Task<string?> PostedAsAsync(string partKey, CancellationToken cancellationToken) => inner.PostedAsAsync(partKey, cancellationToken);

    public async Task RecordPostedAsync(string partKey, string? postedAs, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _deathsBefore) >= 0)
        {
            throw new OperationCanceledException("The poster died before recording the post.");
        }

        await inner.RecordPostedAsync(partKey, postedAs, cancellationToken);
        if (Interlocked.Decrement(ref _deathsAfter) >= 0)
        {
            _dying?.Invoke();
            throw new OperationCanceledException("The poster died right after recording the post.");
        }
    }

    public Task ReleaseAsync(string partKey, string owner, CancellationToken cancellationToken) => inner.ReleaseAsync(partKey, owner, cancellationToken);
}
