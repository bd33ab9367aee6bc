using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Delivery;

/// <summary>What a poster taking over a lapsed claim found before posting.</summary>
/// <param name="Message">The part, posted by the earlier poster that did not record it.</param>
/// <param name="RecordedMeanwhile">The earlier poster recorded the part after all: nothing is to be posted.</param>
public readonly record struct EarlierPost<T>(T? Message, bool RecordedMeanwhile = false)
    where T : class;

/// <summary>How a part went: its claim, the message (posted now or found), and whether the poster's claim was lost on the way.</summary>
/// <param name="PostedAs">For a part posted before, where its poster recorded it, when the caller keeps addresses.</param>
public readonly record struct PartPosting<T>(DeliveryClaimOutcome Claim, T? Message, bool FoundEarlier, bool ClaimLost, string? PostedAs = null)
    where T : class;

/// <summary>
/// The one way a platform posts a part once: claim it in the ledger, keep the claim alive while posting, look first
/// when an earlier claim lapsed unrecorded, free it only when the platform refused the post (so nothing was posted),
/// and record it. The platform supplies the look, the post, and which failures mean nothing was posted.
/// </summary>
public static class PostedOnce
{
    /// <summary>
    /// The part key of a post made in place of <paramref name="partKey"/>'s message, deleted since it was recorded
    /// (<paramref name="replacing"/> names that message) or not found at all (null): a part of its own, so a poster
    /// that dies between posting the replacement and recording it leaves the next one to find it.
    /// </summary>
    public static string ReplacementKeyOf(string partKey, string? replacing) => $"{partKey}:after:{replacing ?? "none-found"}";

    /// <param name="addressOf">
    /// When given, the message's address is recorded with the part, and a part posted before says where it is: for
    /// a caller that needs the message itself again (a public post it goes on editing), whatever the channel's
    /// history would show.
    /// </param>
    /// <returns>
    /// The claim <see cref="DeliveryClaimOutcome.AlreadyPosted"/> with no message when the part was posted before;
    /// otherwise the message posted or found.
    /// </returns>
    /// <exception cref="DeliveryHeldElsewhereException">Another poster holds the part's claim.</exception>
    public static async Task<PartPosting<T>> PostAsync<T>(
        this IDeliveryLedger ledger,
        string partKey,
        TimeProvider time,
        Func<CancellationToken, Task<EarlierPost<T>>> lookFirst,
        Func<CancellationToken, Task<T>> post,
        Func<Exception, bool> nothingWasPosted,
        Func<T, string?>? addressOf,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(lookFirst);
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(nothingWasPosted);
        var owner = Guid.NewGuid().ToString("N");
        var claim = await ledger.TryClaimAsync(partKey, owner, cancellationToken);
        switch (claim)
        {
            case DeliveryClaimOutcome.AlreadyPosted:
                return await PostedBeforeAsync();
            case DeliveryClaimOutcome.HeldElsewhere:
                // Another poster is on it; failing sends the job round again after the reclaim timeout.
                throw new DeliveryHeldElsewhereException($"Delivery {partKey} is being posted by another poster.") { PartKey = partKey };
        }

        T posted;
        var found = false;
        bool lost;

        // Renewed while the post waits its turn or retries, so only a poster that died lets its claim lapse.
        await using (var heartbeat = ClaimHeartbeat.Start(ledger, partKey, owner, time))
        {
            var earlier = claim == DeliveryClaimOutcome.Reclaimed ? await lookFirst(cancellationToken) : default;
            if (earlier.RecordedMeanwhile)
            {
                return await PostedBeforeAsync();
            }

            if (earlier.Message is { } message)
            {
                posted = message;
                found = true;
            }
            else
            {
                try
                {
                    posted = await post(cancellationToken);
                }
                catch (Exception ex) when (nothingWasPosted(ex))
                {
                    // Refused, so nothing was posted: free the part at once. After a timeout or a server error it may
                    // have been posted; the claim is left to lapse, and the next poster looks first.
                    await ledger.ReleaseAsync(partKey, owner, CancellationToken.None);
                    throw;
                }
            }

            lost = heartbeat.Lost;
        }

        await ledger.RecordPostedAsync(partKey, addressOf?.Invoke(posted), cancellationToken);
        return new PartPosting<T>(claim, posted, found, lost);

        async Task<PartPosting<T>> PostedBeforeAsync() => new(
            DeliveryClaimOutcome.AlreadyPosted,
            null,
            FoundEarlier: false,
            ClaimLost: false,
            addressOf is null ? null : await ledger.PostedAsAsync(partKey, cancellationToken));
    }
}
