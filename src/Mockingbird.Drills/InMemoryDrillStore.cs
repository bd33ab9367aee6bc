using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Drills;

/// <summary>Drill plans of one process: tests and a single-replica bot without Redis.</summary>
/// <param name="queue">Where answers' judging jobs go; without it answers are kept but judged by nobody.</param>
public sealed class InMemoryDrillStore(InMemorySessionStore? queue = null) : IDrillStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DrillPlan> _plans = new(StringComparer.Ordinal);

    /// <summary>Per candidate: when the drill is scheduled, and when it may next be claimed (later while leased).</summary>
    private readonly Dictionary<string, (DateTimeOffset DueAt, DateTimeOffset ClaimableAt)> _due = new(StringComparer.Ordinal);

    private readonly Dictionary<(string CandidateId, string DrillId), string> _answers = [];

    public Task<DrillPlan?> FindAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_plans.GetValueOrDefault(candidateId));
        }
    }

    public Task<bool> SaveAsync(DrillPlan plan, long expectedVersion, DateTimeOffset? nextDue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        lock (_gate)
        {
            var stored = _plans.TryGetValue(plan.CandidateId, out var current) ? current.Version : 0;
            if (stored != expectedVersion)
            {
                return Task.FromResult(false);
            }

            _plans[plan.CandidateId] = plan with { Version = expectedVersion + 1 };
            if (nextDue is { } due)
            {
                _due[plan.CandidateId] = (due, due);
            }
            else
            {
                _due.Remove(plan.CandidateId);
            }

            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<DrillClaim>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var claims = _due
                .Where(d => d.Value.ClaimableAt <= now)
                .OrderBy(d => d.Value.ClaimableAt)
                .ThenBy(d => d.Key, StringComparer.Ordinal)
                .Take(max)
                .Select(d => new DrillClaim(d.Key, d.Value.DueAt, now + lease))
                .ToList();
            foreach (var claim in claims)
            {
                _due[claim.CandidateId] = (claim.DueAt, claim.LeasedUntil);
            }

            return Task.FromResult<IReadOnlyList<DrillClaim>>(claims);
        }
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_due.Count == 0 ? (DateTimeOffset?)null : _due.Values.Min(d => d.ClaimableAt));
        }
    }

    public Task<bool> ForgetAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var had = _plans.Remove(candidateId);
            foreach (var key in _answers.Keys.Where(k => k.CandidateId == candidateId).ToList())
            {
                had |= _answers.Remove(key);
            }

            return Task.FromResult(_due.Remove(candidateId) | had);
        }
    }

    public Task<bool> SubmitAnswerAsync(string candidateId, string drillId, string text, JudgeJob judging, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_answers.TryAdd((candidateId, drillId), text))
            {
                return Task.FromResult(false);
            }

            queue?.Enqueue([judging]);
            return Task.FromResult(true);
        }
    }

    public Task<string?> FindAnswerAsync(string candidateId, string drillId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_answers.GetValueOrDefault((candidateId, drillId)));
        }
    }

    public Task DropAnswerAsync(string candidateId, string drillId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _answers.Remove((candidateId, drillId));
            return Task.CompletedTask;
        }
    }
}
