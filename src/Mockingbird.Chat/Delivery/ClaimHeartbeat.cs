namespace Mockingbird.Chat.Delivery;

/// <summary>
/// Keeps a poster's claim on a part alive while it posts, by renewing it every third of the ledger's lease: a live
/// poster is never overtaken however long its post takes (rate-limit waits, retries), while the claim of one that died
/// lapses within a lease. Dispose it once the post is over, however it ended.
/// </summary>
public sealed class ClaimHeartbeat : IAsyncDisposable
{
    private readonly IDeliveryLedger _ledger;
    private readonly string _partKey;
    private readonly string _owner;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beating;
    private volatile bool _lost;

    private ClaimHeartbeat(IDeliveryLedger ledger, string partKey, string owner, TimeProvider time)
    {
        _ledger = ledger;
        _partKey = partKey;
        _owner = owner;
        _time = time;
        _beating = BeatAsync();
    }

    /// <summary>A renewal found the claim taken by another poster: whatever this one posts may be posted twice.</summary>
    public bool Lost => _lost;

    public static ClaimHeartbeat Start(IDeliveryLedger ledger, string partKey, string owner, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);
        return new ClaimHeartbeat(ledger, partKey, owner, time);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _beating;
        _stop.Dispose();
    }

    private async Task BeatAsync()
    {
        var interval = _ledger.Lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(interval, _time, _stop.Token);
                try
                {
                    if (!await _ledger.RenewAsync(_partKey, _owner, _stop.Token))
                    {
                        _lost = true;
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store missed one beat; two more come before the lease runs out.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The post is over.
        }
    }
}
