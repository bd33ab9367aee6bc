namespace Mockingbird.Interview.Sessions;

public enum DeliveryClaimOutcome
{
    /// <summary>Nobody posted this part yet: the caller posts it now, then records it.</summary>
    Claimed,

    /// <summary>Posted before: posting again would show it twice.</summary>
    AlreadyPosted,

    /// <summary>Another poster holds it right now; its lease runs out if it dies.</summary>
    HeldElsewhere,
}

/// <summary>
/// Remembers which parts of a delivery were posted, for platforms that have no idempotency key of their own (Slack
/// has no equivalent of Discord's nonce). A poster claims a part for a lease, posts it and records it; a poster that
/// died before recording leaves the lease to run out, and the next one posts it.
/// </summary>
public interface IDeliveryLedger
{
    Task<DeliveryClaimOutcome> TryClaimAsync(string partKey, CancellationToken cancellationToken);

    /// <summary>The part is posted: it is remembered for the store's event retention.</summary>
    Task RecordPostedAsync(string partKey, CancellationToken cancellationToken);

    /// <summary>Posting failed: the part may be claimed again at once.</summary>
    Task ReleaseAsync(string partKey, CancellationToken cancellationToken);
}
