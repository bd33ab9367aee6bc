namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The Lua scripts behind every multi-key operation. Each touches the keys of one hash tag only, runs atomically on
/// the server and costs one round trip. StackExchange.Redis sends a script once and then calls it by hash,
/// re-sending it when a restarted server has forgotten it. Leases are decided by the caller's clock, passed in as
/// "now" (ms), so that the in-memory and Redis stores obey the same <see cref="TimeProvider"/>; key expiries
/// (<c>PEXPIRE</c>) stay on the server's clock and only ever bound how long data is kept.
/// </summary>
internal static class RedisScripts
{
    /// <summary>KEYS: session. ARGV: idle ms. Returns the session hash's fields and refreshes its idle expiry.</summary>
    public const string Read = """
        local fields = redis.call('HGETALL', KEYS[1])
        if #fields > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return fields
        """;

    /// <summary>
    /// KEYS: session, events, seen, history, deliveries, jobs, queued (delivery key to job id, so a turn is queued once).
    /// ARGV: 1 expected version, 2 session id, 3 session json, 4 schema, 5 idle ms, 6 completed (0/1), 7 now ms,
    /// 8 event id, 9 event ttl ms, 10 question now on screen, 11 history retention ms, 12 history json,
    /// 13 history max, 14 delivery key, 15 delivery lease ms, 16 delivery json, 17 candidate id, 18 mark only (0/1),
    /// 19 history completed-at ms, 20 job count, then (session id, turn) per job.
    /// Returns {1, version} saved, {0, stored version} conflict, {-1, 0} duplicate event.
    /// </summary>
    public const string Write = """
        local now = tonumber(ARGV[7])
        if ARGV[8] ~= '' then
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
          if redis.call('ZSCORE', KEYS[2], ARGV[8]) then return {-1, 0} end
        end
        local stored = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
        if ARGV[18] == '1' then
          redis.call('ZADD', KEYS[2], now + tonumber(ARGV[9]), ARGV[8])
          redis.call('PEXPIRE', KEYS[2], ARGV[9])
          return {1, stored}
        end
        if stored ~= tonumber(ARGV[1]) then return {0, stored} end
        if stored ~= 0 and redis.call('HGET', KEYS[1], 'id') ~= ARGV[2] then return {0, stored} end
        local version = stored + 1
        if ARGV[6] == '1' then
          redis.call('DEL', KEYS[1])
        else
          redis.call('HSET', KEYS[1], 'v', version, 'id', ARGV[2], 'schema', ARGV[4], 'data', ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[5])
        end
        if ARGV[8] ~= '' then
          redis.call('ZADD', KEYS[2], now + tonumber(ARGV[9]), ARGV[8])
          redis.call('PEXPIRE', KEYS[2], ARGV[9])
        end
        local retention = tonumber(ARGV[11])
        redis.call('ZADD', KEYS[3], now + retention, ARGV[10])
        redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
        redis.call('PEXPIRE', KEYS[3], retention)
        if ARGV[12] ~= '' then
          redis.call('ZADD', KEYS[4], tonumber(ARGV[19]), ARGV[12])
          redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - retention)
          redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -(tonumber(ARGV[13]) + 1))
          redis.call('PEXPIRE', KEYS[4], retention)
        end
        if ARGV[14] ~= '' then
          redis.call('HSET', KEYS[5], ARGV[14], (now + tonumber(ARGV[15])) .. '|' .. ARGV[16])
          redis.call('PEXPIRE', KEYS[5], retention)
        end
        local jobs = tonumber(ARGV[20])
        for i = 0, jobs - 1 do
          local key = ARGV[21 + i * 2] .. ':' .. ARGV[22 + i * 2]
          if redis.call('HEXISTS', KEYS[7], key) == 0 then
            local id = redis.call('XADD', KEYS[6], '*', 'c', ARGV[17], 's', ARGV[21 + i * 2], 't', ARGV[22 + i * 2], 'schema', ARGV[4])
            redis.call('HSET', KEYS[7], key, id)
          end
        end
        return {1, version}
        """;

    /// <summary>
    /// KEYS: deliveries. ARGV: key, lease ms, now ms.
    /// Returns {0} when there is no such delivery, {1} while another lease runs, {2, value} when claimed.
    /// The lease end was written by the writer's clock and is compared with the caller's: a replica whose clock is d
    /// ahead of the writer's sees the lease end d early (at worst the feedback is posted twice under one delivery
    /// key, which the platform drops), one d behind sees it d late (the job waits that much longer).
    /// </summary>
    public const string ClaimDelivery = """
        local value = redis.call('HGET', KEYS[1], ARGV[1])
        if not value then return {0} end
        local now = tonumber(ARGV[3])
        local bar = string.find(value, '|', 1, true)
        if tonumber(string.sub(value, 1, bar - 1)) > now then return {1} end
        local rest = string.sub(value, bar + 1)
        redis.call('HSET', KEYS[1], ARGV[1], (now + tonumber(ARGV[2])) .. '|' .. rest)
        return {2, rest}
        """;

    /// <summary>
    /// KEYS: jobs, leases (job id to the ms its taker's lease ends). ARGV: group, consumer, reclaim after ms, count, now ms.
    /// Reclaims jobs whose lease has ended, then reads new ones, leasing each to the consumer until now plus the reclaim
    /// timeout; returns {id, candidate, session, turn, deliveries, kind} per job, kind '' for an interview turn (whose
    /// entries, old and new, carry no 'k'). Like XAUTOCLAIM, it looks at no more than
    /// ten pending jobs per job wanted. A pending job with no lease (taken by a version that timed jobs on the
    /// server's clock) is leased from now: it comes back one reclaim timeout later than it would have.
    /// A lease end written by a replica whose clock is d ahead of this one's lasts d longer here, and one written by a
    /// replica d behind, d shorter: a job taken back early is judged once all the same (the session's version decides)
    /// and posted once (the delivery's lease decides).
    /// </summary>
    public const string Take = """
        local entries = {}
        local count = tonumber(ARGV[4])
        local now = tonumber(ARGV[5])
        local due = now + tonumber(ARGV[3])
        for _, p in ipairs(redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', count * 10)) do
          if #entries >= count then break end
          local lease = redis.call('HGET', KEYS[2], p[1])
          if not lease then
            redis.call('HSET', KEYS[2], p[1], due)
          elseif tonumber(lease) <= now then
            local entry = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, p[1])[1]
            if entry and entry[2] then table.insert(entries, entry) else redis.call('HDEL', KEYS[2], p[1]) end
          end
        end
        if #entries < count then
          local fresh = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', count - #entries, 'STREAMS', KEYS[1], '>')
          if fresh then for _, entry in ipairs(fresh[1][2]) do table.insert(entries, entry) end end
        end
        local out = {}
        for _, entry in ipairs(entries) do
          redis.call('HSET', KEYS[2], entry[1], due)
          local f = {}
          for i = 1, #entry[2], 2 do f[entry[2][i]] = entry[2][i + 1] end
          local pending = redis.call('XPENDING', KEYS[1], ARGV[1], entry[1], entry[1], 1)
          local deliveries = 1
          if pending[1] then deliveries = pending[1][4] end
          table.insert(out, {entry[1], f['c'], f['s'], f['t'], deliveries, f['k'] or ''})
        end
        return out
        """;

    /// <summary>KEYS: jobs, deliveries, queued, held, leases. ARGV: group, job id, delivery key. Acknowledges and forgets the job and its delivery.</summary>
    public const string Complete = """
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        redis.call('XDEL', KEYS[1], ARGV[2])
        redis.call('HDEL', KEYS[2], ARGV[3])
        if redis.call('HGET', KEYS[3], ARGV[3]) == ARGV[2] then redis.call('HDEL', KEYS[3], ARGV[3]) end
        redis.call('HDEL', KEYS[4], ARGV[2])
        redis.call('HDEL', KEYS[5], ARGV[2])
        return 1
        """;

    /// <summary>
    /// KEYS: jobs, dead letters, queued, held, leases. ARGV: group, job id, max attempts, reason, candidate, session, turn,
    /// consumer, held part ('' for a failure), kind ('' for an interview turn, which is written without one). A failure dead-letters the job once its deliveries, less those that
    /// found their delivery held elsewhere, reach the max; a hold, once the same part was found held on max
    /// deliveries in a row. Returns 1 when the job went to the dead-letter stream; 0 when it stays pending for a
    /// retry after the reclaim timeout, or when another worker has reclaimed it meanwhile (a stale worker cannot fail
    /// a live job).
    /// </summary>
    public const string Fail = """
        local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
        if not pending[1] or pending[1][2] ~= ARGV[8] then return 0 end
        local total, streak, part = 0, 0, ''
        local held = redis.call('HGET', KEYS[4], ARGV[2])
        if held then
          local t, s, p = string.match(held, '^(%d+)|(%d+)|(.*)$')
          if t then total, streak, part = tonumber(t), tonumber(s), p end
        end
        if ARGV[9] == '' then
          if tonumber(pending[1][4]) - total < tonumber(ARGV[3]) then return 0 end
        else
          total = total + 1
          if part == ARGV[9] then streak = streak + 1 else streak = 1 end
          if streak < tonumber(ARGV[3]) then
            redis.call('HSET', KEYS[4], ARGV[2], total .. '|' .. streak .. '|' .. ARGV[9])
            return 0
          end
        end
        local dead = {'c', ARGV[5], 's', ARGV[6], 't', ARGV[7], 'attempts', pending[1][4], 'error', ARGV[4]}
        if ARGV[10] ~= '' then
          table.insert(dead, 'k')
          table.insert(dead, ARGV[10])
        end
        redis.call('XADD', KEYS[2], '*', unpack(dead))
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        redis.call('XDEL', KEYS[1], ARGV[2])
        redis.call('HDEL', KEYS[3], ARGV[6] .. ':' .. ARGV[7])
        redis.call('HDEL', KEYS[4], ARGV[2])
        redis.call('HDEL', KEYS[5], ARGV[2])
        return 1
        """;

    /// <summary>
    /// KEYS: session, events, seen, history, deliveries, jobs, dead letters, queued, held, leases. ARGV: group, candidate.
    /// Deletes every trace of the candidate; returns the counts {sessions, history, seen, jobs, deliveries, events}.
    /// </summary>
    public const string Forget = """
        local sessions = redis.call('DEL', KEYS[1])
        local events = redis.call('ZCARD', KEYS[2])
        local seen = redis.call('ZCARD', KEYS[3])
        local history = redis.call('ZCARD', KEYS[4])
        local deliveries = redis.call('HLEN', KEYS[5])
        redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
        local jobs = 0
        for _, stream in ipairs({KEYS[6], KEYS[7]}) do
          for _, entry in ipairs(redis.call('XRANGE', stream, '-', '+')) do
            local f = entry[2]
            for i = 1, #f, 2 do
              if f[i] == 'c' and f[i + 1] == ARGV[2] then
                if stream == KEYS[6] then
                  redis.call('XACK', stream, ARGV[1], entry[1])
                  local s, t = nil, nil
                  for j = 1, #f, 2 do
                    if f[j] == 's' then s = f[j + 1] elseif f[j] == 't' then t = f[j + 1] end
                  end
                  if s and t then redis.call('HDEL', KEYS[8], s .. ':' .. t) end
                  redis.call('HDEL', KEYS[9], entry[1])
                  redis.call('HDEL', KEYS[10], entry[1])
                end
                redis.call('XDEL', stream, entry[1])
                jobs = jobs + 1
              end
            end
          end
        end
        return {sessions, history, seen, jobs, deliveries, events}
        """;
}
