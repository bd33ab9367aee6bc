namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The Lua scripts behind study groups' once-only steps. Every key a script touches belongs to one round's channel
/// and carries that channel's shard tag, the same tag as the shard's judging stream, so each script stays in one
/// hash slot on Redis Cluster. Round state is kept by name ('Posting', 'Open', ...) so that reordering the enum
/// cannot misread stored rounds. Time is the caller's, passed in as ms: never the server's TIME.
/// An answer is stored as <c>ordinal|first ms|last ms|revisions|text</c>, so a revision is made here without JSON.
/// </summary>
internal static class RedisStudyGroupScripts
{
    /// <summary>
    /// KEYS: round, recent questions, shard's unfinished rounds. ARGV: round id, round json, schema, question id,
    /// recent kept, deadline ms. Returns {1} when created; else {0, fields of the stored round}.
    /// </summary>
    public const string Claim = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('HGETALL', KEYS[1])} end
        redis.call('HSET', KEYS[1], 'data', ARGV[2], 'schema', ARGV[3], 'state', 'Posting', 'deadline', ARGV[6], 'n', 0)
        redis.call('LPUSH', KEYS[2], ARGV[4])
        redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
        redis.call('SADD', KEYS[3], ARGV[1])
        return {1}
        """;

    /// <summary>
    /// KEYS: round. ARGV: owner, until ms, now ms, the state the step is for. Returns 1 when the caller holds the
    /// round's step; 0 when another holds it or the round has moved past that state.
    /// </summary>
    public const string Lease = """
        if redis.call('HGET', KEYS[1], 'state') ~= ARGV[4] then return 0 end
        local lease = redis.call('HMGET', KEYS[1], 'lo', 'lu')
        if lease[1] and lease[1] ~= ARGV[1] and tonumber(lease[2]) > tonumber(ARGV[3]) then return 0 end
        redis.call('HSET', KEYS[1], 'lo', ARGV[1], 'lu', ARGV[2])
        return 1
        """;

    /// <summary>KEYS: round. ARGV: post id, thread. Posting to Open; the lease is let go.</summary>
    public const string MarkPosted = """
        if redis.call('HGET', KEYS[1], 'state') ~= 'Posting' then return 0 end
        redis.call('HSET', KEYS[1], 'state', 'Open', 'post', ARGV[1], 'thread', ARGV[2])
        redis.call('HDEL', KEYS[1], 'lo', 'lu')
        return 1
        """;

    /// <summary>
    /// KEYS: round, answers, answerers, results, shard's unfinished rounds. ARGV: state, round id, retention ms after Done.
    /// A round done is dropped from the unfinished index and expires with its answers and results after the retention.
    /// </summary>
    public const string SetState = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'state', ARGV[1])
        redis.call('HDEL', KEYS[1], 'lo', 'lu')
        if ARGV[1] == 'Done' then
          redis.call('SREM', KEYS[5], ARGV[2])
          for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
        else
          redis.call('SADD', KEYS[5], ARGV[2])
          for i = 1, 4 do redis.call('PERSIST', KEYS[i]) end
        end
        return 1
        """;

    /// <summary>
    /// KEYS: round, answers, answerers (member to ordinal), the member's rounds in this shard.
    /// ARGV: member, text, now ms, round id, member index ttl ms.
    /// Returns {outcome, answerers in order}: outcome 'Taken', 'Revised', 'Closed' or 'Unknown'.
    /// </summary>
    public const string Answer = """
        local state = redis.call('HMGET', KEYS[1], 'state', 'deadline')
        if not state[1] then return {'Unknown', {}} end
        local now = tonumber(ARGV[3])
        if state[1] ~= 'Open' or now >= tonumber(state[2]) then return {'Closed', redis.call('ZRANGE', KEYS[3], 0, -1)} end
        local earlier = redis.call('HGET', KEYS[2], ARGV[1])
        local outcome = 'Taken'
        if earlier then
          local ordinal, first, revisions = string.match(earlier, '^(%d+)|(%-?%d+)|%-?%d+|(%d+)|')
          redis.call('HSET', KEYS[2], ARGV[1], ordinal .. '|' .. first .. '|' .. ARGV[3] .. '|' .. (tonumber(revisions) + 1) .. '|' .. ARGV[2])
          outcome = 'Revised'
        else
          local ordinal = redis.call('HINCRBY', KEYS[1], 'n', 1)
          redis.call('HSET', KEYS[2], ARGV[1], ordinal .. '|' .. ARGV[3] .. '|' .. ARGV[3] .. '|0|' .. ARGV[2])
          redis.call('ZADD', KEYS[3], ordinal, ARGV[1])
          redis.call('SADD', KEYS[4], ARGV[4])
          redis.call('PEXPIRE', KEYS[4], ARGV[5])
        end
        return {outcome, redis.call('ZRANGE', KEYS[3], 0, -1)}
        """;

    /// <summary>
    /// KEYS: round, answerers, shard's judging stream, shard's queued turns. ARGV: round id, channel key, kind, the
    /// shard's job channel (announced on, so waiting workers take the jobs at once).
    /// Open to Judging with one job per answer, or to Revealing when nobody answered. Returns 1 when this call closed
    /// the round.
    /// </summary>
    public const string Close = RedisJobScripts.QueueJudgingJob + """
        if redis.call('HGET', KEYS[1], 'state') ~= 'Open' then return 0 end
        local answerers = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
        if #answerers == 0 then
          redis.call('HSET', KEYS[1], 'state', 'Revealing')
          return 1
        end
        redis.call('HSET', KEYS[1], 'state', 'Judging')
        local first = false
        for i = 2, #answerers, 2 do
          local id = queue_judging_job(KEYS[3], KEYS[4], ARGV[2], ARGV[1], answerers[i], ARGV[3])
          first = first or id
        end
        redis.pcall('SPUBLISH', ARGV[4], first or '1')
        return 1
        """;

    /// <summary>
    /// KEYS: round, answerers, results, channel's records, channel's record days, the member's rounds in this shard.
    /// ARGV: member, result json, record field ('' for no record), record json, record day, cutoff day, records ttl ms,
    /// member index ttl ms, round id, the judged answer's ordinal.
    /// Returns 1 only to the call that recorded the round's last missing result and moved it from Judging to Revealing.
    /// Nothing is recorded for an answer no longer in the round: its member asked to be forgotten while it was judged.
    /// </summary>
    public const string Result = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]) or -1) ~= tonumber(ARGV[10]) then return 0 end
        if redis.call('HSETNX', KEYS[3], ARGV[1], ARGV[2]) == 0 then return 0 end
        if ARGV[3] ~= '' then
          redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
          redis.call('ZADD', KEYS[5], ARGV[5], ARGV[3])
          local old = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', '(' .. ARGV[6])
          if #old > 0 then
            redis.call('HDEL', KEYS[4], unpack(old))
            redis.call('ZREM', KEYS[5], unpack(old))
          end
          redis.call('PEXPIRE', KEYS[4], ARGV[7])
          redis.call('PEXPIRE', KEYS[5], ARGV[7])
          redis.call('SADD', KEYS[6], ARGV[9])
          redis.call('PEXPIRE', KEYS[6], ARGV[8])
        end
        if redis.call('HGET', KEYS[1], 'state') ~= 'Judging' then return 0 end
        for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
          if redis.call('HEXISTS', KEYS[3], member) == 0 then return 0 end
        end
        redis.call('HSET', KEYS[1], 'state', 'Revealing')
        return 1
        """;

    /// <summary>KEYS: channel's records, channel's record days. ARGV: cutoff day. Drops records before it; returns the rest.</summary>
    public const string Records = """
        local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
        if #old > 0 then
          redis.call('HDEL', KEYS[1], unpack(old))
          redis.call('ZREM', KEYS[2], unpack(old))
        end
        return redis.call('HVALS', KEYS[1])
        """;

    /// <summary>
    /// KEYS: the member's rounds in this shard, then per round (answers, answerers, results, channel's records,
    /// channel's record days, round). ARGV: member, then the round ids in KEYS' order. Returns how many items went.
    /// Rounds added to the index since it was read stay in it, for the next forget. A round being judged whose
    /// remaining answers all have results moves on to its reveal here: no result is left to come and move it.
    /// </summary>
    public const string Forget = """
        local removed = 0
        for i = 2, #ARGV do
          local k = 2 + (i - 2) * 6
          local field = ARGV[i] .. '\n' .. ARGV[1]
          removed = removed + redis.call('HDEL', KEYS[k], ARGV[1]) + redis.call('HDEL', KEYS[k + 2], ARGV[1]) + redis.call('HDEL', KEYS[k + 3], field)
          redis.call('ZREM', KEYS[k + 1], ARGV[1])
          redis.call('ZREM', KEYS[k + 4], field)
          redis.call('SREM', KEYS[1], ARGV[i])
          if redis.call('HGET', KEYS[k + 5], 'state') == 'Judging' then
            local judged = true
            for _, member in ipairs(redis.call('ZRANGE', KEYS[k + 1], 0, -1)) do
              if redis.call('HEXISTS', KEYS[k + 2], member) == 0 then judged = false break end
            end
            if judged then redis.call('HSET', KEYS[k + 5], 'state', 'Revealing') end
          end
        end
        return removed
        """;

    /// <summary>
    /// KEYS: channel's waiting suggestions, channel's last suggestion id, the member's suggestion channels in this
    /// shard. ARGV: suggestion json, most waiting, channel key. Returns the new short id, or nil when the channel has
    /// the most waiting already.
    /// </summary>
    public const string Suggest = """
        if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[2]) then return false end
        local id = 's' .. redis.call('INCR', KEYS[2])
        redis.call('HSET', KEYS[1], id, ARGV[1])
        redis.call('SADD', KEYS[3], ARGV[3])
        return id
        """;

    /// <summary>
    /// KEYS: channel's waiting suggestions, channel's pool. ARGV: id, the waiting json as read, the approved json.
    /// Moves the suggestion only if it still waits as read (waiting entries never change), so one approval wins.
    /// </summary>
    public const string Approve = """
        if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        return 1
        """;

    /// <summary>KEYS: channel's waiting suggestions. ARGV: id. Returns the json of the suggestion dropped, or nil.</summary>
    public const string Reject = """
        local json = redis.call('HGET', KEYS[1], ARGV[1])
        if json then redis.call('HDEL', KEYS[1], ARGV[1]) end
        return json
        """;

    /// <summary>
    /// KEYS: the member's suggestion channels in this shard, then each channel's waiting suggestions. ARGV: member,
    /// then the channel keys in KEYS' order. Drops the member's waiting suggestions; returns how many went. Channels
    /// added to the index since it was read stay in it, for the next forget.
    /// </summary>
    public const string ForgetSuggestions = """
        local removed = 0
        for i = 2, #KEYS do
          local entries = redis.call('HGETALL', KEYS[i])
          for j = 1, #entries, 2 do
            local ok, suggestion = pcall(cjson.decode, entries[j + 1])
            if ok and suggestion.memberId == ARGV[1] then
              removed = removed + redis.call('HDEL', KEYS[i], entries[j])
            end
          end
          redis.call('SREM', KEYS[1], ARGV[i])
        end
        return removed
        """;
}
