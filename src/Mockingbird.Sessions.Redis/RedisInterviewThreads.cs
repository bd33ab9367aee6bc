using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Interview threads in Redis, beside the candidate's other keys (same hash tag). How far each thread was read is a
/// field of its shard's marks hash, so a replica lists every mark without scanning the key space.
/// </summary>
public sealed class RedisInterviewThreads(IConnectionMultiplexer redis, IOptions<SessionStoreOptions> options, IOptions<RedisOptions> redisOptions) : IInterviewThreads
{
    /// <summary>KEYS: thread, marks. ARGV: candidate. Deletes both; returns how many thread keys were deleted.</summary>
    private const string Remove = """
        local removed = redis.call('DEL', KEYS[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return removed
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

    /// <summary>KEYS: thread, marks. ARGV: candidate, mark as listed. Drops the mark if its thread key is gone and it is unchanged.</summary>
    private const string Prune = """
        if redis.call('EXISTS', KEYS[1]) == 0 and redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
          redis.call('HDEL', KEYS[2], ARGV[1])
        end
        return 0
        """;

    private readonly TimeSpan _retention = options.Value.ThreadRetention;
    private readonly RedisKeys _keys = new(redisOptions.Value.KeyPrefix, redisOptions.Value.Shards);

    public Task SetAsync(string candidateId, string thread, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(_keys.Thread(candidateId), thread, _retention);

    public async Task<string?> FindAsync(string candidateId, CancellationToken cancellationToken) =>
        await redis.GetDatabase().StringGetSetExpiryAsync(_keys.Thread(candidateId), _retention);

    public async Task<bool> RemoveAsync(string candidateId, CancellationToken cancellationToken) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(Remove, [_keys.Thread(candidateId), MarksOf(candidateId)], [candidateId]) > 0;

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

            // GET, not GETEX: listing must not keep a thread that nobody uses.
            var current = await Task.WhenAll(fields.Select(f => db.StringGetAsync(_keys.Thread(f.Name.ToString()))));
            for (var i = 0; i < fields.Count; i++)
            {
                var candidate = fields[i].Name.ToString();
                var parts = fields[i].Value.ToString().Split('\n', 3);
                if (current[i].IsNull)
                {
                    await db.ScriptEvaluateAsync(Prune, [_keys.Thread(candidate), key], [candidate, fields[i].Value]);
                }
                else if (parts.Length == 3 && parts[1] == current[i].ToString())
                {
                    marks.Add(new InterviewThreadMark(candidate, parts[1], parts[2], parts[0]));
                }
            }
        }

        return marks;
    }

    private RedisKey MarksOf(string candidateId) => _keys.ThreadMarks(_keys.ShardOf(candidateId));
}
