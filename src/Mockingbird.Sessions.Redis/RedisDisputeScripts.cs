namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The Lua behind the dispute store. Every dispute key carries the one disputes tag, so each script is on one slot;
/// every key a script touches is declared in KEYS, and those that depend on stored data (the disputes in a person's
/// indexes) are read first and checked again inside the script. People appear only by digest; times are the
/// caller's, in ms, except the indexes' time to live, which Redis keeps. Besides the one open set, each place (server
/// or workspace) keeps an index of the disputes filed there, which ballots walk; the one open set stays the truth of
/// what is open, and an id the place index still holds after its dispute closed is dropped when a ballot meets it.
/// </summary>
internal static class RedisDisputeScripts
{
    /// <summary>
    /// KEYS: dispute, open, candidate's raised index, its place's open index. ARGV: id, dispute JSON, candidate digest,
    /// opened ms, index time to live ms, place. Returns 1 when opened, 0 when a dispute with that id is kept already.
    /// The place's index lives as long as a person's: every id in it is older than the last dispute filed there, so
    /// once it lapses none of them can still be open.
    /// </summary>
    public const string Open = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'json', ARGV[2], 'cand', ARGV[3], 'opened', ARGV[4], 'place', ARGV[6])
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
        redis.call('SADD', KEYS[3], ARGV[1])
        redis.call('PEXPIRE', KEYS[3], ARGV[5])
        redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
        redis.call('PEXPIRE', KEYS[4], ARGV[5])
        return 1
        """;

    /// <summary>
    /// Moves the disputes that expired unsettled (KEYS[1] open, scored by opened ms, at or before ARGV[1]) into the
    /// untold set (KEYS[2]), claimable at once (from when they opened): their candidates are still to hear how they ended.
    /// </summary>
    private const string CloseExpired = """
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES')
        for i = 1, #expired, 2 do
          redis.call('ZADD', KEYS[2], expired[i + 1], expired[i])
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        """;

    /// <summary>
    /// KEYS: open, untold, voter's raised index, voter's voted index, the voter's place's open index. ARGV:
    /// opened-after ms. Closes the expired disputes, then returns the id of the oldest open dispute filed in that place
    /// that the voter neither raised nor voted on, or false. Ids of disputes no longer open (settled, expired,
    /// forgotten) leave the place's index on the way.
    /// </summary>
    public const string Next = CloseExpired + """

        redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', ARGV[1])
        for _, id in ipairs(redis.call('ZRANGE', KEYS[5], 0, -1)) do
          if not redis.call('ZSCORE', KEYS[1], id) then
            redis.call('ZREM', KEYS[5], id)
          elseif redis.call('SISMEMBER', KEYS[3], id) == 0 and redis.call('SISMEMBER', KEYS[4], id) == 0 then
            return id
          end
        end
        return false
        """;

    /// <summary>
    /// KEYS: dispute, its votes, open, settled, voter's voted index, untold, the voter's place's open index. ARGV: voter
    /// digest, score, votes to settle, opened-after ms, now ms, id, index time to live ms, the voter's place. A dispute
    /// filed in another place (or before places were kept, with none) takes no vote. The vote that makes the count
    /// reach the votes to settle freezes the scores into the dispute (<c>final</c>, without voters) in the same step,
    /// so it settles exactly once with exactly that many, and its outcome is to be told from now. Returns {outcome}
    /// or {'Settled', final scores, dispute JSON}: the JSON comes from the same step, as a forget right after it
    /// deletes the dispute.
    /// </summary>
    public const string Vote = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'Unknown'} end
        local d = redis.call('HMGET', KEYS[1], 'cand', 'opened', 'final', 'json', 'place')
        if d[5] ~= ARGV[8] then return {'Elsewhere'} end
        if d[1] == ARGV[1] then return {'OwnDispute'} end
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return {'AlreadyVoted'} end
        if d[3] then return {'AlreadySettled'} end
        if tonumber(d[2]) <= tonumber(ARGV[4]) then return {'Expired'} end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('SADD', KEYS[5], ARGV[6])
        redis.call('PEXPIRE', KEYS[5], ARGV[7])
        if redis.call('HLEN', KEYS[2]) < tonumber(ARGV[3]) then return {'Counted'} end
        local final = table.concat(redis.call('HVALS', KEYS[2]), ',')
        redis.call('HSET', KEYS[1], 'final', final, 'settled_at', ARGV[5])
        redis.call('ZREM', KEYS[3], ARGV[6])
        redis.call('ZREM', KEYS[7], ARGV[6])
        redis.call('ZADD', KEYS[4], ARGV[5], ARGV[6])
        redis.call('ZADD', KEYS[6], ARGV[5], ARGV[6])
        return {'Settled', final, d[4]}
        """;

    /// <summary>
    /// KEYS: open, untold. ARGV: opened-after ms, now ms, claimed-until ms, most to claim, and optionally the one id
    /// to claim. Closes the expired disputes, then claims the untold ones claimable now (that one, or the longest
    /// waiting) by moving them to claimed-until. Returns the ids claimed.
    /// </summary>
    public const string Claim = CloseExpired + """

        if ARGV[5] then
          local at = redis.call('ZSCORE', KEYS[2], ARGV[5])
          if not at or tonumber(at) > tonumber(ARGV[2]) then return {} end
          redis.call('ZADD', KEYS[2], ARGV[3], ARGV[5])
          return {ARGV[5]}
        end
        local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[4]))
        for _, id in ipairs(ids) do redis.call('ZADD', KEYS[2], ARGV[3], id) end
        return ids
        """;

    /// <summary>
    /// KEYS: untold. ARGV: id, claimed-until ms, now ms. Makes the dispute claimable from now only while it is still
    /// claimed until that time, so a claim that lapsed and was taken by another stays theirs. Returns 1 when given back.
    /// </summary>
    public const string Release = """
        local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not at or tonumber(at) ~= tonumber(ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS: dispute, its votes, untold, its candidate's raised index. ARGV: id, the dispute's anonymous JSON. Only
    /// an untold dispute is told, once: a settled one keeps its case, judge and frozen scores under the anonymous
    /// JSON and loses its candidate and voters; an expired one goes. Returns 1 when told now, else 0.
    /// </summary>
    public const string Told = """
        if not redis.call('ZSCORE', KEYS[3], ARGV[1]) then return 0 end
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('SREM', KEYS[4], ARGV[1])
        redis.call('DEL', KEYS[2])
        if redis.call('HEXISTS', KEYS[1], 'final') == 1 then
          redis.call('HSET', KEYS[1], 'json', ARGV[2])
          redis.call('HDEL', KEYS[1], 'cand')
        else
          redis.call('DEL', KEYS[1])
        end
        return 1
        """;

    /// <summary>
    /// KEYS: person's raised index, person's voted index, open, settled, untold, then dispute and votes of each
    /// raised dispute, then dispute and votes of each voted one, then the place's open index of each raised dispute.
    /// ARGV: person digest, raised count, voted count, the raised ids, the voted ids, the place of each raised dispute
    /// (empty for one kept from before places were recorded, whose index key is then the open set again). Returns -1
    /// when the indexes or a raised dispute's place changed since they were read (the caller reads them again), else
    /// how many disputes and votes went. A settled case keeps its frozen scores: only the voter's entry goes.
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
        local places = 5 + 2 * (raised + voted)
        for i = 1, raised do
          if (redis.call('HGET', KEYS[4 + 2 * i], 'place') or '') ~= ARGV[3 + raised + voted + i] then return -1 end
        end
        local gone = 0
        for i = 1, raised do
          local id = ARGV[3 + i]
          gone = gone + redis.call('DEL', KEYS[4 + 2 * i])
          redis.call('DEL', KEYS[5 + 2 * i])
          redis.call('ZREM', KEYS[3], id)
          redis.call('ZREM', KEYS[4], id)
          redis.call('ZREM', KEYS[5], id)
          redis.call('ZREM', KEYS[places + i], id)
        end
        for i = 1, voted do
          gone = gone + redis.call('HDEL', KEYS[5 + 2 * raised + 2 * i], ARGV[1])
        end
        redis.call('DEL', KEYS[1], KEYS[2])
        return gone
        """;
}
