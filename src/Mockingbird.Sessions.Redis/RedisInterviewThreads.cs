using System.Globalization;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Interview threads in Redis, beside the candidate's other keys (same hash tag). How far each thread was read is a
/// field of its shard's marks hash, so a replica lists every mark without scanning the key space. A thread is stored as
/// <c>expires ms\nthread</c>: the injected clock decides when it has expired, as it does for the in-memory threads, and
/// the key's own expiry (the same retention, on the server's clock) only clears it away. Clocks that disagree by
/// seconds move a retention of days by as much.
/// </summary>
public sealed class RedisInterviewThreads(IConnectionMultiplexer redis, IOptions<SessionStoreOptions> options, IOptions<RedisOptions> redisOptions, TimeProvider time) : IInterviewThreads
{
    /// <summary>
    /// KEYS: thread. ARGV: now ms, retention ms, thread. Sets the thread unless a live one is stored (in either stored
    /// form); returns 1 when it was set.
    /// </summary>
    private const string SetIfAbsent = """
        local value = redis.call('GET', KEYS[1])
        if value then
          local expires = string.match(value, '^(%d+)\n')
          if not expires or tonumber(expires) > tonumber(ARGV[1]) then return 0 end
        end
        redis.call('SET', KEYS[1], (tonumber(ARGV[1]) + tonumber(ARGV[2])) .. '\n' .. ARGV[3], 'PX', ARGV[2])
        return 1
        """;

    /// <summary>
    /// KEYS: thread. ARGV: now ms, retention ms. Returns the thread and starts its retention again, or nothing once it
    /// has expired. A value without an expiry (stored by an earlier version) is a live thread.
    /// </summary>
    private const string Refresh = """
        local value = redis.call('GET', KEYS[1])
        if not value then return false end
        local expires, thread = string.match(value, '^(%d+)\n(.*)$')
        if not expires then
          thread = value
        elseif tonumber(expires) <= tonumber(ARGV[1]) then
          redis.call('DEL', KEYS[1])
          return false
        end
        redis.call('SET', KEYS[1], (tonumber(ARGV[1]) + tonumber(ARGV[2])) .. '\n' .. thread, 'PX', ARGV[2])
        return thread
        """;

    /// <summary>KEYS: thread, marks. ARGV: candidate. Deletes both; returns how many thread keys were deleted.</summary>
    private const string Remove = """
        local removed = redis.call('DEL', KEYS[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return removed
        """;

    /// <summary>
    /// KEYS: thread, marks. ARGV: candidate, thread. While the stored thread (in either stored form) is still the one
    /// named, deletes it and its read mark; returns 1 when it was. A mark of another thread stays: a new thread's mark
    /// is written as it opens, before the thread is stored.
    /// </summary>
    private const string RemoveIfCurrent = """
        local value = redis.call('GET', KEYS[1])
        if not value then return 0 end
        local thread = string.match(value, '^%d+\n(.*)$') or value
        if thread ~= ARGV[2] then return 0 end
        redis.call('DEL', KEYS[1])
        local mark = redis.call('HGET', KEYS[2], ARGV[1])
        if mark and string.match(mark, '^[^\n]*\n([^\n]*)\n') == ARGV[2] then redis.call('HDEL', KEYS[2], ARGV[1]) end
        return 1
        """;

    /// <summary>
    /// KEYS: marks. ARGV: candidate, thread, partition, last read. A mark of the same thread only moves forward
    /// (ids compare as whole numbers: a longer one is later).
    /// </summary>
    private const string Mark = """
        local old = redis.call('HGET', KEYS[1], ARGV[1])
        if old then
          local last, thread = string.match(old, '^([^\n]*)\n([^\n]*)\n')
          if thread == ARGV[2] and (#last > #ARGV[4] or (#last == #ARGV[4] and last >= ARGV[4])) then return 0 end
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[4] .. '\n' .. ARGV[2] .. '\n' .. ARGV[3])
        return 1
        """;

    /// <summary>
    /// KEYS: thread, marks. ARGV: candidate, mark as listed, now ms. Drops the mark if its thread is gone or expired and
    /// the mark is unchanged.
    /// </summary>
    private const string Prune = """
        local value = redis.call('GET', KEYS[1])
        local expires = value and string.match(value, '^(%d+)\n')
        if (not value or (expires and tonumber(expires) <= tonumber(ARGV[3]))) and redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
          redis.call('HDEL', KEYS[2], ARGV[1])
        end
        return 0
        """;

    private readonly TimeSpan _retention = options.Value.ThreadRetention;
    private readonly RedisKeys _keys = new(redisOptions.Value.KeyPrefix, redisOptions.Value.Shards);

    public async Task<bool> SetIfAbsentAsync(string candidateId, string thread, CancellationToken cancellationToken) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(SetIfAbsent, [_keys.Thread(candidateId)], [NowMs, RetentionMs, thread]) == 1;

    public Task SetAsync(string candidateId, string thread, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(_keys.Thread(candidateId), $"{NowMs + RetentionMs}\n{thread}", _retention);

    /// <summary>
    /// A plain read, most of the time: the thread's retention is started again only once a tenth of it has passed
    /// since it last was, so finding a thread during an interview writes nothing (and feeds no replica or AOF).
    /// </summary>
    public async Task<string?> FindAsync(string candidateId, CancellationToken cancellationToken)
    {
        var key = _keys.Thread(candidateId);
        var db = redis.GetDatabase();
        var stored = await db.StringGetAsync(key);
        if (stored.IsNull)
        {
            return null;
        }

        var now = NowMs;
        var value = stored.ToString();
        // The script reads the value again, so a thread set meanwhile is the one it finds (and refreshes).
        return ExpiryOf(value) is { } expires && expires - now > RetentionMs - (RetentionMs / 10)
            ? value[(value.IndexOf('\n', StringComparison.Ordinal) + 1)..]
            : (string?)await db.ScriptEvaluateAsync(Refresh, [key], [now, RetentionMs]);
    }

    public async Task<bool> RemoveAsync(string candidateId, CancellationToken cancellationToken) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(Remove, [_keys.Thread(candidateId), MarksOf(candidateId)], [candidateId]) > 0;

    public async Task<bool> RemoveIfCurrentAsync(string candidateId, string thread, CancellationToken cancellationToken) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(RemoveIfCurrent, [_keys.Thread(candidateId), MarksOf(candidateId)], [candidateId, thread]) > 0;

    public Task MarkReadAsync(InterviewThreadMark mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mark);
        return redis.GetDatabase().ScriptEvaluateAsync(Mark, [MarksOf(mark.CandidateId)], [mark.CandidateId, mark.Thread, mark.Partition, mark.LastRead]);
    }

    public async Task<IReadOnlyList<InterviewThreadMark>> ListMarksAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var marks = new List<InterviewThreadMark>();
        for (var shard = 0; shard < _keys.Shards; shard++)
        {
            var key = _keys.ThreadMarks(shard);
            var fields = new List<HashEntry>();
            await foreach (var field in db.HashScanAsync(key, pageSize: 500).WithCancellation(cancellationToken))
            {
                fields.Add(field);
            }

            // GET, not the find script: listing must not keep a thread that nobody uses.
            var current = await Task.WhenAll(fields.Select(f => db.StringGetAsync(_keys.Thread(f.Name.ToString()))));
            var now = NowMs;
            for (var i = 0; i < fields.Count; i++)
            {
                var candidate = fields[i].Name.ToString();
                var parts = fields[i].Value.ToString().Split('\n', 3);
                if (LiveThread(current[i], now) is not { } thread)
                {
                    await db.ScriptEvaluateAsync(Prune, [_keys.Thread(candidate), key], [candidate, fields[i].Value, now]);
                }
                else if (parts.Length == 3 && parts[1] == thread)
                {
                    marks.Add(new InterviewThreadMark(candidate, parts[1], parts[2], parts[0]));
                }
            }
        }

        return marks;
    }

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long RetentionMs => (long)_retention.TotalMilliseconds;

    /// <summary>The thread a stored value names, unless it has expired by <paramref name="nowMs"/>.</summary>
    private static string? LiveThread(RedisValue stored, long nowMs)
    {
        if (stored.IsNull)
        {
            return null;
        }

        var value = stored.ToString();
        return ExpiryOf(value) is not { } expires ? value
            : expires > nowMs ? value[(value.IndexOf('\n', StringComparison.Ordinal) + 1)..]
            : null;
    }

    /// <summary>When a stored value says its thread expires; none for a value stored by an earlier version, without one.</summary>
    private static long? ExpiryOf(string value)
    {
        var newline = value.IndexOf('\n', StringComparison.Ordinal);
        return newline >= 0 && long.TryParse(value.AsSpan(0, newline), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) ? expires : null;
    }

    private RedisKey MarksOf(string candidateId) => _keys.ThreadMarks(_keys.ShardOf(candidateId));
}
