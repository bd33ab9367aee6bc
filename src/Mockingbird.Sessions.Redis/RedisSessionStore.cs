using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Sessions, history, idempotency marks, pending deliveries and the durable judging queue in Redis. Every operation
/// is one script on one hash slot: one round trip, atomic, and valid on Redis Cluster.
/// </summary>
public sealed partial class RedisSessionStore : ISessionStore, IJudgingQueue, IDisposable
{
    /// <summary>
    /// How long a posted job's completion waits for its shard's next take before it is sent on its own, with the
    /// others of its shard. Under load a take comes first; for one candidate alone, their next answer's take, or else
    /// the workers' sweep (every second by default, and it visits every shard), so the timer is only a backstop. The
    /// wait only keeps the job with its worker that much longer: if the process dies meanwhile, the job comes back
    /// after the reclaim timeout and repeats its post under the same delivery key.
    /// </summary>
    internal static readonly TimeSpan CompletionsWaitAtMost = TimeSpan.FromSeconds(2);

    /// <summary>How soon completions that could not be sent (Redis away) are tried again.</summary>
    internal static readonly TimeSpan CompletionsRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Completions sent in one script at most; riding on a take, fewer, so the take stays short. Both stay far under
    /// what Lua's <c>unpack</c> takes.
    /// </summary>
    private const int CompletionsPerScript = 256;

    private const int CompletionsPerTake = 64;

    /// <summary>
    /// Sessions kept decoded (see <see cref="RecentSessions"/>): enough for every candidate of a busy host to answer
    /// in turn. Most take a few kilobytes of memory; at most about 120 MB if every one were at the largest kept.
    /// </summary>
    private const int SessionsKeptDecoded = 2048;

    /// <summary>
    /// How often the sessions kept decoded turn over: a session unused for two of these is let go. Long enough for a
    /// candidate reading feedback to answer again, short enough that a session does not sit in a replica's memory
    /// long after its candidate is gone.
    /// </summary>
    internal static readonly TimeSpan SessionsKeptDecodedTurnOver = TimeSpan.FromMinutes(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly SessionStoreOptions _options;
    private readonly RedisOptions _redisOptions;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisSessionStore> _logger;
    private readonly RedisKeys _keys;
    private readonly ShardAnnouncements _announced;
    private readonly PendingCompletions _completions;
    private readonly BankMarks? _rubric;
    private readonly StoredDeliveries _deliveries;
    private readonly RecentSessions _recent;
    private readonly long[] _consumersTidiedAt;
    private readonly Task?[] _consumersTidying;
    private Task? _subscription;
    private int _nextShard;
    private long _sessionsDecoded;

    public RedisSessionStore(
        IConnectionMultiplexer redis,
        IOptions<SessionStoreOptions> options,
        IOptions<RedisOptions> redisOptions,
        TimeProvider time,
        ILogger<RedisSessionStore> logger,
        QuestionBank? bank = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(redisOptions);
        _redis = redis;
        _options = options.Value;
        _redisOptions = redisOptions.Value;
        _time = time;
        _logger = logger;
        _keys = new RedisKeys(_redisOptions.KeyPrefix, _redisOptions.Shards);
        _rubric = bank is null ? null : new BankMarks(bank);
        _deliveries = new StoredDeliveries(_rubric ?? BankMarks.None);
        _announced = new ShardAnnouncements(_keys.Shards, time);
        _completions = new PendingCompletions(_keys.Shards, time, pending => _ = SendWaitingAsync(pending));
        _consumersTidiedAt = new long[_keys.Shards];
        _consumersTidying = new Task?[_keys.Shards];
        _recent = new RecentSessions(SessionsKeptDecoded, SessionsKeptDecodedTurnOver, time);
    }

    /// <summary>Stored sessions this store has decoded, as against found already decoded.</summary>
    internal long SessionsDecoded => Interlocked.Read(ref _sessionsDecoded);

    /// <summary>Sessions kept decoded now.</summary>
    internal int SessionsKept => _recent.Count;

    /// <summary>Off, every read decodes what it read: for tests of the stored form through the store.</summary>
    internal bool KeepsDecodedSessions { get; init; } = true;

    /// <summary>Completes once the consumer housekeeping the sweeps have started so far is done.</summary>
    internal Task ConsumersTidiedAsync() => Task.WhenAll(_consumersTidying.OfType<Task>());

    /// <summary>How often a sweep looks for consumers to forget on each shard.</summary>
    internal static TimeSpan ConsumersTidiedEvery { get; } = TimeSpan.FromMinutes(10);

    /// <summary>Completions kept and not yet sent.</summary>
    internal int CompletionsWaiting => _completions.Count;

    /// <summary>Announcements of queued jobs this store has heard.</summary>
    internal int AnnouncementsHeard => _announced.Heard;

    public void Dispose()
    {
        _completions.Dispose();
        _recent.Dispose();
    }

    private IDatabase Db => _redis.GetDatabase();

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<VersionedSession?> FindActiveAsync(string candidateId, CancellationToken cancellationToken)
    {
        var fields = await Db.HashGetAsync(_keys.Session(candidateId), SessionFields);
        return ReadSession(candidateId, fields[0], fields[1], fields[2], fields[3]);
    }

    /// <summary>
    /// Without a round trip when this process wrote the session last and it awaits an answer: the write that follows
    /// checks, with the version, the stamp written with it, so it is refused if anyone has written since, even at the
    /// same version after a failover lost this process's write. A session waiting on its judgement is read, since the
    /// worker that saves the judgement is often in another process.
    /// </summary>
    public Task<VersionedSession?> FindActiveForWriteAsync(string candidateId, CancellationToken cancellationToken) =>
        KeepsDecodedSessions && _recent.LastWritten(candidateId) is { Session.Phase: SessionPhase.AwaitingAnswer } written
            ? Task.FromResult<VersionedSession?>(new VersionedSession(written.Session, written.Version) { Stamp = written.Stamp })
            : FindActiveAsync(candidateId, cancellationToken);

    /// <summary>The fields of a session hash that make the session; the rest is bookkeeping the scripts keep.</summary>
    private static readonly RedisValue[] SessionFields = ["v", "id", "schema", "data"];

    /// <returns><c>null</c> when there is no session.</returns>
    /// <exception cref="UnreadableSessionException">The stored value is corrupt or of another schema version.</exception>
    private VersionedSession? ReadSession(string candidateId, RedisValue version, RedisValue id, RedisValue schema, RedisValue data)
    {
        if (version.IsNull && data.IsNull)
        {
            return null;
        }

        if (schema.IsNull || (string?)schema != InterviewSession.SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new UnreadableSessionException($"The stored session has schema version {((string?)schema ?? "none")}; this version reads {InterviewSession.SchemaVersion}.");
        }

        try
        {
            var bytes = (byte[]?)data ?? throw new FormatException("The session has no value.");
            var number = long.Parse((string?)version ?? throw new FormatException("The session has no version."), CultureInfo.InvariantCulture);
            if (KeepsDecodedSessions && _recent.Find(candidateId, bytes, number) is { } known)
            {
                return new VersionedSession(known, number);
            }

            // Sessions written before the compact form are plain JSON objects; they are read until they finish.
            var session = bytes is [(byte)'{', ..]
                ? JsonSerializer.Deserialize(bytes, RedisJson.Default.InterviewSession) ?? throw new UnreadableSessionException("The stored session is empty.")
                : StoredSessionCodec.Decode(bytes, _rubric);
            Interlocked.Increment(ref _sessionsDecoded);
            if (KeepsDecodedSessions)
            {
                _recent.Keep(candidateId, bytes, session, number);
            }

            return new VersionedSession(session, number);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or NotSupportedException)
        {
            throw new UnreadableSessionException("The stored session is not valid.", ex);
        }
    }

    public async Task<WriteResult> WriteAsync(SessionWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var session = write.Session;
        var candidate = session.CandidateId;
        var now = NowMs;
        var jobs = write.Jobs ?? [];
        var stored = StoredValue(write, session);
        var stamp = write.MarkOnly ? null : NewStamp();
        var args = new List<RedisValue>
        {
            write.ExpectedVersion,
            session.Id,
            stored ?? RedisValue.EmptyString,
            InterviewSession.SchemaVersion,
            (long)_options.IdleTimeout.TotalMilliseconds,
            session.Phase == SessionPhase.Completed ? "1" : "0",
            now,
            write.EventId is { } eventId ? EventMark(eventId) : string.Empty,
            (long)_options.EventRetention.TotalMilliseconds,

            // Earlier questions were added when they were current: only the one on screen can be new.
            session.Questions[session.Current.QuestionIndex].Id,
            (long)_options.HistoryRetention.TotalMilliseconds,
            write.History is { } history ? Versioned(JsonSerializer.Serialize(history, RedisJson.Default.HistoryEntry)) : string.Empty,
            _options.MaxHistoryEntries,
            write.Delivery?.Key ?? string.Empty,
            (long)_options.DeliveryLease.TotalMilliseconds,
            write.Delivery is { } delivery ? _deliveries.Encode(delivery.Actions) : RedisValue.EmptyString,
            candidate,
            write.MarkOnly ? "1" : "0",
            write.History?.CompletedAt.ToUnixTimeMilliseconds() ?? 0,

            // A session's idle expiry is refreshed by the first write after a tenth of it has passed, not by every
            // write: it then ends between nine tenths of the idle timeout and all of it after the last input.
            (long)(_options.IdleTimeout.TotalMilliseconds / 10),
            RedisChannel.Sharded(_keys.JobsQueued(_keys.ShardOf(candidate))).ToString(),
            jobs.Count,
            write.EventId ?? string.Empty,
            KeepsFinished(session) ? (long)_options.FinishedRetention.TotalMilliseconds : 0,
            write.ExpectedStamp ?? string.Empty,
            stamp ?? string.Empty,
        };
        foreach (var job in jobs)
        {
            args.Add(job.SessionId);
            args.Add(job.TurnNumber);
        }

        RedisKey[] keys =
        [
            _keys.Session(candidate), _keys.Events(candidate), _keys.Seen(candidate), _keys.History(candidate),
            _keys.Deliveries(candidate), _keys.Jobs(_keys.ShardOf(candidate)), _keys.Finished(candidate),
        ];
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.Write, keys, [.. args]))!;
        var version = (long)result[1];
        var outcome = (int)result[0];
        if (outcome == 1 && stamp is not null && KeepsDecodedSessions)
        {
            Remember(candidate, session, stored, version, stamp);
        }
        else if (outcome == 0)
        {
            // What is kept is not what Redis holds; the next read keeps what it finds, with no stamp to insist on.
            _recent.Forget(candidate);
        }

        if (outcome == 1 && jobs.Count > 0 && _redisOptions.ReplicasToAcknowledge > 0)
        {
            await WaitForReplicasAsync(keys[0], _keys.ShardOf(candidate));
        }

        return outcome switch
        {
            1 => new WriteResult(WriteOutcome.Saved, version),
            -1 => new WriteResult(WriteOutcome.Duplicate, write.ExpectedVersion),
            _ => new WriteResult(WriteOutcome.Conflict, version),
        };
    }

    /// <summary>Unique to one write, so that two writes at the same version (one lost in a failover) are told apart.</summary>
    private static string NewStamp() => Random.Shared.NextInt64().ToString("x", CultureInfo.InvariantCulture);

    private bool KeepsFinished(InterviewSession session) => session.Phase == SessionPhase.Completed && _options.FinishedRetention > TimeSpan.Zero;

    /// <summary>
    /// A completed session is not kept as a live one: what is sent is what the finished key keeps, if anything;
    /// <c>null</c> when nothing is.
    /// </summary>
    private byte[]? StoredValue(SessionWrite write, InterviewSession session) =>
        write.MarkOnly || (session.Phase == SessionPhase.Completed && !KeepsFinished(session)) ? null
        : StoredSessionCodec.Encode(session.Phase == SessionPhase.Completed ? session.AsFinished() : session, _rubric);

    /// <summary>A session saved as live is what its next read will find; a finished one is read from elsewhere, if at all.</summary>
    private void Remember(string candidateId, InterviewSession session, byte[]? stored, long version, string stamp)
    {
        if (session.Phase == SessionPhase.Completed || stored is null)
        {
            _recent.Forget(candidateId);
        }
        else
        {
            _recent.Keep(candidateId, stored, session, version, stamp);
        }
    }

    /// <summary>
    /// An accepted answer is kept through the loss of its primary only once a replica has it. WAIT runs outside the
    /// script (Redis refuses it inside one) on the node that holds the key: it covers every write sent before it on
    /// that node's connection, the answer's among them. A replica that does not confirm in time leaves the answer on
    /// the primary only; it is still acknowledged, since refusing it would not undo the write.
    /// </summary>
    private async Task WaitForReplicasAsync(RedisKey sessionKey, int shard)
    {
        var wanted = _redisOptions.ReplicasToAcknowledge;
        var timeout = (long)Math.Ceiling(_redisOptions.ReplicaTimeout.TotalMilliseconds);
        var acknowledged = (long)await _redis.GetServer(sessionKey).ExecuteAsync("WAIT", wanted, timeout);
        if (acknowledged < wanted)
        {
            Log.AnswerNotReplicated(_logger, shard, acknowledged, wanted, timeout);
        }
    }

    public async Task<bool> DiscardActiveAsync(string candidateId, CancellationToken cancellationToken) =>
        (int)await Db.ScriptEvaluateAsync(
            RedisScripts.Discard,
            [_keys.Session(candidateId), _keys.Deliveries(candidateId)],
            [(long)_options.HistoryRetention.TotalMilliseconds]) == 1;

    public async Task<IReadOnlySet<string>> SeenQuestionsAsync(string candidateId, CancellationToken cancellationToken)
    {
        var ids = await Db.SortedSetRangeByScoreAsync(_keys.Seen(candidateId), start: NowMs, stop: double.PositiveInfinity);
        return ids.Select(id => (string)id!).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string candidateId, CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - _options.HistoryRetention;
        var values = await Db.SortedSetRangeByScoreAsync(_keys.History(candidateId), start: cutoff.ToUnixTimeMilliseconds(), stop: double.PositiveInfinity, order: Order.Descending);
        var entries = new List<HistoryEntry>(values.Length);
        foreach (var value in values)
        {
            try
            {
                if (Unversioned((string)value!) is { } json
                    && JsonSerializer.Deserialize(json, RedisJson.Default.HistoryEntry) is { } entry
                    && entry.CompletedAt > cutoff)
                {
                    entries.Add(entry);
                    continue;
                }
            }
            catch (JsonException)
            {
                // Reported below with the other unreadable entries.
            }

            Log.SkippedUnreadableHistory(_logger);
        }

        return entries;
    }

    public async Task<InterviewSession?> FindFinishedAsync(string candidateId, CancellationToken cancellationToken)
    {
        var stored = (byte[]?)await Db.StringGetAsync(_keys.Finished(candidateId));
        var bar = stored?.AsSpan().IndexOf((byte)'|') ?? -1;
        if (stored is null || bar <= 0
            || !long.TryParse(stored.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var keptUntil) || keptUntil <= NowMs)
        {
            return null;
        }

        try
        {
            return StoredSessionCodec.Decode(stored.AsSpan(bar + 1), _rubric);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NotSupportedException or UnreadableSessionException)
        {
            // Kept only so its feedback can be disputed: unreadable (an older version's), it is as if none were kept.
            Log.UnreadableFinishedSession(_logger, ex.GetType().Name);
            return null;
        }
    }

    public async Task<DeliveryClaim> ClaimDeliveryAsync(string candidateId, string deliveryKey, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(
            RedisScripts.ClaimDelivery,
            [_keys.Session(candidateId), _keys.Deliveries(candidateId)],
            [deliveryKey, (long)_options.DeliveryLease.TotalMilliseconds, NowMs]);
        var reply = (RedisResult[])result!;
        switch ((int)reply[0])
        {
            case 0:
                return DeliveryClaim.Nothing;
            case 1:
                return DeliveryClaim.Held;
        }

        IReadOnlyList<InterviewAction>? actions;
        try
        {
            actions = _deliveries.Decode((byte[])reply[1]!);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not valid, or an action of no known type: posting it could never succeed, so it must not fail its job again and again.
            actions = null;
        }

        if (actions is null)
        {
            Log.DroppedUnreadableDelivery(_logger, deliveryKey);
            return DeliveryClaim.Nothing;
        }

        return new DeliveryClaim(new PendingDelivery(deliveryKey, actions), HeldElsewhere: false);
    }

    public async Task<ForgetReport> ForgetAsync(string candidateId, CancellationToken cancellationToken)
    {
        var shard = _keys.ShardOf(candidateId);
        RedisKey[] keys =
        [
            _keys.Session(candidateId), _keys.Events(candidateId), _keys.Seen(candidateId), _keys.History(candidateId),
            _keys.Deliveries(candidateId), _keys.Jobs(shard), _keys.DeadLetters(shard), _keys.Queued(shard), _keys.Leases(shard),
            _keys.Finished(candidateId),
        ];
        var counts = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.Forget, keys, [_redisOptions.ConsumerGroup, candidateId]))!;

        // Again: a read that reached Redis before the deletion may have kept the session since.
        _recent.Forget(candidateId);
        return new ForgetReport((int)counts[0], (int)counts[1], (int)counts[2], (int)counts[3], (int)counts[4], (int)counts[5], (int)counts[6]);
    }

    /// <summary>
    /// Creates the consumer group on every shard's stream (idempotent), after checking that the server's data was
    /// written with the same shard count: with another count every candidate's keys would be looked for elsewhere.
    /// </summary>
    public async Task EnsureConsumerGroupsAsync(CancellationToken cancellationToken)
    {
        var shardsKey = $"{_redisOptions.KeyPrefix}:shards";
        await Db.StringSetAsync(shardsKey, _keys.Shards, when: When.NotExists);
        var stored = (int)await Db.StringGetAsync(shardsKey);
        if (stored != _keys.Shards)
        {
            throw new InvalidOperationException(
                $"Redis:Shards is {_keys.Shards} but the data under prefix '{_redisOptions.KeyPrefix}' was written with {stored} shards; changing it strands every session and job. Set it back to {stored}.");
        }

        for (var shard = 0; shard < _keys.Shards; shard++)
        {
            await EnsureGroupAsync(shard);
        }
    }

    /// <summary>A shard that had more jobs than were wanted counts as announced, so the next wait does not block on them.</summary>
    public Task<IReadOnlyList<QueuedJudgement>> TakeAsync(string worker, int max, CancellationToken cancellationToken)
    {
        // A sweep starts from a shard that turns, so a busy shard cannot keep the others' dead workers' jobs waiting.
        var start = Interlocked.Increment(ref _nextShard);
        return TakeInTurnAsync([.. Enumerable.Range(0, _keys.Shards).Select(i => (int)((uint)(start + i) % (uint)_keys.Shards))], worker, max, reclaim: true);
    }

    /// <summary>
    /// Listens for the announcement each write that queues a job makes on its shard's channel. As each shard's
    /// subscription is made the shard counts as announced, so jobs queued before it are not left waiting.
    /// </summary>
    public Task JobsQueuedAsync(CancellationToken cancellationToken)
    {
        // Once subscribed, the wait is the announcements' own task. A worker cancels it at every idle sweep, and a
        // task cancelled that way ends cancelled without an exception thrown and caught in between.
        var subscribed = SubscribeOnceAsync();
        return subscribed.IsCompletedSuccessfully ? _announced.WaitAsync(cancellationToken) : SubscribedThenAnnouncedAsync(subscribed, cancellationToken);
    }

    private async Task SubscribedThenAnnouncedAsync(Task subscribed, CancellationToken cancellationToken)
    {
        await subscribed.WaitAsync(cancellationToken);
        await _announced.WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<QueuedJudgement>> TakeQueuedAsync(string worker, int max, CancellationToken cancellationToken)
    {
        var shards = _announced.Take();
        try
        {
            return await TakeInTurnAsync(shards, worker, max, reclaim: false);
        }
        catch
        {
            // The jobs are still there: the next wait must not block on them.
            foreach (var shard in shards)
            {
                _announced.StillWaiting(shard);
            }

            throw;
        }
    }

    private Task SubscribeOnceAsync()
    {
        var current = Volatile.Read(ref _subscription);
        if (current is { IsFaulted: false, IsCanceled: false })
        {
            return current;
        }

        // A subscription that failed (Redis down) is tried again by the next wait; the sweep covers the gap.
        Interlocked.CompareExchange(ref _subscription, SubscribeAsync(), current);
        return Volatile.Read(ref _subscription)!;
    }

    private async Task SubscribeAsync()
    {
        var subscriber = _redis.GetSubscriber();
        for (var shard = 0; shard < _keys.Shards; shard++)
        {
            var announced = shard;
            await subscriber.SubscribeAsync(RedisChannel.Sharded(_keys.JobsQueued(shard)), (_, entryId) => _announced.Announce(announced, entryId));
            _announced.StillWaiting(shard, beforeAny: true);
        }
    }

    /// <summary>
    /// Visits the shards in the order given (oldest waiting job first, for a take on announcements), each asked for
    /// all the places still free: under load the first shard visited usually fills them, so a take costs one script.
    /// A shard left unvisited, or that had as many jobs as were asked of it, counts as announced.
    /// </summary>
    private async Task<IReadOnlyList<QueuedJudgement>> TakeInTurnAsync(IReadOnlyList<int> shards, string worker, int max, bool reclaim)
    {
        var taken = new List<QueuedJudgement>();
        List<(int Shard, Exception Failure)>? failed = null;
        foreach (var shard in shards)
        {
            if (taken.Count >= max)
            {
                _announced.StillWaiting(shard);
                continue;
            }

            var wanted = max - taken.Count;
            try
            {
                var jobs = await TakeFromShardAsync(shard, worker, wanted, reclaim);
                taken.AddRange(jobs);
                _announced.Taken(shard, jobs.Count > 0 ? jobs[^1].Id : null, drained: jobs.Count < wanted);
                if (jobs.Count == wanted)
                {
                    _announced.StillWaiting(shard);
                }
            }
            catch (Exception ex)
            {
                (failed ??= []).Add((shard, ex));
            }
        }

        if (failed is not null)
        {
            if (taken.Count == 0)
            {
                ExceptionDispatchInfo.Throw(failed[0].Failure);
            }

            // One primary failing over must not hold up the jobs the others gave: those are judged, and the failed
            // shards are left to the next sweep rather than asked again at once, in a loop, while they are away.
            foreach (var (shard, failure) in failed)
            {
                Log.ShardNotTaken(_logger, shard, failure.GetType().Name);
            }
        }

        return taken;
    }

    private async Task<IReadOnlyList<QueuedJudgement>> TakeFromShardAsync(int shard, string worker, int max, bool reclaim)
    {
        RedisResult result;
        // A sweep carries more: completions kept while Redis was away are sent before it reclaims any of their jobs.
        var completing = _completions.Take(shard, reclaim ? CompletionsPerScript : CompletionsPerTake);
        var keys = new List<RedisKey>(2 + (completing.Count * 2)) { _keys.Jobs(shard), _keys.Leases(shard) };
        var args = new List<RedisValue>(9 + (completing.Count * 2))
        {
            _redisOptions.ConsumerGroup, worker, (long)_options.ReclaimAfter.TotalMilliseconds, max, NowMs,
            reclaim ? "1" : "0", "1", _keys.SessionPrefix(shard),
        };
        AddCompletions(completing, keys, args);
        try
        {
            result = await Db.ScriptEvaluateAsync(RedisScripts.Take, [.. keys], [.. args]);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            // A new server, or one restarted without its data: the group comes back and the next take reads.
            _completions.PutBack(shard, completing, CompletionsWaitAtMost);
            await EnsureGroupAsync(shard);
            return [];
        }
        catch
        {
            _completions.PutBack(shard, completing, CompletionsRetryAfter);
            throw;
        }

        var jobs = new List<QueuedJudgement>();
        foreach (var entry in (RedisResult[])result!)
        {
            var fields = (RedisResult[])entry!;
            var kind = KindOf((string?)fields[5]);
            jobs.Add(new QueuedJudgement(
                (string)fields[0]!,
                new JudgeJob((string)fields[1]!, (string)fields[2]!, (int)fields[3], kind),
                (int)fields[4],
                worker)
            {
                Session = fields.Length >= 10 ? SessionTakenWith((string)fields[1]!, fields) : null,
            });
        }

        if (reclaim && ConsumersTidyDue(shard))
        {
            // Not awaited: the jobs just taken are not held up by housekeeping.
            _consumersTidying[shard] = ForgetIdleConsumersAsync(shard, worker);
        }

        return jobs;
    }

    /// <summary>
    /// Every <see cref="ConsumersTidiedEvery"/>, a sweep deletes the shard's consumers that hold no job and have been
    /// idle for <see cref="RedisOptions.ForgetConsumersIdleFor"/>: each process start adds one per shard (its name is
    /// its own), and nothing else would ever remove those of stopped or killed processes. A live worker's consumer
    /// deleted this way loses nothing, as it holds no job, and the next read creates it again.
    /// </summary>
    private async Task ForgetIdleConsumersAsync(int shard, string worker)
    {
        try
        {
            var forgotten = (int)await Db.ScriptEvaluateAsync(
                RedisScripts.ForgetIdleConsumers,
                [_keys.Jobs(shard)],
                [_redisOptions.ConsumerGroup, (long)_redisOptions.ForgetConsumersIdleFor.TotalMilliseconds, worker]);
            if (forgotten > 0)
            {
                Log.ConsumersForgotten(_logger, forgotten, shard);
            }
        }
#pragma warning disable CA1031 // Housekeeping nobody waits for: whatever stops it (a store disposed at shutdown, say) is only logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ConsumersNotForgotten(_logger, shard, ex.GetType().Name);
        }
    }

    /// <summary>True for the one caller that finds the shard's consumers due to be looked at, which marks them looked at.</summary>
    private bool ConsumersTidyDue(int shard)
    {
        var now = _time.GetTimestamp();
        var last = Volatile.Read(ref _consumersTidiedAt[shard]);
        return (last == 0 || _time.GetElapsedTime(last, now) >= ConsumersTidiedEvery)
            && Interlocked.CompareExchange(ref _consumersTidiedAt[shard], now, last) == last;
    }

    /// <summary>The session read with its job; one that cannot be read is left for the worker to read and report.</summary>
    private VersionedSession? SessionTakenWith(string candidateId, RedisResult[] fields)
    {
        try
        {
            return ReadSession(candidateId, (RedisValue)fields[6], (RedisValue)fields[7], (RedisValue)fields[8], (RedisValue)fields[9]);
        }
        catch (UnreadableSessionException)
        {
            return null;
        }
    }

    public async Task<int> ReleaseAsync(IReadOnlyList<QueuedJudgement> judgements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judgements);
        var released = 0;
        Exception? failed = null;
        foreach (var held in judgements.GroupBy(judgement => (Shard: _keys.ShardOf(judgement.Job.CandidateId), judgement.Worker)))
        {
            try
            {
                released += (int)await Db.ScriptEvaluateAsync(
                    RedisScripts.Release,
                    [_keys.Jobs(held.Key.Shard), _keys.Leases(held.Key.Shard)],
                    [_redisOptions.ConsumerGroup, held.Key.Worker, .. held.Select(judgement => (RedisValue)judgement.Id)]);
            }
            catch (Exception ex)
            {
                // One shard's primary away must not keep the others' jobs waiting out the reclaim timeout.
                failed ??= ex;
            }
        }

        if (failed is not null)
        {
            ExceptionDispatchInfo.Throw(failed);
        }

        return released;
    }

    public async Task CompleteAsync(QueuedJudgement judgement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        var job = judgement.Job;
        var shard = _keys.ShardOf(job.CandidateId);
        await Db.ScriptEvaluateAsync(
            RedisScripts.Complete,
            [_keys.Jobs(shard), _keys.Session(job.CandidateId), _keys.Deliveries(job.CandidateId), _keys.Queued(shard)],
            [_redisOptions.ConsumerGroup, judgement.Id, job.DeliveryKey, KindField(job.Kind)]);
    }

    /// <summary>
    /// Keeps the completion for its shard's next take (or sweep) to carry, or for a timer to send with the shard's
    /// others within <see cref="CompletionsWaitAtMost"/>: a turn then costs the worker a take and a save, and under
    /// load many completions share one <c>XACK</c> and one <c>XDEL</c>. Only an interview turn's completion is kept; other
    /// kinds also clear their queued marker, which <see cref="CompleteAsync"/> does at once.
    /// </summary>
    public Task CompleteLaterAsync(QueuedJudgement judgement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        var job = judgement.Job;
        if (job.Kind != JudgeJobKind.InterviewTurn)
        {
            return CompleteAsync(judgement, cancellationToken);
        }

        _completions.Add(_keys.ShardOf(job.CandidateId), new PendingCompletion(judgement.Id, job.CandidateId, job.DeliveryKey), CompletionsWaitAtMost);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sends every completion kept, shard by shard. Those that cannot be sent are kept and tried again later, and the
    /// first failure is thrown.
    /// </summary>
    public async Task FlushCompletionsAsync(CancellationToken cancellationToken)
    {
        var failures = await SendAllAsync(_completions.Waiting());
        if (failures.Count > 0)
        {
            throw new AggregateException("Some completions could not be sent; they are kept and tried again.", failures);
        }
    }

    private async Task SendWaitingAsync(PendingCompletions pending)
    {
        var failures = await SendAllAsync(pending.Waiting());
        if (failures.Count > 0)
        {
            Log.CompletionsKept(_logger, _completions.Count, failures[0].GetType().Name);
        }
    }

    private async Task<List<Exception>> SendAllAsync(List<int> shards)
    {
        var failures = new List<Exception>();
        foreach (var shard in shards)
        {
            while (_completions.Take(shard, CompletionsPerScript) is { Count: > 0 } completing)
            {
                var keys = new List<RedisKey>(1 + (completing.Count * 2)) { _keys.Jobs(shard) };
                var args = new List<RedisValue>(1 + (completing.Count * 2)) { _redisOptions.ConsumerGroup };
                AddCompletions(completing, keys, args);
                try
                {
                    await Db.ScriptEvaluateAsync(RedisScripts.CompleteMany, [.. keys], [.. args]);
                }
                catch (Exception ex)
                {
                    _completions.PutBack(shard, completing, CompletionsRetryAfter);
                    failures.Add(ex);
                    break;
                }
            }
        }

        return failures;
    }

    /// <summary>Adds completions as <see cref="RedisScripts.CompleteMany"/> and <see cref="RedisScripts.Take"/> take them.</summary>
    private void AddCompletions(List<PendingCompletion> completing, List<RedisKey> keys, List<RedisValue> args)
    {
        args.Add(completing.Count);
        foreach (var completion in completing)
        {
            keys.Add(_keys.Session(completion.CandidateId));
            keys.Add(_keys.Deliveries(completion.CandidateId));
            args.Add(completion.JobId);
            args.Add(completion.DeliveryKey);
        }
    }

    public Task<bool> FailAsync(QueuedJudgement judgement, string reason, CancellationToken cancellationToken) =>
        FailOrHoldAsync(judgement, string.Empty, reason);

    public Task<bool> HeldAsync(QueuedJudgement judgement, string heldPart, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(heldPart);
        return FailOrHoldAsync(judgement, RedisKeys.Digest(heldPart), reason);
    }

    /// <param name="heldPart">Empty for a failure; else the digest of the part found held.</param>
    private async Task<bool> FailOrHoldAsync(QueuedJudgement judgement, string heldPart, string reason)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        var job = judgement.Job;
        var shard = _keys.ShardOf(job.CandidateId);
        var result = await Db.ScriptEvaluateAsync(
            RedisScripts.Fail,
            [_keys.Jobs(shard), _keys.DeadLetters(shard), _keys.Queued(shard), _keys.Leases(shard)],
            [_redisOptions.ConsumerGroup, judgement.Id, _options.MaxAttempts, reason, job.CandidateId, job.SessionId, job.TurnNumber, judgement.Worker, heldPart, KindField(job.Kind)]);
        var deadLettered = (int)result == 1;
        if (deadLettered)
        {
            Log.DeadLettered(_logger, judgement.Id, judgement.Attempt);
        }

        return deadLettered;
    }

    /// <summary>Jobs that failed too often, with their last error, across every shard.</summary>
    public async Task<IReadOnlyList<(JudgeJob Job, string Reason)>> DeadLettersAsync()
    {
        var dead = new List<(JudgeJob, string)>();
        for (var shard = 0; shard < _keys.Shards; shard++)
        {
            foreach (var entry in await Db.StreamRangeAsync(_keys.DeadLetters(shard)))
            {
                var fields = entry.Values.ToDictionary(v => (string)v.Name!, v => (string)v.Value!, StringComparer.Ordinal);
                dead.Add((new JudgeJob(fields["c"], fields["s"], int.Parse(fields["t"], CultureInfo.InvariantCulture), KindOf(fields.GetValueOrDefault("k"))), fields["error"]));
            }
        }

        return dead;
    }

    /// <summary>A job entry's 'k': written only for kinds other than an interview turn, so older entries read as turns.</summary>
    internal static string KindField(JudgeJobKind kind) => kind == JudgeJobKind.InterviewTurn ? string.Empty : kind.ToString();

    /// <summary>
    /// A kind this version does not know (written by a newer one) reads as a value no handler takes, so the job is
    /// failed and dead-lettered rather than judged as something it is not.
    /// </summary>
    private static JudgeJobKind KindOf(string? field) =>
        string.IsNullOrEmpty(field) ? JudgeJobKind.InterviewTurn
        : Enum.TryParse<JudgeJobKind>(field, out var kind) && Enum.IsDefined(kind) ? kind
        : (JudgeJobKind)(-1);

    /// <summary>
    /// What the session keeps of an inbound event's id: a short digest, enough to tell its last events apart (a false
    /// match needs two of one candidate's recent events to share 48 bits).
    /// </summary>
    private static string EventMark(string eventId) => RedisKeys.Digest(eventId)[..12];

    /// <summary>Prefixes a stored JSON value with the schema version, so a later version can recognise it.</summary>
    private static string Versioned(string json) => $"{InterviewSession.SchemaVersion}|{json}";

    private static string? Unversioned(string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && value.AsSpan(0, bar).SequenceEqual(InterviewSession.SchemaVersion.ToString(CultureInfo.InvariantCulture)) ? value[(bar + 1)..] : null;
    }

    private async Task EnsureGroupAsync(int shard)
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(_keys.Jobs(shard), _redisOptions.ConsumerGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // Already there.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Judging job {JobId} moved to the dead-letter stream after {Attempts} attempts")]
        public static partial void DeadLettered(ILogger logger, string jobId, int attempts);

        [LoggerMessage(2, LogLevel.Warning, "Skipped a history entry that could not be read")]
        public static partial void SkippedUnreadableHistory(ILogger logger);

        [LoggerMessage(6, LogLevel.Information, "The candidate's last finished interview could not be read ({ErrorType}); its feedback can no longer be disputed")]
        public static partial void UnreadableFinishedSession(ILogger logger, string errorType);

        [LoggerMessage(3, LogLevel.Warning, "Dropped pending delivery {DeliveryKey}: stored by an incompatible version, or corrupt")]
        public static partial void DroppedUnreadableDelivery(ILogger logger, string deliveryKey);

        [LoggerMessage(5, LogLevel.Warning, "{Count} completions of posted judging jobs could not be sent ({ErrorType}); they are kept and tried again")]
        public static partial void CompletionsKept(ILogger logger, int count, string errorType);

        [LoggerMessage(4, LogLevel.Warning, "An accepted answer on shard {Shard} was confirmed by {Acknowledged} of {Wanted} replicas within {TimeoutMs} ms: it is acknowledged, but only its primary holds it until the replicas catch up")]
        public static partial void AnswerNotReplicated(ILogger logger, int shard, long acknowledged, int wanted, long timeoutMs);

        [LoggerMessage(7, LogLevel.Warning, "Jobs could not be taken from shard {Shard} ({ErrorType}); the next sweep tries it again")]
        public static partial void ShardNotTaken(ILogger logger, int shard, string errorType);

        [LoggerMessage(8, LogLevel.Information, "Forgot {Count} judging consumers of shard {Shard} that held no job and had been idle (stopped processes)")]
        public static partial void ConsumersForgotten(ILogger logger, int count, int shard);

        [LoggerMessage(9, LogLevel.Warning, "Idle judging consumers of shard {Shard} could not be looked at ({ErrorType}); a later sweep tries again")]
        public static partial void ConsumersNotForgotten(ILogger logger, int shard, string errorType);
    }
}
