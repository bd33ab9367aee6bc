using System.Security.Cryptography;
using System.Text;

namespace Mockingbird.Chat.Delivery;

public enum DeliveryClaimOutcome
{
    /// <summary>Nobody posted this part yet: the caller posts it now, then records it.</summary>
    Claimed,

    /// <summary>Posted before: posting again would show it twice.</summary>
    AlreadyPosted,

    /// <summary>Another poster holds it right now; its lease runs out if it dies.</summary>
    HeldElsewhere,

    /// <summary>
    /// Claimed, but an earlier claim on it lapsed without being recorded or released: that poster died, or its post
    /// had an unknown outcome, so the part may be on the platform already. The caller looks before posting.
    /// </summary>
    Reclaimed,
}

/// <summary>A stand-in for a key that does not reveal it (part keys name sessions, and through them candidates).</summary>
public static class KeyDigest
{
    /// <summary>SHA-256 of the UTF-8 text, in lower-case hex.</summary>
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// Remembers which parts of a delivery were posted, for platforms whose own idempotency is missing (Slack) or short
/// (Discord keeps a message's nonce a few minutes). A poster claims a part for a short lease, renews it while it posts (see
/// <see cref="ClaimHeartbeat"/>), and records the part once posted; a poster that died before recording, or whose
/// post had an unknown outcome, stops renewing, so its claim lapses within one lease and the next poster takes it.
/// </summary>
public interface IDeliveryLedger
{
    /// <summary>How long a claim lasts unless its owner renews it.</summary>
    TimeSpan Lease { get; }

    /// <param name="owner">Names this attempt, so only its own claim can be renewed or released.</param>
    Task<DeliveryClaimOutcome> TryClaimAsync(string partKey, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Extends <paramref name="owner"/>'s claim by a lease from now; false when the claim is no longer theirs (another
    /// poster took it after it lapsed, or the part was recorded or released).
    /// </summary>
    Task<bool> RenewAsync(string partKey, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// When the part was first claimed, through claims that lapsed since; null when the ledger holds no claim on it.
    /// After <see cref="DeliveryClaimOutcome.Reclaimed"/> no earlier poster can have posted it before this time (by
    /// the ledger's clock).
    /// </summary>
    Task<DateTimeOffset?> FirstClaimedAsync(string partKey, CancellationToken cancellationToken);

    /// <summary>The part is posted: it is remembered for the store's event retention.</summary>
    Task RecordPostedAsync(string partKey, CancellationToken cancellationToken) => RecordPostedAsync(partKey, postedAs: null, cancellationToken);

    /// <summary>
    /// The part is posted as <paramref name="postedAs"/> (the platform's address of the message, for a caller that
    /// needs the message again when the part is sent a second time): both are remembered for the store's event
    /// retention. Only public posts keep an address: the ledger outlives a candidate's forget-me.
    /// </summary>
    Task RecordPostedAsync(string partKey, string? postedAs, CancellationToken cancellationToken);

    /// <summary>
    /// Where the part was posted, as its poster recorded it; null when it is not recorded as posted, or was recorded
    /// without an address (as every part was before addresses were kept).
    /// </summary>
    Task<string?> PostedAsAsync(string partKey, CancellationToken cancellationToken);

    /// <summary>
    /// Posting was refused (nothing was posted): the part may be claimed again at once. A claim that is no longer
    /// <paramref name="owner"/>'s is left alone.
    /// </summary>
    Task ReleaseAsync(string partKey, string owner, CancellationToken cancellationToken);
}
