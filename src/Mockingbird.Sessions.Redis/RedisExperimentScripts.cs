namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The Lua behind the experiment store: each observation is one script, so its once-only check and its sums move
/// together. Every key a script touches carries its experiment's tag and is declared in KEYS, as Redis Cluster asks:
/// the keys that depend on stored data (an earlier vote's arm, the entries of a person's index) are read first and
/// checked again inside the script. Times are the caller's, in ms: never the server's TIME.
/// A person appears only by digest here, apart from the opt-out set, which replicas must read back as ids.
/// </summary>
internal static class RedisExperimentScripts
{
    /// <summary>
    /// KEYS: turn, arm sums, arms. ARGV: retention ms, arm, fell back (1/0), schema failures, latency bucket, model
    /// ('' when no tokens count), prompt, cached, completion tokens. Returns 1 when counted, 0 when counted before.
    /// </summary>
    public const string RecordTurn = """
        if not redis.call('SET', KEYS[1], 1, 'NX', 'PX', ARGV[1]) then return 0 end
        redis.call('SADD', KEYS[3], ARGV[2])
        redis.call('HINCRBY', KEYS[2], 'f', 1)
        if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[2], 'fb', 1) end
        if tonumber(ARGV[4]) > 0 then redis.call('HINCRBY', KEYS[2], 'sf', ARGV[4]) end
        redis.call('HINCRBY', KEYS[2], 'l:' .. ARGV[5], 1)
        if ARGV[6] ~= '' then
          redis.call('HINCRBY', KEYS[2], 'tp:' .. ARGV[6], ARGV[7])
          redis.call('HINCRBY', KEYS[2], 'tc:' .. ARGV[6], ARGV[8])
          redis.call('HINCRBY', KEYS[2], 'to:' .. ARGV[6], ARGV[9])
        end
        return 1
        """;

    /// <summary>
    /// Moves a rater's count on an arm by one 👍 or 👎 and keeps the arm's votes, raters and mostly-👍 raters in step:
    /// a rater counts as helpful while their 👍 outnumber their 👎 (a tie does not).
    /// </summary>
    private const string Tally = """
        local function flag(b) if b then return 1 else return 0 end end
        local function tally(sums, votes, rater, helpful, by)
          local up = tonumber(redis.call('HGET', votes, 'u:' .. rater) or 0)
          local down = tonumber(redis.call('HGET', votes, 'd:' .. rater) or 0)
          local was_rater, was_helpful = flag(up + down > 0), flag(up > down)
          if helpful == '1' then up = up + by else down = down + by end
          if up > 0 then redis.call('HSET', votes, 'u:' .. rater, up) else redis.call('HDEL', votes, 'u:' .. rater) end
          if down > 0 then redis.call('HSET', votes, 'd:' .. rater, down) else redis.call('HDEL', votes, 'd:' .. rater) end
          redis.call('HINCRBY', sums, 'votes', by)
          redis.call('HINCRBY', sums, 'raters', flag(up + down > 0) - was_rater)
          redis.call('HINCRBY', sums, 'helpful', flag(up > down) - was_helpful)
        end
        """;

    /// <summary>
    /// KEYS: vote, arm sums, rater votes, arms, person index, then the sums and rater votes of the arm an earlier vote
    /// on this feedback is expected in. ARGV: arm, helpful (1/0), rater digest, retention ms, that expected arm. The
    /// vote is kept as <c>helpful|arm</c>; a later one on the same feedback takes the earlier one's count away first.
    /// Returns {1} when the vote changed anything, {0} when it did not, and {-1, arm} when the earlier vote is in
    /// another arm than expected: the caller sends it again with that arm's keys, since Cluster wants every key declared.
    /// </summary>
    public const string RecordVote = Tally + "\n" + """
        local vote = ARGV[2] .. '|' .. ARGV[1]
        local earlier = redis.call('GET', KEYS[1])
        if earlier == vote then return {0} end
        if earlier then
          local earlier_arm = string.sub(earlier, 3)
          if earlier_arm ~= ARGV[5] then return {-1, earlier_arm} end
          tally(KEYS[6], KEYS[7], ARGV[3], string.sub(earlier, 1, 1), -1)
        end
        tally(KEYS[2], KEYS[3], ARGV[3], ARGV[2], 1)
        redis.call('SET', KEYS[1], vote, 'PX', ARGV[4])
        redis.call('SADD', KEYS[4], ARGV[1])
        redis.call('SADD', KEYS[5], 'r|' .. ARGV[1], 'v|' .. KEYS[1])
        return {1}
        """;

    /// <summary>
    /// KEYS: candidate's steps, candidate's starts, arm sums, first starts, returned, arms, person index, finishers.
    /// ARGV: arm, milestone (s/a/f), step key, at ms, return window ms, candidate digest. A start re-reads the
    /// candidate's earliest start and whether another came within the window of it, so starts may arrive in any order.
    /// A finish puts the candidate in the arm's finishers, a set, so each counts once however many they finish.
    /// </summary>
    public const string RecordStep = """
        if redis.call('SADD', KEYS[1], ARGV[2] .. ':' .. ARGV[3]) == 0 then return 0 end
        if redis.call('SCARD', KEYS[1]) == 1 then
          redis.call('HINCRBY', KEYS[3], 'candidates', 1)
          redis.call('SADD', KEYS[6], ARGV[1])
          redis.call('SADD', KEYS[7], 'c|' .. ARGV[1])
        end
        if ARGV[2] == 'a' then redis.call('HINCRBY', KEYS[3], 'answers', 1) return 1 end
        if ARGV[2] == 'f' then
          redis.call('HINCRBY', KEYS[3], 'finished', 1)
          redis.call('SADD', KEYS[8], ARGV[6])
          return 1
        end
        redis.call('HINCRBY', KEYS[3], 'started', 1)
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
        local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2]
        redis.call('ZADD', KEYS[4], first, ARGV[6])
        if redis.call('ZCOUNT', KEYS[2], first, tonumber(first) + tonumber(ARGV[5])) >= 2 then
          redis.call('ZADD', KEYS[5], first, ARGV[6])
        else
          redis.call('ZREM', KEYS[5], ARGV[6])
        end
        return 1
        """;

    /// <summary>
    /// KEYS: person index, then each entry's keys as <see cref="RedisExperimentStore"/> lists them: a vote (<c>v|</c>)
    /// its vote key; a rating arm (<c>r|</c>) its rater votes and sums; an arm stepped in (<c>c|</c>) the steps,
    /// sums, first starts, returned, starts and finishers. ARGV: person digest, then the entries in KEYS' order. Takes the
    /// person's votes and steps out of the arms' sums and deletes them; entries added to the index since it was read
    /// stay in it, for the next forget. Returns how many votes and steps went.
    /// </summary>
    public const string Forget = """
        local person, forgotten, k = ARGV[1], 0, 2
        for i = 2, #ARGV do
          local kind = string.sub(ARGV[i], 1, 1)
          if kind == 'v' then
            redis.call('DEL', KEYS[k])
            k = k + 1
          elseif kind == 'r' then
            local votes, sums = KEYS[k], KEYS[k + 1]
            k = k + 2
            local up = tonumber(redis.call('HGET', votes, 'u:' .. person) or 0)
            local down = tonumber(redis.call('HGET', votes, 'd:' .. person) or 0)
            if up + down > 0 then
              redis.call('HDEL', votes, 'u:' .. person, 'd:' .. person)
              redis.call('HINCRBY', sums, 'votes', -(up + down))
              redis.call('HINCRBY', sums, 'raters', -1)
              if up > down then redis.call('HINCRBY', sums, 'helpful', -1) end
              forgotten = forgotten + up + down
            end
          elseif kind == 'c' then
            -- '0 - n', not '-n': Lua writes -0 as '-0', which HINCRBY refuses.
            local steps, sums, first_starts, returned, starts, finishers = KEYS[k], KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5]
            k = k + 6
            local counts = { s = 0, a = 0, f = 0 }
            for _, step in ipairs(redis.call('SMEMBERS', steps)) do
              local milestone = string.sub(step, 1, 1)
              counts[milestone] = counts[milestone] + 1
            end
            local total = counts.s + counts.a + counts.f
            if total > 0 then
              redis.call('HINCRBY', sums, 'candidates', -1)
              redis.call('HINCRBY', sums, 'started', 0 - counts.s)
              redis.call('HINCRBY', sums, 'answers', 0 - counts.a)
              redis.call('HINCRBY', sums, 'finished', 0 - counts.f)
              redis.call('ZREM', first_starts, person)
              redis.call('ZREM', returned, person)
              redis.call('SREM', finishers, person)
              redis.call('DEL', steps, starts)
              forgotten = forgotten + total
            end
          end
          redis.call('SREM', KEYS[1], ARGV[i])
        end
        return forgotten
        """;

    /// <summary>
    /// KEYS: stops. ARGV: field (experiment, newline, version), stop JSON, control channel. Returns {1} when this call
    /// stopped the arm (and announced it), else {0, the JSON of the stop that holds}.
    /// </summary>
    public const string Stop = """
        local earlier = redis.call('HGET', KEYS[1], ARGV[1])
        if earlier then return {0, earlier} end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('PUBLISH', ARGV[3], 'stop')
        return {1}
        """;

    /// <summary>
    /// KEYS: experiments index, last declared. ARGV: now ms, keep ms, then the experiments declared now. Marks those
    /// declared now (and indexes them, so one declared with nothing recorded is found too); an indexed experiment with no
    /// mark starts its count now. Returns the indexed experiments last declared more than keep ms ago.
    /// </summary>
    public const string Ended = """
        local now, keep = tonumber(ARGV[1]), tonumber(ARGV[2])
        for i = 3, #ARGV do
          redis.call('HSET', KEYS[2], ARGV[i], ARGV[1])
          redis.call('SADD', KEYS[1], ARGV[i])
        end
        local ended = {}
        for _, experiment in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local last = redis.call('HGET', KEYS[2], experiment)
          if not last then
            redis.call('HSET', KEYS[2], experiment, ARGV[1])
          elseif now - tonumber(last) > keep then
            table.insert(ended, experiment)
          end
        end
        return ended
        """;

    /// <summary>
    /// KEYS: experiments index, last declared. ARGV: experiment, now ms, keep ms. Takes an ended experiment out of the
    /// index and its mark together, unless a replica has declared it since it was found ended (or another delete took
    /// it out first). Returns 1 when this call took it out.
    /// </summary>
    public const string Unindex = """
        local last = redis.call('HGET', KEYS[2], ARGV[1])
        if not last or tonumber(ARGV[2]) - tonumber(last) <= tonumber(ARGV[3]) then return 0 end
        redis.call('HDEL', KEYS[2], ARGV[1])
        return redis.call('SREM', KEYS[1], ARGV[1])
        """;

    /// <summary>KEYS: opted-out set. ARGV: person id, opted out (1/0), control channel. Returns 1 when it changed the choice (and announced it).</summary>
    public const string SetOptedOut = """
        local changed
        if ARGV[2] == '1' then changed = redis.call('SADD', KEYS[1], ARGV[1]) else changed = redis.call('SREM', KEYS[1], ARGV[1]) end
        if changed == 1 then redis.call('PUBLISH', ARGV[3], 'opt-out') end
        return changed
        """;
}
