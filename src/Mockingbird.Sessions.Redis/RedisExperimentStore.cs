using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Mockingbird.Experiments;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Experiments in Redis. Each experiment's keys share one hash tag, and each observation is one script on that slot:
/// its once-only check (turn key, vote record, step) and the arm's running sums move together, so reading an
/// experiment's metrics is two round trips (its arms, then every arm's sums at once) however much was recorded.
/// Stops and opt-outs live apart, on a slot of their own, and are announced on a pub/sub channel.
/// </summary>
public sealed class RedisExperimentStore : IExperimentStore
{
    /// <summary>
    /// How long a judged turn's key and a rater's vote on one feedback are kept. A retried judgement comes back within
    /// minutes and a vote can only be cast or changed in the rating window (30 days), so 90 days holds every repeat
    /// that can still arrive while bounding what an experiment leaves behind; the arms' sums live as long as it does.
    /// </summary>
    public static readonly TimeSpan ObservationRetention = TimeSpan.FromDays(90);

    /// <summary>
    /// Longer than a delete takes (a scan of a 10-million-key primary is about 20,000 round trips), so a second
    /// replica starts one only after the first died; one that does is no harm, since a delete can be repeated.
    /// </summary>
    private static readonly TimeSpan DeleteLease = TimeSpan.FromMinutes(10);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly RedisChannel _channel;

    /// <summary>Experiments this process has put in the index, so each costs one extra round trip per process.</summary>
    private readonly ConcurrentDictionary<string, bool> _indexed = new(StringComparer.Ordinal);

    public RedisExperimentStore(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions)
    {
        ArgumentNullException.ThrowIfNull(redisOptions);
        _redis = redis;
        _keys = new RedisKeys(redisOptions.Value.KeyPrefix, redisOptions.Value.Shards);
        _channel = RedisChannel.Literal(_keys.ExperimentControlChannel);
    }

    private IDatabase Db => _redis.GetDatabase();

    public async Task RecordAsync(JudgedTurn turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        await IndexAsync(turn.ExperimentId);
        var countsTokens = turn.Model is not null && turn.PromptTokens + turn.CompletionTokens > 0;
        await Db.ScriptEvaluateAsync(
            RedisExperimentScripts.RecordTurn,
            [_keys.ExperimentTurn(turn.ExperimentId, turn.TurnKey), _keys.ExperimentArm(turn.ExperimentId, turn.Arm), _keys.ExperimentArms(turn.ExperimentId)],
            [
                RetentionMs, turn.Arm, turn.FellBack ? 1 : 0, turn.SchemaFailures, LatencyHistogram.BucketOf(turn.Latency),
                countsTokens ? turn.Model : string.Empty, turn.PromptTokens, turn.CachedPromptTokens, turn.CompletionTokens,
            ]);
    }

    public async Task RecordAsync(ArmVote vote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vote);
        await IndexAsync(vote.ExperimentId);

        // A feedback's votes are all in its arm, so the earlier vote is looked for there first; a vote stored in
        // another arm sends the script again with that arm's keys.
        var earlierArm = vote.Arm;
        while (true)
        {
            var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(
                RedisExperimentScripts.RecordVote,
                [
                    _keys.ExperimentVote(vote.ExperimentId, vote.RaterId, vote.FeedbackId), _keys.ExperimentArm(vote.ExperimentId, vote.Arm),
                    _keys.ExperimentRaterVotes(vote.ExperimentId, vote.Arm), _keys.ExperimentArms(vote.ExperimentId), _keys.ExperimentPerson(vote.ExperimentId, vote.RaterId),
                    _keys.ExperimentArm(vote.ExperimentId, earlierArm), _keys.ExperimentRaterVotes(vote.ExperimentId, earlierArm),
                ],
                [vote.Arm, vote.Helpful ? 1 : 0, RedisKeys.Digest(vote.RaterId), RetentionMs, earlierArm]))!;
            if ((int)reply[0] != -1)
            {
                return;
            }

            earlierArm = (string)reply[1]!;
        }
    }

    public async Task RecordAsync(InterviewStep interviewStep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interviewStep);
        var (experiment, arm, candidate) = (interviewStep.ExperimentId, interviewStep.Arm, interviewStep.CandidateId);
        await IndexAsync(experiment);
        var milestone = interviewStep.Milestone switch
        {
            InterviewMilestone.Started => "s",
            InterviewMilestone.Answered => "a",
            _ => "f",
        };
        await Db.ScriptEvaluateAsync(
            RedisExperimentScripts.RecordStep,
            [
                _keys.ExperimentSteps(experiment, arm, candidate), _keys.ExperimentStarts(experiment, arm, candidate), _keys.ExperimentArm(experiment, arm),
                _keys.ExperimentFirstStarts(experiment, arm), _keys.ExperimentReturned(experiment, arm), _keys.ExperimentArms(experiment),
                _keys.ExperimentPerson(experiment, candidate), _keys.ExperimentFinishers(experiment, arm),
            ],
            [arm, milestone, interviewStep.Key, interviewStep.At.ToUnixTimeMilliseconds(), (long)ArmMetrics.ReturnWindow.TotalMilliseconds, RedisKeys.Digest(candidate)]);
    }

    public async Task<IReadOnlyList<ArmMetrics>> MetricsAsync(string experimentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var arms = (await Db.SetMembersAsync(_keys.ExperimentArms(experimentId))).Select(a => (string)a!).Order(StringComparer.Ordinal).ToList();
        if (arms.Count == 0)
        {
            return [];
        }

        // Every arm's reads in one batch: one round trip for the lot.
        var eligibleBy = (now - ArmMetrics.ReturnWindow).ToUnixTimeMilliseconds();
        var batch = Db.CreateBatch();
        var reads = arms.Select(arm => (
            Arm: arm,
            Sums: batch.HashGetAllAsync(_keys.ExperimentArm(experimentId, arm)),
            Eligible: batch.SortedSetLengthAsync(_keys.ExperimentFirstStarts(experimentId, arm), double.NegativeInfinity, eligibleBy),
            Returned: batch.SortedSetLengthAsync(_keys.ExperimentReturned(experimentId, arm), double.NegativeInfinity, eligibleBy),
            Finishers: batch.SetLengthAsync(_keys.ExperimentFinishers(experimentId, arm)))).ToList();
        batch.Execute();
        var metrics = new List<ArmMetrics>(reads.Count);
        foreach (var read in reads)
        {
            metrics.Add(Metrics(read.Arm, await read.Sums, await read.Eligible, await read.Returned, await read.Finishers));
        }

        return metrics;
    }

    private static ArmMetrics Metrics(string arm, HashEntry[] sums, long eligible, long returned, long finishers)
    {
        var fields = sums.ToDictionary(f => (string)f.Name!, f => (long)f.Value, StringComparer.Ordinal);
        long Sum(string field) => fields.GetValueOrDefault(field);
        var latency = new long[LatencyHistogram.UpperBoundsSeconds.Count];
        for (var bucket = 0; bucket < latency.Length; bucket++)
        {
            latency[bucket] = Sum(string.Create(CultureInfo.InvariantCulture, $"l:{bucket}"));
        }

        var tokens = fields.Keys
            .Where(f => f.StartsWith("tp:", StringComparison.Ordinal))
            .Select(f => f[3..])
            .Order(StringComparer.Ordinal)
            .Select(model => new ModelTokens(model, Sum("tp:" + model), Sum("tc:" + model), Sum("to:" + model)));
        return new ArmMetrics(
            arm,
            Sum("f"),
            Sum("fb"),
            Sum("sf"),
            new LatencyHistogram(latency),
            [.. tokens],
            Sum("votes"),
            new ShareCount(Sum("helpful"), Sum("raters")),
            Sum("candidates"),
            Sum("started"),
            Sum("answers"),
            Sum("finished"),
            eligible,
            returned,
            finishers);
    }

    public async Task<bool> AddSnapshotAsync(string experimentId, string slot, ExperimentSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return await Db.HashSetAsync(
            _keys.ExperimentSnapshots(experimentId), slot, JsonSerializer.Serialize(snapshot, RedisExperimentJson.Default.ExperimentSnapshot), When.NotExists);
    }

    public async Task<string> PinAllocationAsync(string experimentId, string allocation, CancellationToken cancellationToken)
    {
        // Once kept it never changes, so a read after a refused write cannot race with another write.
        var key = _keys.ExperimentAllocation(experimentId);
        return await Db.StringSetAsync(key, allocation, when: When.NotExists) ? allocation : (string?)await Db.StringGetAsync(key) ?? allocation;
    }

    public async Task<string> PinBaselineAsync(string experimentId, string baseline, CancellationToken cancellationToken)
    {
        var key = _keys.ExperimentBaseline(experimentId);
        return await Db.StringSetAsync(key, baseline, when: When.NotExists) ? baseline : (string?)await Db.StringGetAsync(key) ?? baseline;
    }

    public async Task<string> PinTestSettingsAsync(string experimentId, string settings, CancellationToken cancellationToken)
    {
        var key = _keys.ExperimentTestSettings(experimentId);
        return await Db.StringSetAsync(key, settings, when: When.NotExists) ? settings : (string?)await Db.StringGetAsync(key) ?? settings;
    }

    public async Task<string?> PinnedTestSettingsAsync(string experimentId, CancellationToken cancellationToken) =>
        await Db.StringGetAsync(_keys.ExperimentTestSettings(experimentId));

    public async Task<IReadOnlyList<ExperimentSnapshot>> SnapshotsAsync(string experimentId, CancellationToken cancellationToken)
    {
        var values = await Db.HashValuesAsync(_keys.ExperimentSnapshots(experimentId));
        return [.. values.Select(v => JsonSerializer.Deserialize((string)v!, RedisExperimentJson.Default.ExperimentSnapshot)!).OrderBy(s => s.At)];
    }

    public async Task<int> RemoveSnapshotsAsync(string experimentId, IReadOnlyCollection<DateTimeOffset> takenAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(takenAt);
        if (takenAt.Count == 0)
        {
            return 0;
        }

        // A slot is never rewritten once kept, so the fields read here still hold the same snapshots when deleted.
        var key = _keys.ExperimentSnapshots(experimentId);
        var moments = takenAt.ToHashSet();
        var surplus = (await Db.HashGetAllAsync(key))
            .Where(f => moments.Contains(JsonSerializer.Deserialize((string)f.Value!, RedisExperimentJson.Default.ExperimentSnapshot)!.At))
            .Select(f => f.Name)
            .ToArray();
        return surplus.Length == 0 ? 0 : (int)await Db.HashDeleteAsync(key, surplus);
    }

    public async Task<(ArmStop Stop, bool StoppedNow)> StopAsync(ArmStop armStop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(armStop);
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(
            RedisExperimentScripts.Stop,
            [_keys.ExperimentStops],
            [StopField(armStop.ExperimentId, armStop.Version), JsonSerializer.Serialize(armStop, RedisExperimentJson.Default.ArmStop), _keys.ExperimentControlChannel]))!;
        return (int)reply[0] == 1 ? (armStop, true) : (ReadStop((string)reply[1]!), false);
    }

    public async Task<ExperimentControl> ControlAsync(CancellationToken cancellationToken)
    {
        // Both reads leave together; the multiplexer pipelines them.
        var stops = Db.HashValuesAsync(_keys.ExperimentStops);
        var optedOut = Db.SetMembersAsync(_keys.ExperimentOptOuts);
        var stopped = await stops;
        var people = await optedOut;
        return new ExperimentControl(
            [.. stopped.Select(s => ReadStop((string)s!)).OrderBy(s => s.At)],
            people.Select(p => (string)p!).ToHashSet(StringComparer.Ordinal));
    }

    public async Task<IAsyncDisposable> OnControlChangedAsync(Action changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var subscriber = _redis.GetSubscriber();
        Action<RedisChannel, RedisValue> handler = (_, _) => changed();
        await subscriber.SubscribeAsync(_channel, handler);
        return new Listening(subscriber, _channel, handler);
    }

    public async Task<bool> SetOptedOutAsync(string personId, bool optedOut, CancellationToken cancellationToken) =>
        (int)await Db.ScriptEvaluateAsync(
            RedisExperimentScripts.SetOptedOut, [_keys.ExperimentOptOuts], [personId, optedOut ? 1 : 0, _keys.ExperimentControlChannel]) == 1;

    public async Task<IReadOnlyList<string>> EndedAsync(IReadOnlyCollection<string> declared, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(declared);
        var ended = (RedisResult[])(await Db.ScriptEvaluateAsync(
            RedisExperimentScripts.Ended,
            [_keys.Experiments, _keys.ExperimentsLastDeclared],
            [now.ToUnixTimeMilliseconds(), (long)keepFor.TotalMilliseconds, .. declared.Select(id => (RedisValue)id)]))!;
        return [.. ended.Select(id => (string)id!).Order(StringComparer.Ordinal)];
    }

    public async Task<int> DeleteEndedAsync(string experimentId, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        // Every replica finds the same experiment ended at the same look: one deletes it, the others leave it be. A
        // replica that dies deleting, or loses Redis while it does, leaves the lease to run out, and a later look
        // finishes the delete.
        var lease = _keys.ExperimentDeleting(experimentId);
        var owner = Guid.NewGuid().ToString("N");
        if (!await Db.LockTakeAsync(lease, owner, DeleteLease))
        {
            return 0;
        }

        try
        {
            return await DeleteAsync(experimentId, now, keepFor, cancellationToken);
        }
        finally
        {
            await LetGoAsync(lease, owner);
        }
    }

    /// <summary>
    /// Lets go of a delete's lease without throwing, so it never hides the delete's own error; one that cannot be let go
    /// runs out instead, which only delays a retry.
    /// </summary>
    private async Task LetGoAsync(RedisKey lease, string owner)
    {
        try
        {
            await Db.LockReleaseAsync(lease, owner);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            // Left to run out.
        }
    }

    private async Task<int> DeleteAsync(string experimentId, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        // Read under the lease: a replica that deleted it just before has taken it out of the marks.
        if (!StillEnded(await Db.HashGetAsync(_keys.ExperimentsLastDeclared, experimentId), now, keepFor))
        {
            return 0;
        }

        var deleted = await DeleteKeysAsync(experimentId, cancellationToken);
        var stops = (await Db.HashKeysAsync(_keys.ExperimentStops)).Where(field => ((string)field!).StartsWith(experimentId + "\n", StringComparison.Ordinal)).ToArray();
        if (stops.Length > 0)
        {
            deleted += await Db.HashDeleteAsync(_keys.ExperimentStops, stops);
            await Db.PublishAsync(_channel, "stop");
        }

        // Out of the index last, and only while still ended, so a delete cut short is found again by the next look. A
        // forget-me that read the index before that can still have written to the arms' sums since they were
        // scanned: a second scan takes what it left.
        var tookOut = (long)(await Db.ScriptEvaluateAsync(
            RedisExperimentScripts.Unindex,
            [_keys.Experiments, _keys.ExperimentsLastDeclared],
            [experimentId, now.ToUnixTimeMilliseconds(), (long)keepFor.TotalMilliseconds]))! == 1;
        _indexed.TryRemove(experimentId, out _);
        return tookOut ? (int)(deleted + await DeleteKeysAsync(experimentId, cancellationToken)) : (int)deleted;
    }

    private static bool StillEnded(RedisValue lastDeclared, DateTimeOffset now, TimeSpan keepFor) =>
        lastDeclared.TryParse(out long ms) && now.ToUnixTimeMilliseconds() - ms > (long)keepFor.TotalMilliseconds;

    /// <summary>Every key under the experiment's tag, scanned on every primary and deleted in batches.</summary>
    private async Task<long> DeleteKeysAsync(string experimentId, CancellationToken cancellationToken)
    {
        // The tag puts every key of an experiment in one slot, on one primary of a cluster. All are scanned, since the
        // client's map of slots may be out of date (a failover, a slot moving), and an unreachable one fails the
        // delete, which a later look repeats, rather than leave keys behind.
        var primaries = _redis.GetServers().Where(server => !server.IsReplica).ToList();
        if (primaries.Count == 0 || primaries.Exists(server => !server.IsConnected))
        {
            throw new InvalidOperationException("Not every Redis primary is reachable, so the experiment's keys cannot all be found");
        }

        var pattern = GlobEscaped(_keys.ExperimentTag(experimentId)) + ":*";
        var deleted = 0L;
        foreach (var primary in primaries)
        {
            var batch = new List<RedisKey>();
            await foreach (var key in primary.KeysAsync(Db.Database, pattern, pageSize: 500).WithCancellation(cancellationToken))
            {
                batch.Add(key);
                if (batch.Count == 500)
                {
                    deleted += await Db.KeyDeleteAsync([.. batch]);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                deleted += await Db.KeyDeleteAsync([.. batch]);
            }
        }

        return deleted;
    }

    private static string GlobEscaped(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? $"\\{c}" : c.ToString()));

    public async Task<int> ForgetAsync(string personId, CancellationToken cancellationToken)
    {
        // One read of each experiment's person index and one script per experiment, each on its own slot; all at once.
        var experiments = await Db.SetMembersAsync(_keys.Experiments);
        var forgotten = await Task.WhenAll(experiments.Select(e => ForgetInExperimentAsync((string)e!, personId)).Append(ForgetAsStopperAsync(personId)));
        return forgotten.Sum();
    }

    /// <summary>
    /// Stops recorded with the person's id as their maker name <see cref="ArmStop.Admin"/> instead. Only stops that
    /// exist are rewritten, and the stop script never replaces one, so a stop made meanwhile cannot be lost.
    /// </summary>
    private async Task<int> ForgetAsStopperAsync(string personId)
    {
        var theirs = (await Db.HashGetAllAsync(_keys.ExperimentStops))
            .Select(entry => (Field: entry.Name, Stop: ReadStop((string)entry.Value!)))
            .Where(entry => entry.Stop.By == personId)
            .ToList();
        foreach (var (field, stop) in theirs)
        {
            await Db.HashSetAsync(_keys.ExperimentStops, field, JsonSerializer.Serialize(stop with { By = ArmStop.Admin }, RedisExperimentJson.Default.ArmStop));
        }

        if (theirs.Count > 0)
        {
            await Db.PublishAsync(_channel, "stop");
        }

        return theirs.Count;
    }

    private async Task<int> ForgetInExperimentAsync(string experimentId, string personId)
    {
        var index = _keys.ExperimentPerson(experimentId, personId);
        var entries = (await Db.SetMembersAsync(index)).Select(e => (string)e!).ToList();
        if (entries.Count == 0)
        {
            return 0;
        }

        var keys = new List<RedisKey> { index };
        foreach (var entry in entries)
        {
            var rest = entry[2..];
            keys.AddRange(entry[0] switch
            {
                'v' => [rest],
                'r' => [_keys.ExperimentRaterVotes(experimentId, rest), _keys.ExperimentArm(experimentId, rest)],
                _ =>
                [
                    _keys.ExperimentSteps(experimentId, rest, personId), _keys.ExperimentArm(experimentId, rest), _keys.ExperimentFirstStarts(experimentId, rest),
                    _keys.ExperimentReturned(experimentId, rest), _keys.ExperimentStarts(experimentId, rest, personId), _keys.ExperimentFinishers(experimentId, rest),
                ],
            });
        }

        return (int)await Db.ScriptEvaluateAsync(RedisExperimentScripts.Forget, [.. keys], [RedisKeys.Digest(personId), .. entries.Select(e => (RedisValue)e)]);
    }

    /// <summary>
    /// Puts the experiment in the index <see cref="ForgetAsync"/> walks, before anything personal is recorded in it.
    /// Only an experiment no replica has declared for long is taken out of it, and a process records only in experiments
    /// it declares (its guard puts them back each look), so remembering it was done is safe for the life of the process.
    /// </summary>
    private async Task IndexAsync(string experimentId)
    {
        if (_indexed.ContainsKey(experimentId))
        {
            return;
        }

        await Db.SetAddAsync(_keys.Experiments, experimentId);
        _indexed.TryAdd(experimentId, true);
    }

    private static long RetentionMs => (long)ObservationRetention.TotalMilliseconds;

    private static string StopField(string experimentId, string version) => $"{experimentId}\n{version}";

    private static ArmStop ReadStop(string json) => JsonSerializer.Deserialize(json, RedisExperimentJson.Default.ArmStop)!;

    private sealed class Listening(ISubscriber subscriber, RedisChannel channel, Action<RedisChannel, RedisValue> handler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await subscriber.UnsubscribeAsync(channel, handler);
    }
}

/// <summary>
/// Source-generated JSON for stops and snapshots. Computed properties (rates, totals) are left out: they are read
/// back from the counts they come from.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(ArmStop))]
[JsonSerializable(typeof(ExperimentSnapshot))]
internal sealed partial class RedisExperimentJson : JsonSerializerContext;
