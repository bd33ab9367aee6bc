using Microsoft.Extensions.Options;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Sessions;

/// <summary>The delivery ledger of one process: tests and a single-replica bot without Redis.</summary>
public sealed class InMemoryDeliveryLedger(IOptions<SessionStoreOptions> options, TimeProvider time) : IDeliveryLedger
{
    private readonly SessionStoreOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (bool Posted, string? Owner, DateTimeOffset Until)> _parts = new(StringComparer.Ordinal);
    private int _sweepAt = MinimumSweep;

    private const int MinimumSweep = 1024;

    /// <summary>Parts remembered right now, expired ones not yet swept included.</summary>
    internal int Remembered
    {
        get
        {
            lock (_gate)
            {
                return _parts.Count;
            }
        }
    }

    public Task<DeliveryClaimOutcome> TryClaimAsync(string partKey, string owner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_parts.TryGetValue(partKey, out var part) && part.Until > now)
            {
                return Task.FromResult(part.Posted ? DeliveryClaimOutcome.AlreadyPosted : DeliveryClaimOutcome.HeldElsewhere);
            }

            _parts[partKey] = (false, owner, now + _options.PostLease);
            SweepIfDue(now);
            return Task.FromResult(DeliveryClaimOutcome.Claimed);
        }
    }

    public Task RecordPostedAsync(string partKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _parts[partKey] = (true, null, time.GetUtcNow() + _options.EventRetention);
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string partKey, string owner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_parts.TryGetValue(partKey, out var part) && !part.Posted && part.Owner == owner)
            {
                _parts.Remove(partKey);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A long-running bot posts without end, so expired parts are dropped whenever the ledger has doubled since the
    /// last sweep: amortised constant work per claim, and memory bounded by what is live.
    /// </summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        if (_parts.Count < _sweepAt)
        {
            return;
        }

        foreach (var (key, part) in _parts)
        {
            if (part.Until <= now)
            {
                _parts.Remove(key);
            }
        }

        _sweepAt = Math.Max(MinimumSweep, _parts.Count * 2);
    }
}
