using Microsoft.Extensions.Options;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Stores;

/// <summary>
/// The embedded store and judging queue for local practice and tests: one process, nothing persisted, the same
/// contract as the Redis store (the contract tests run against both).
/// </summary>
public sealed class InMemorySessionStore(IOptions<SessionStoreOptions> options, TimeProvider time) : ISessionStore, IJudgingQueue
{
    private readonly SessionStoreOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (VersionedSession Stored, DateTimeOffset ExpiresAt)> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<HistoryEntry>> _history = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (InterviewSession Session, DateTimeOffset ExpiresAt)> _finished = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, (PendingDelivery Delivery, DateTimeOffset ClaimedUntil)>> _deliveries = new(StringComparer.Ordinal);
    private readonly List<JobEntry> _jobs = [];
    private readonly List<(JudgeJob Job, string Reason)> _deadLetters = [];
    private TaskCompletionSource? _waitingForJobs;
    private bool _jobsAnnounced;
    private long _nextJobId;

    public InMemorySessionStore()
        : this(Options.Create(new SessionStoreOptions()), TimeProvider.System)
    {
    }

    /// <summary>Jobs that failed too often, with their last error.</summary>
    public IReadOnlyList<(JudgeJob Job, string Reason)> DeadLetters
    {
        get
        {
            lock (_gate)
            {
                return [.. _deadLetters];
            }
        }
    }

    /// <summary>Queues jobs that no session write carries (a study group's round closing); a job already queued is not queued again.</summary>
    public void Enqueue(IEnumerable<JudgeJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        lock (_gate)
        {
            foreach (var job in jobs.Where(job => !_jobs.Exists(j => j.Job == job)))
            {
                _jobs.Add(new JobEntry($"{++_nextJobId}", job));
                AnnounceJobs();
            }
        }
    }

    public Task<VersionedSession?> FindActiveAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_active.TryGetValue(candidateId, out var entry))
            {
                return Task.FromResult<VersionedSession?>(null);
            }

            if (entry.ExpiresAt <= now)
            {
                _active.Remove(candidateId);
                return Task.FromResult<VersionedSession?>(null);
            }

            _active[candidateId] = (entry.Stored, now + _options.IdleTimeout);
            return Task.FromResult<VersionedSession?>(entry.Stored);
        }
    }

    public Task<WriteResult> WriteAsync(SessionWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var session = write.Session;
        var candidate = session.CandidateId;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var events = Bucket(_events, candidate);
            if (write.EventId is { } eventId && events.TryGetValue(eventId, out var until) && until > now)
            {
                return Task.FromResult(new WriteResult(WriteOutcome.Duplicate, write.ExpectedVersion));
            }

            var storedVersion = _active.TryGetValue(candidate, out var stored) && stored.ExpiresAt > now ? stored.Stored.Version : 0;
            if (write.MarkOnly)
            {
                events[write.EventId!] = now + _options.EventRetention;
                return Task.FromResult(new WriteResult(WriteOutcome.Saved, storedVersion));
            }

            if (storedVersion != write.ExpectedVersion || (storedVersion != 0 && stored.Stored.Session.Id != session.Id))
            {
                return Task.FromResult(new WriteResult(WriteOutcome.Conflict, storedVersion));
            }

            var version = write.ExpectedVersion + 1;
            if (session.Phase == SessionPhase.Completed)
            {
                _active.Remove(candidate);
                if (_options.FinishedRetention > TimeSpan.Zero)
                {
                    _finished[candidate] = (session.AsFinished(), now + _options.FinishedRetention);
                }
            }
            else
            {
                _active[candidate] = (new VersionedSession(session, version), now + _options.IdleTimeout);
            }

            if (write.EventId is { } id)
            {
                events[id] = now + _options.EventRetention;
            }

            var seen = Bucket(_seen, candidate);
            foreach (var question in session.AskedQuestionIds())
            {
                seen[question] = now + _options.HistoryRetention;
            }

            // A turn with a live job is not queued again (a resume asks for its judgement again).
            foreach (var job in (write.Jobs ?? []).Where(job => !_jobs.Exists(j => j.Job == job)))
            {
                _jobs.Add(new JobEntry($"{++_nextJobId}", job));
                AnnounceJobs();
            }

            if (write.Delivery is { } delivery)
            {
                Bucket(_deliveries, candidate)[delivery.Key] = (delivery, now + _options.DeliveryLease);
            }

            if (write.History is { } history)
            {
                var entries = _history.TryGetValue(candidate, out var list) ? list : _history[candidate] = [];
                entries.Insert(0, history);
                entries.RemoveAll(e => e.CompletedAt <= now - _options.HistoryRetention);
                entries.RemoveRange(Math.Min(entries.Count, _options.MaxHistoryEntries), Math.Max(0, entries.Count - _options.MaxHistoryEntries));
            }

            return Task.FromResult(new WriteResult(WriteOutcome.Saved, version));
        }
    }

    public Task<bool> DiscardActiveAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_active.Remove(candidateId));
        }
    }

    public Task<IReadOnlySet<string>> SeenQuestionsAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            IReadOnlySet<string> seen = _seen.TryGetValue(candidateId, out var set)
                ? set.Where(s => s.Value > now).Select(s => s.Key).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);
            return Task.FromResult(seen);
        }
    }

    public Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var cutoff = time.GetUtcNow() - _options.HistoryRetention;
            IReadOnlyList<HistoryEntry> entries = _history.TryGetValue(candidateId, out var list) ? [.. list.Where(e => e.CompletedAt > cutoff)] : [];
            return Task.FromResult(entries);
        }
    }

    public Task<InterviewSession?> FindFinishedAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_finished.TryGetValue(candidateId, out var kept) && kept.ExpiresAt > time.GetUtcNow() ? kept.Session : null);
        }
    }

    public Task<DeliveryClaim> ClaimDeliveryAsync(string candidateId, string deliveryKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_deliveries.TryGetValue(candidateId, out var pending) || !pending.TryGetValue(deliveryKey, out var entry))
            {
                return Task.FromResult(DeliveryClaim.Nothing);
            }

            if (entry.ClaimedUntil > now)
            {
                return Task.FromResult(DeliveryClaim.Held);
            }

            pending[deliveryKey] = (entry.Delivery, now + _options.DeliveryLease);
            return Task.FromResult(new DeliveryClaim(entry.Delivery, HeldElsewhere: false));
        }
    }

    public Task<ForgetReport> ForgetAsync(string candidateId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var jobs = _jobs.RemoveAll(j => j.Job.CandidateId == candidateId) + _deadLetters.RemoveAll(d => d.Job.CandidateId == candidateId);
            var report = new ForgetReport(
                Sessions: _active.Remove(candidateId) ? 1 : 0,
                HistoryEntries: _history.Remove(candidateId, out var history) ? history.Count : 0,
                FinishedKept: _finished.Remove(candidateId) ? 1 : 0,
                SeenQuestions: _seen.Remove(candidateId, out var seen) ? seen.Count : 0,
                QueuedJobs: jobs,
                PendingDeliveries: _deliveries.Remove(candidateId, out var deliveries) ? deliveries.Count : 0,
                EventMarks: _events.Remove(candidateId, out var events) ? events.Count : 0);
            return Task.FromResult(report);
        }
    }

    public Task JobsQueuedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_jobsAnnounced)
            {
                return Task.CompletedTask;
            }

            _waitingForJobs ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waitingForJobs.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyList<QueuedJudgement>> TakeQueuedAsync(string worker, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _jobsAnnounced = false;
        }

        var taken = await TakeAsync(worker, max, cancellationToken);
        if (taken.Count == max)
        {
            // There may be more than was asked for: the next wait must not block on them.
            lock (_gate)
            {
                AnnounceJobs();
            }
        }

        return taken;
    }

    /// <summary>Called under the lock when a job is queued.</summary>
    private void AnnounceJobs()
    {
        _jobsAnnounced = true;
        _waitingForJobs?.TrySetResult();
        _waitingForJobs = null;
    }

    public Task<IReadOnlyList<QueuedJudgement>> TakeAsync(string worker, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var taken = new List<QueuedJudgement>();
            foreach (var entry in _jobs.Where(j => j.Owner is null || j.TakenAt + _options.ReclaimAfter <= now).Take(max))
            {
                entry.Owner = worker;
                entry.TakenAt = now;
                entry.Deliveries++;
                taken.Add(new QueuedJudgement(entry.Id, entry.Job, entry.Deliveries, worker));
            }

            return Task.FromResult<IReadOnlyList<QueuedJudgement>>(taken);
        }
    }

    public Task<int> ReleaseAsync(IReadOnlyList<QueuedJudgement> judgements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judgements);
        var released = 0;
        lock (_gate)
        {
            foreach (var judgement in judgements)
            {
                if (_jobs.Find(j => j.Id == judgement.Id) is { } entry && entry.Owner == judgement.Worker)
                {
                    // Taken back as the same delivery: a worker that stopped is not a failed attempt.
                    entry.Owner = null;
                    entry.Deliveries--;
                    released++;
                }
            }
        }

        return Task.FromResult(released);
    }

    public Task CompleteAsync(QueuedJudgement judgement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        lock (_gate)
        {
            _jobs.RemoveAll(j => j.Id == judgement.Id);
            if (_deliveries.TryGetValue(judgement.Job.CandidateId, out var pending))
            {
                pending.Remove(judgement.Job.DeliveryKey);
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> FailAsync(QueuedJudgement judgement, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        lock (_gate)
        {
            var entry = _jobs.Find(j => j.Id == judgement.Id);
            if (entry is null || entry.Owner != judgement.Worker || entry.Deliveries - entry.HeldTotal < _options.MaxAttempts)
            {
                // Left taken: it comes back to a worker once the reclaim timeout passes, which spaces the retries.
                // A worker whose job was reclaimed meanwhile cannot fail it for the new owner.
                return Task.FromResult(false);
            }

            return Task.FromResult(DeadLetter(entry, reason));
        }
    }

    public Task<bool> HeldAsync(QueuedJudgement judgement, string heldPart, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        lock (_gate)
        {
            var entry = _jobs.Find(j => j.Id == judgement.Id);
            if (entry is null || entry.Owner != judgement.Worker)
            {
                return Task.FromResult(false);
            }

            entry.HeldTotal++;
            entry.HeldStreak = entry.HeldPart == heldPart ? entry.HeldStreak + 1 : 1;
            entry.HeldPart = heldPart;
            return Task.FromResult(entry.HeldStreak >= _options.MaxAttempts && DeadLetter(entry, reason));
        }
    }

    private bool DeadLetter(JobEntry entry, string reason)
    {
        _jobs.Remove(entry);
        _deadLetters.Add((entry.Job, reason));
        return true;
    }

    private static Dictionary<string, TValue> Bucket<TValue>(Dictionary<string, Dictionary<string, TValue>> buckets, string candidateId) =>
        buckets.TryGetValue(candidateId, out var bucket) ? bucket : buckets[candidateId] = new Dictionary<string, TValue>(StringComparer.Ordinal);

    private sealed class JobEntry(string id, JudgeJob job)
    {
        public string Id { get; } = id;

        public JudgeJob Job { get; } = job;

        public string? Owner { get; set; }

        public DateTimeOffset TakenAt { get; set; }

        public int Deliveries { get; set; }

        /// <summary>Deliveries that found the job's delivery held by another poster; they spend no attempt.</summary>
        public int HeldTotal { get; set; }

        /// <summary>Deliveries in a row that found <see cref="HeldPart"/> held: a poster that stopped making progress.</summary>
        public int HeldStreak { get; set; }

        public string? HeldPart { get; set; }
    }
}
