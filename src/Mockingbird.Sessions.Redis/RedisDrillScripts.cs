namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The Lua behind the drill store. Every drill key carries the one drill tag and is declared in KEYS, as Redis Cluster
/// asks. The due index is a sorted set of candidates by the ms they may next be claimed at; beside it a hash keeps
/// the ms each was scheduled for, which names the drill however often a lapsed claim hands it on. Times are the
/// caller's, in ms: never the server's TIME, so replicas and tests agree on one clock.
/// </summary>
internal static class RedisDrillScripts
{
    /// <summary>
    /// KEYS: plan, due index, scheduled. ARGV: expected version, plan JSON, next due ms ('' for none), candidate id.
    /// Returns 1 when saved, 0 when the plan is at another version (nothing changes then).
    /// </summary>
    public const string Save = """
        local version = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
        if version ~= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'v', version + 1, 'json', ARGV[2])
        if ARGV[3] == '' then
          redis.call('ZREM', KEYS[2], ARGV[4])
          redis.call('HDEL', KEYS[3], ARGV[4])
        else
          redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
          redis.call('HSET', KEYS[3], ARGV[4], ARGV[3])
        end
        return 1
        """;

    /// <summary>
    /// KEYS: due index, scheduled. ARGV: now ms, lease ms, most to claim. Moves each candidate due by now to the end
    /// of its lease, so no other claim sees it until then. Returns candidate id and scheduled ms, in pairs.
    /// </summary>
    public const string Claim = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
        local leased_until = tonumber(ARGV[1]) + tonumber(ARGV[2])
        local claimed = {}
        for _, candidate in ipairs(due) do
          redis.call('ZADD', KEYS[1], leased_until, candidate)
          claimed[#claimed + 1] = candidate
          claimed[#claimed + 1] = redis.call('HGET', KEYS[2], candidate) or ARGV[1]
        end
        return claimed
        """;

    /// <summary>KEYS: plan, due index, scheduled. ARGV: candidate id. Returns how many of plan and index entry went.</summary>
    public const string Forget = """
        local gone = redis.call('DEL', KEYS[1]) + redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        return gone
        """;

    /// <summary>
    /// KEYS: the candidate's drill answers, the shard's judging stream, the shard's queued jobs (all on the candidate's
    /// shard). ARGV: drill id, answer, candidate, job session, job turn, kind, the shard's job channel, answers ttl ms.
    /// Keeps the answer unless one is kept already, and then queues its job, as a daily round's close does. Returns 1
    /// when kept and queued, 0 for an answer kept before.
    /// </summary>
    public const string SubmitAnswer = RedisJobScripts.QueueJudgingJob + """
        if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        redis.call('PEXPIRE', KEYS[1], ARGV[8])
        local id = queue_judging_job(KEYS[2], KEYS[3], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
        redis.pcall('SPUBLISH', ARGV[7], id or '1')
        return 1
        """;
}
