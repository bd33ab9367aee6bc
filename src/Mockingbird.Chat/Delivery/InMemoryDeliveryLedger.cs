using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;

namespace Mockingbird.Chat.Delivery;

/// <summary>The delivery ledger of one process: tests and a single-replica bot without Redis.</summary>
public sealed class InMemoryDeliveryLedger(IOptions<SessionStoreOptions> options, TimeProvider time) : IDeliveryLedger
{
    private readonly SessionStoreOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Part> _parts = new(StringComparer.Ordinal);
    private int _sweepAt = MinimumSweep;

    private const int MinimumSweep = 1024;

    public TimeSpan Lease => _options.PostLease;

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
            var known = _parts.TryGetValue(partKey, out var part) && part.KeptUntil > now;
            if (known && part.Posted)
            {
                return Task.FromResult(DeliveryClaimOutcome.AlreadyPosted);
            }

            if (known && part.LeasedUntil > now)
            {
                return Task.FromResult(DeliveryClaimOutcome.HeldElsewhere);
            }

            // A lapsed claim is remembered with the time of the first, for as long as a posted part would be.
            _parts[partKey] = new Part(false, owner, now + Lease, known ? part.ClaimedSince : now, now + _options.EventRetention);
            SweepIfDue(now);
            return Task.FromResult(known ? DeliveryClaimOutcome.Reclaimed : DeliveryClaimOutcome.Claimed);
        }
    }

    public Task<bool> RenewAsync(string partKey, string owner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_parts.TryGetValue(partKey, out var part) || part.Posted || part.Owner != owner || part.KeptUntil <= now)
            {
                return Task.FromResult(false);
            }

            _parts[partKey] = part with { LeasedUntil = now + Lease };
            return Task.FromResult(true);
        }
    }

    public Task<DateTimeOffset?> FirstClaimedAsync(string partKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<DateTimeOffset?>(
                _parts.TryGetValue(partKey, out var part) && !part.Posted && part.KeptUntil > time.GetUtcNow() ? part.ClaimedSince : null);
        }
    }

    public Task RecordPostedAsync(string partKey, string? postedAs, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _parts[partKey] = new Part(true, null, now, now, now + _options.EventRetention, postedAs);
        }

        return Task.CompletedTask;
    }

    public Task<string?> PostedAsAsync(string partKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_parts.TryGetValue(partKey, out var part) && part.Posted && part.KeptUntil > time.GetUtcNow() ? part.PostedAs : null);
        }
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
            if (part.KeptUntil <= now)
            {
                _parts.Remove(key);
            }
        }

        _sweepAt = Math.Max(MinimumSweep, _parts.Count * 2);
    }

    /// <param name="LeasedUntil">When an unposted part's claim lapses unless renewed.</param>
    /// <param name="ClaimedSince">When the part was first claimed, across claims that lapsed.</param>
    /// <param name="KeptUntil">When the ledger forgets the part.</param>
    /// <param name="PostedAs">Where a posted part is, when its poster said.</param>
    private readonly record struct Part(bool Posted, string? Owner, DateTimeOffset LeasedUntil, DateTimeOffset ClaimedSince, DateTimeOffset KeptUntil, string? PostedAs = null);
}
