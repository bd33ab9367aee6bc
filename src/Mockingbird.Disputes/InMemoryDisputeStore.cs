namespace Mockingbird.Disputes;

/// <summary>Disputes in this process: for tests and single-replica runs. One lock makes every step atomic.</summary>
public sealed class InMemoryDisputeStore : IDisputeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _disputes = new(StringComparer.Ordinal);

    public Task<bool> OpenAsync(Dispute dispute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        ArgumentException.ThrowIfNullOrEmpty(dispute.Place, nameof(dispute));
        lock (_gate)
        {
            return Task.FromResult(_disputes.TryAdd(dispute.Id, new Entry(dispute)));
        }
    }

    public Task<DisputeRecord?> FindAsync(string disputeId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_disputes.TryGetValue(disputeId, out var entry) ? entry.Record() : null);
        }
    }

    public Task<Dispute?> NextForVoterAsync(string voterId, string place, DateTimeOffset openedAfter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_disputes.Values
                .Where(e => e.Settled is null && e.Dispute.Place == place && e.Dispute.OpenedAt > openedAfter && e.Dispute.CandidateId != voterId && !e.Votes.ContainsKey(voterId))
                .OrderBy(e => e.Dispute.OpenedAt)
                .ThenBy(e => e.Dispute.Id, StringComparer.Ordinal)
                .Select(e => e.Dispute)
                .FirstOrDefault());
        }
    }

    public Task<VoteReceipt> VoteAsync(string disputeId, string voterId, string place, int score, int votesToSettle, DateTimeOffset openedAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_disputes.TryGetValue(disputeId, out var entry))
            {
                return Task.FromResult(new VoteReceipt(VoteOutcome.Unknown));
            }

            var outcome = entry.Dispute.Place != place ? VoteOutcome.Elsewhere
                : entry.Dispute.CandidateId == voterId ? VoteOutcome.OwnDispute
                : entry.Votes.ContainsKey(voterId) ? VoteOutcome.AlreadyVoted
                : entry.Settled is not null ? VoteOutcome.AlreadySettled
                : entry.Dispute.OpenedAt <= openedAfter ? VoteOutcome.Expired
                : VoteOutcome.Counted;
            if (outcome != VoteOutcome.Counted)
            {
                return Task.FromResult(new VoteReceipt(outcome));
            }

            entry.Votes[voterId] = score;
            if (entry.Votes.Count < votesToSettle)
            {
                return Task.FromResult(new VoteReceipt(VoteOutcome.Counted));
            }

            entry.Settled = new SettledCase(entry.Dispute.Case, entry.Dispute.Judge, [.. entry.Votes.Values], now);
            entry.TellFrom = now;
            return Task.FromResult(new VoteReceipt(VoteOutcome.Settled, entry.Settled));
        }
    }

    public Task<IReadOnlyList<DisputeRecord>> RaisedByAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DisputeRecord>>([.. _disputes.Values.Where(e => e.Dispute.NamesSomeone && e.Dispute.CandidateId == candidateId).Select(e => e.Record())]);
        }
    }

    public Task<IReadOnlyList<string>> ClaimUntoldAsync(DateTimeOffset openedAfter, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            CloseExpired(openedAfter);
            var claimed = _disputes.Values
                .Where(e => e.TellFrom <= now)
                .OrderBy(e => e.TellFrom)
                .ThenBy(e => e.Dispute.Id, StringComparer.Ordinal)
                .Take(max)
                .ToList();
            foreach (var entry in claimed)
            {
                entry.TellFrom = now + lease;
            }

            return Task.FromResult<IReadOnlyList<string>>([.. claimed.Select(e => e.Dispute.Id)]);
        }
    }

    public Task<bool> TryClaimUntoldAsync(string disputeId, DateTimeOffset openedAfter, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            CloseExpired(openedAfter);
            if (!_disputes.TryGetValue(disputeId, out var entry) || !(entry.TellFrom <= now))
            {
                return Task.FromResult(false);
            }

            entry.TellFrom = now + lease;
            return Task.FromResult(true);
        }
    }

    public Task<bool> ReleaseClaimAsync(string disputeId, DateTimeOffset claimedUntil, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_disputes.TryGetValue(disputeId, out var entry) || entry.TellFrom != claimedUntil)
            {
                return Task.FromResult(false);
            }

            entry.TellFrom = now;
            return Task.FromResult(true);
        }
    }

    public Task<bool> ToldAsync(string disputeId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_disputes.TryGetValue(disputeId, out var entry) || entry.TellFrom is null)
            {
                return Task.FromResult(false);
            }

            if (entry.Settled is null)
            {
                _disputes.Remove(disputeId);
                return Task.FromResult(true);
            }

            entry.Dispute = entry.Dispute.Anonymous;
            entry.Votes.Clear();
            entry.TellFrom = null;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<SettledCase>> SettledAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<SettledCase>>([.. _disputes.Values.Select(e => e.Settled).OfType<SettledCase>().OrderBy(s => s.SettledAt)]);
        }
    }

    public Task<int> ForgetAsync(string personId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var raised = _disputes.Values.Where(e => e.Dispute.NamesSomeone && e.Dispute.CandidateId == personId).Select(e => e.Dispute.Id).ToList();
            foreach (var id in raised)
            {
                _disputes.Remove(id);
            }

            var votes = 0;
            // A settled case keeps the scores it was settled with (its own copy); only who gave them goes.
            foreach (var entry in _disputes.Values.Where(e => e.Votes.Remove(personId)))
            {
                votes++;
            }

            return Task.FromResult(raised.Count + votes);
        }
    }

    /// <summary>An open dispute past the window closes unsettled, its outcome to be told at once.</summary>
    private void CloseExpired(DateTimeOffset openedAfter)
    {
        foreach (var entry in _disputes.Values.Where(e => e.Settled is null && !e.Expired && e.Dispute.OpenedAt <= openedAfter))
        {
            entry.Expired = true;
            entry.TellFrom = entry.Dispute.OpenedAt;
        }
    }

    private sealed class Entry(Dispute dispute)
    {
        public Dispute Dispute { get; set; } = dispute;

        public Dictionary<string, int> Votes { get; } = new(StringComparer.Ordinal);

        public SettledCase? Settled { get; set; }

        public bool Expired { get; set; }

        /// <summary>Closed and untold: when it may be claimed for telling. Null while open, and once told.</summary>
        public DateTimeOffset? TellFrom { get; set; }

        public DisputeRecord Record() => new(Dispute, Settled?.PeerScores.Count ?? Votes.Count, Settled);
    }
}
