namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The Lua behind the dispute store. Every dispute key carries the one disputes tag, so each script is on one slot;
/// every key a script touches is declared in KEYS, and those that depend on stored data (the disputes in a person's
/// indexes) are read first and checked again inside the script. People appear only by digest; times are the
/// caller's, in ms.
/// </summary>
internal static class RedisDisputeScripts
{
    /// <summary>
    /// KEYS: dispute, open, candidate's raised index. ARGV: id, dispute JSON, candidate digest, opened ms.
    /// Returns 1 when opened, 0 when a dispute with that id is kept already.
    /// </summary>
    public const string Open = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'json', ARGV[2], 'cand', ARGV[3], 'opened', ARGV[4])
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
        redis.call('SADD', KEYS[3], ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS: open, voter's raised index, voter's voted index. ARGV: opened-after ms. Drops the disputes that expired
    /// from the open set (their records stay, for their candidates' outcome), then returns the id of the oldest open
    /// dispute the voter neither raised nor voted on, or false.
    /// </summary>
    public const string Next = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          if redis.call('SISMEMBER', KEYS[2], id) == 0 and redis.call('SISMEMBER', KEYS[3], id) == 0 then return id end
        end
        return false
        """;

    /// <summary>
    /// KEYS: dispute, its votes, open, settled, voter's voted index. ARGV: voter digest, score, votes to settle,
    /// opened-after ms, now ms, id. The vote that makes the count reach the votes to settle freezes the scores into the
    /// dispute (<c>final</c>, without voters) in the same step, so it settles exactly once with exactly that many.
    /// Returns {outcome} or {'Settled', final scores}.
    /// </summary>
    public const string Vote = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'Unknown'} end
        local d = redis.call('HMGET', KEYS[1], 'cand', 'opened', 'final')
        if d[1] == ARGV[1] then return {'OwnDispute'} end
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return {'AlreadyVoted'} end
        if d[3] then return {'AlreadySettled'} end
        if tonumber(d[2]) <= tonumber(ARGV[4]) then return {'Expired'} end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('SADD', KEYS[5], ARGV[6])
        if redis.call('HLEN', KEYS[2]) < tonumber(ARGV[3]) then return {'Counted'} end
        local final = table.concat(redis.call('HVALS', KEYS[2]), ',')
        redis.call('HSET', KEYS[1], 'final', final, 'settled_at', ARGV[5])
        redis.call('ZREM', KEYS[3], ARGV[6])
        redis.call('ZADD', KEYS[4], ARGV[5], ARGV[6])
        return {'Settled', final}
        """;

    /// <summary>
    /// KEYS: person's raised index, person's voted index, open, settled, then dispute and votes of each raised
    /// dispute, then dispute and votes of each voted one. ARGV: person digest, raised count, voted count, the raised
    /// ids, the voted ids. Returns -1 when the indexes changed since they were read (the caller reads them again),
    /// else how many disputes and votes went. A settled case keeps its frozen scores: only the voter's entry goes.
    /// </summary>
    public const string Forget = """
        local raised, voted = tonumber(ARGV[2]), tonumber(ARGV[3])
        if redis.call('SCARD', KEYS[1]) ~= raised or redis.call('SCARD', KEYS[2]) ~= voted then return -1 end
        for i = 1, raised do
          if redis.call('SISMEMBER', KEYS[1], ARGV[3 + i]) == 0 then return -1 end
        end
        for i = 1, voted do
          if redis.call('SISMEMBER', KEYS[2], ARGV[3 + raised + i]) == 0 then return -1 end
        end
        local gone = 0
        for i = 1, raised do
          local id = ARGV[3 + i]
          gone = gone + redis.call('DEL', KEYS[3 + 2 * i])
          redis.call('DEL', KEYS[4 + 2 * i])
          redis.call('ZREM', KEYS[3], id)
          redis.call('ZREM', KEYS[4], id)
        end
        for i = 1, voted do
          gone = gone + redis.call('HDEL', KEYS[4 + 2 * raised + 2 * i], ARGV[1])
        end
        redis.call('DEL', KEYS[1], KEYS[2])
        return gone
        """;
}
