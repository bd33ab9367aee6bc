namespace Mockingbird.Experiments;

/// <summary>The experiment store of one process: for tests, and for a single bot without Redis.</summary>
public sealed class InMemoryExperimentStore : IExperimentStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Experiment, string Arm), TurnSums> _turns = [];
    private readonly HashSet<(string Experiment, string TurnKey)> _turnKeys = [];
    private readonly Dictionary<(string Experiment, string Rater, string Feedback), ArmVote> _votes = [];
    private readonly Dictionary<(string Experiment, string Arm, string Candidate), CandidateSteps> _candidates = [];
    private readonly Dictionary<string, SortedDictionary<string, ExperimentSnapshot>> _snapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _allocations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _baselines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _testSettings = new(StringComparer.Ordinal);
    private readonly List<ArmStop> _stops = [];
    private readonly Dictionary<string, DateTimeOffset> _lastDeclared = new(StringComparer.Ordinal);
    private readonly HashSet<string> _optedOut = new(StringComparer.Ordinal);
    private readonly List<Action> _listeners = [];

    public Task RecordAsync(JudgedTurn turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        lock (_gate)
        {
            if (!_turnKeys.Add((turn.ExperimentId, turn.TurnKey)))
                return Task.CompletedTask;
            var key = (turn.ExperimentId, turn.Arm);
            _turns[key] = _turns.GetValueOrDefault(key, TurnSums.Empty).Add(turn);
        }

        return Task.CompletedTask;
    }

    public Task RecordAsync(ArmVote vote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vote);
        lock (_gate)
            _votes[(vote.ExperimentId, vote.RaterId, vote.FeedbackId)] = vote;
        return Task.CompletedTask;
    }

    public Task RecordAsync(InterviewStep interviewStep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interviewStep);
        lock (_gate)
        {
            var key = (interviewStep.ExperimentId, interviewStep.Arm, interviewStep.CandidateId);
            if (!_candidates.TryGetValue(key, out var interviewSteps))
                _candidates[key] = interviewSteps = new CandidateSteps();
            interviewSteps.Add(interviewStep);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ArmMetrics>> MetricsAsync(string experimentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var arms = _turns.Keys.Where(k => k.Experiment == experimentId).Select(k => k.Arm)
                .Concat(_votes.Values.Where(v => v.ExperimentId == experimentId).Select(v => v.Arm))
                .Concat(_candidates.Keys.Where(k => k.Experiment == experimentId).Select(k => k.Arm))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            IReadOnlyList<ArmMetrics> metrics = [.. arms.Select(arm => Metrics(experimentId, arm, now))];
            return Task.FromResult(metrics);
        }
    }

    public Task<bool> AddSnapshotAsync(string experimentId, string slot, ExperimentSnapshot snapshot, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_snapshots.TryGetValue(experimentId, out var kept))
                _snapshots[experimentId] = kept = new(StringComparer.Ordinal);
            return Task.FromResult(kept.TryAdd(slot, snapshot));
        }
    }

    public Task<string> PinAllocationAsync(string experimentId, string allocation, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_allocations.TryAdd(experimentId, allocation) ? allocation : _allocations[experimentId]);
        }
    }

    public Task<string> PinBaselineAsync(string experimentId, string baseline, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_baselines.TryAdd(experimentId, baseline) ? baseline : _baselines[experimentId]);
        }
    }

    public Task<string> PinTestSettingsAsync(string experimentId, string settings, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_testSettings.TryAdd(experimentId, settings) ? settings : _testSettings[experimentId]);
        }
    }

    public Task<string?> PinnedTestSettingsAsync(string experimentId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_testSettings.GetValueOrDefault(experimentId));
        }
    }

    public Task<IReadOnlyList<ExperimentSnapshot>> SnapshotsAsync(string experimentId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<ExperimentSnapshot> kept = _snapshots.TryGetValue(experimentId, out var all) ? [.. all.Values.OrderBy(s => s.At)] : [];
            return Task.FromResult(kept);
        }
    }

    public Task<int> RemoveSnapshotsAsync(string experimentId, IReadOnlyCollection<DateTimeOffset> takenAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(takenAt);
        lock (_gate)
        {
            if (!_snapshots.TryGetValue(experimentId, out var kept))
                return Task.FromResult(0);
            var moments = takenAt.ToHashSet();
            var surplus = kept.Where(s => moments.Contains(s.Value.At)).Select(s => s.Key).ToList();
            surplus.ForEach(slot => kept.Remove(slot));
            return Task.FromResult(surplus.Count);
        }
    }

    public Task<(ArmStop Stop, bool StoppedNow)> StopAsync(ArmStop armStop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(armStop);
        lock (_gate)
        {
            if (_stops.Find(s => s.ExperimentId == armStop.ExperimentId && s.Version == armStop.Version) is { } earlier)
                return Task.FromResult((earlier, false));
            _stops.Add(armStop);
        }

        Changed();
        return Task.FromResult((armStop, true));
    }

    public Task<ExperimentControl> ControlAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(new ExperimentControl([.. _stops], new HashSet<string>(_optedOut, StringComparer.Ordinal)));
    }

    public Task<bool> SetOptedOutAsync(string personId, bool optedOut, CancellationToken cancellationToken)
    {
        bool changed;
        lock (_gate)
            changed = optedOut ? _optedOut.Add(personId) : _optedOut.Remove(personId);
        if (changed)
            Changed();
        return Task.FromResult(changed);
    }

    public Task<IAsyncDisposable> OnControlChangedAsync(Action changed, CancellationToken cancellationToken)
    {
        lock (_gate)
            _listeners.Add(changed);
        return Task.FromResult<IAsyncDisposable>(new Listening(this, changed));
    }

    private void Changed()
    {
        Action[] listeners;
        lock (_gate)
            listeners = [.. _listeners];
        foreach (var listener in listeners)
            listener();
    }

    public Task<IReadOnlyList<string>> EndedAsync(IReadOnlyCollection<string> declared, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(declared);
        lock (_gate)
        {
            foreach (var experimentId in declared)
                _lastDeclared[experimentId] = now;
            var kept = _turns.Keys.Select(k => k.Experiment)
                .Concat(_turnKeys.Select(k => k.Experiment))
                .Concat(_votes.Keys.Select(k => k.Experiment))
                .Concat(_candidates.Keys.Select(k => k.Experiment))
                .Concat(_snapshots.Keys)
                .Concat(_allocations.Keys)
                .Concat(_baselines.Keys)
                .Concat(_testSettings.Keys)
                .Concat(_stops.Select(s => s.ExperimentId))
                .Concat(_lastDeclared.Keys)
                .ToHashSet(StringComparer.Ordinal);
            var ended = new List<string>();
            foreach (var experimentId in kept.Order(StringComparer.Ordinal))
            {
                if (!_lastDeclared.TryAdd(experimentId, now) && now - _lastDeclared[experimentId] > keepFor)
                    ended.Add(experimentId);
            }

            return Task.FromResult<IReadOnlyList<string>>(ended);
        }
    }

    public Task<int> DeleteEndedAsync(string experimentId, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        int deleted, stops;
        lock (_gate)
        {
            if (!_lastDeclared.TryGetValue(experimentId, out var last) || now - last <= keepFor)
                return Task.FromResult(0);
            deleted = RemoveWhere(_turns, k => k.Experiment == experimentId)
                + _turnKeys.RemoveWhere(k => k.Experiment == experimentId)
                + RemoveWhere(_votes, k => k.Experiment == experimentId)
                + RemoveWhere(_candidates, k => k.Experiment == experimentId)
                + (_snapshots.Remove(experimentId, out var snapshots) ? snapshots.Count : 0)
                + (_allocations.Remove(experimentId) ? 1 : 0)
                + (_baselines.Remove(experimentId) ? 1 : 0)
                + (_testSettings.Remove(experimentId) ? 1 : 0);
            stops = _stops.RemoveAll(s => s.ExperimentId == experimentId);
            _lastDeclared.Remove(experimentId);
        }

        if (stops > 0)
            Changed();
        return Task.FromResult(deleted + stops);

        static int RemoveWhere<TKey, TValue>(Dictionary<TKey, TValue> records, Func<TKey, bool> match)
            where TKey : notnull
        {
            var keys = records.Keys.Where(match).ToList();
            foreach (var key in keys)
                records.Remove(key);
            return keys.Count;
        }
    }

    public Task<int> ForgetAsync(string personId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A record is one vote or one step, however many a person's interviews or votes span.
            var forgotten = 0;
            foreach (var vote in _votes.Keys.Where(k => k.Rater == personId).ToList())
                forgotten += _votes.Remove(vote) ? 1 : 0;
            foreach (var candidate in _candidates.Keys.Where(k => k.Candidate == personId).ToList())
            {
                if (_candidates.Remove(candidate, out var steps))
                    forgotten += steps.Count;
            }

            for (var i = 0; i < _stops.Count; i++)
            {
                if (_stops[i].By == personId)
                {
                    _stops[i] = _stops[i] with { By = ArmStop.Admin };
                    forgotten++;
                }
            }

            return Task.FromResult(forgotten);
        }
    }

    private ArmMetrics Metrics(string experimentId, string arm, DateTimeOffset now)
    {
        var turns = _turns.GetValueOrDefault((experimentId, arm), TurnSums.Empty);
        var votes = _votes.Values.Where(v => v.ExperimentId == experimentId && v.Arm == arm).ToList();
        var raters = votes.GroupBy(v => v.RaterId, StringComparer.Ordinal).ToList();
        var mostlyHelpful = raters.Count(r => r.Count(v => v.Helpful) * 2 > r.Count());
        var candidates = _candidates.Where(c => c.Key.Experiment == experimentId && c.Key.Arm == arm).Select(c => c.Value).ToList();
        var eligible = candidates.Where(c => c.FirstStart is { } first && now - first >= ArmMetrics.ReturnWindow).ToList();
        return new ArmMetrics(
            arm,
            turns.Feedbacks,
            turns.Fallbacks,
            turns.SchemaFailures,
            new LatencyHistogram(turns.Latency),
            [.. turns.Tokens.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new ModelTokens(t.Key, t.Value.Prompt, t.Value.Cached, t.Value.Completion))],
            votes.Count,
            new ShareCount(mostlyHelpful, raters.Count),
            candidates.Count,
            candidates.Sum(c => c.Started),
            candidates.Sum(c => c.Answers),
            candidates.Sum(c => c.Finished),
            eligible.Count,
            eligible.Count(c => c.Returned),
            candidates.Count(c => c.Finished > 0));
    }

    private sealed class Listening(InMemoryExperimentStore store, Action changed) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (store._gate)
                store._listeners.Remove(changed);
            return ValueTask.CompletedTask;
        }
    }

    private sealed record TurnSums(long Feedbacks, long Fallbacks, long SchemaFailures, long[] Latency, IReadOnlyDictionary<string, (long Prompt, long Cached, long Completion)> Tokens)
    {
        public static TurnSums Empty { get; } = new(0, 0, 0, new long[LatencyHistogram.UpperBoundsSeconds.Count], new Dictionary<string, (long, long, long)>());

        public TurnSums Add(JudgedTurn turn)
        {
            var latency = (long[])Latency.Clone();
            latency[LatencyHistogram.BucketOf(turn.Latency)]++;
            var tokens = new Dictionary<string, (long Prompt, long Cached, long Completion)>(Tokens, StringComparer.Ordinal);
            if (turn.Model is { } model && turn.PromptTokens + turn.CompletionTokens > 0)
            {
                var (prompt, cached, completion) = tokens.GetValueOrDefault(model);
                tokens[model] = (prompt + turn.PromptTokens, cached + turn.CachedPromptTokens, completion + turn.CompletionTokens);
            }

            return new(Feedbacks + 1, Fallbacks + (turn.FellBack ? 1 : 0), SchemaFailures + turn.SchemaFailures, latency, tokens);
        }
    }

    /// <summary>
    /// A candidate's steps in one arm. Returning is judged from every start kept, not the order they were recorded in,
    /// so a start recorded late (a retried write) cannot make someone return or stop them returning.
    /// </summary>
    private sealed class CandidateSteps
    {
        private readonly Dictionary<string, DateTimeOffset> _started = new(StringComparer.Ordinal);

        private readonly HashSet<string> _answers = new(StringComparer.Ordinal);

        private readonly HashSet<string> _finished = new(StringComparer.Ordinal);

        public int Count => _started.Count + _answers.Count + _finished.Count;

        public int Started => _started.Count;

        public int Answers => _answers.Count;

        public int Finished => _finished.Count;

        public DateTimeOffset? FirstStart => _started.Count == 0 ? null : _started.Values.Min();

        /// <summary>Another start within the return window of the first.</summary>
        public bool Returned => FirstStart is { } first && _started.Values.Count(at => at - first <= ArmMetrics.ReturnWindow) >= 2;

        public void Add(InterviewStep step)
        {
            switch (step.Milestone)
            {
                case InterviewMilestone.Started:
                    _started.TryAdd(step.Key, step.At);
                    break;
                case InterviewMilestone.Answered:
                    _answers.Add(step.Key);
                    break;
                default:
                    _finished.Add(step.Key);
                    break;
            }
        }
    }
}
