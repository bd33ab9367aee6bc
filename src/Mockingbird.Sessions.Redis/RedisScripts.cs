namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The Lua scripts behind every multi-key operation. Each touches the keys of one hash tag only, runs atomically on
/// the server and costs one round trip. StackExchange.Redis sends a script once and then calls it by hash,
/// re-sending it when a restarted server has forgotten it.
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
    /// KEYS: session, events, seen, history, deliveries, jobs.
    /// ARGV: 1 expected version, 2 session id, 3 session json, 4 schema, 5 idle ms, 6 completed (0/1), 7 now ms,
    /// 8 event id, 9 event ttl ms, 10 seen ids (newline separated), 11 history retention ms, 12 history json,
    /// 13 history max, 14 delivery key, 15 delivery lease-until ms, 16 delivery json, 17 candidate id,
    /// 18 job count, then (session id, turn) per job.
    /// Returns {1, version} saved, {0, stored version} conflict, {-1, 0} duplicate event.
    /// </summary>
    public const string Write = """
        local now = tonumber(ARGV[7])
        if ARGV[8] ~= '' then
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
          if redis.call('ZSCORE', KEYS[2], ARGV[8]) then return {-1, 0} end
        end
        local stored = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
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
        for id in string.gmatch(ARGV[10], '[^\n]+') do
          redis.call('ZADD', KEYS[3], now + retention, id)
        end
        if ARGV[10] ~= '' then
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
          redis.call('PEXPIRE', KEYS[3], retention)
        end
        if ARGV[12] ~= '' then
          redis.call('LPUSH', KEYS[4], ARGV[12])
          redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[13]) - 1)
          redis.call('PEXPIRE', KEYS[4], retention)
        end
        if ARGV[14] ~= '' then
          redis.call('HSET', KEYS[5], ARGV[14], ARGV[15] .. '|' .. ARGV[16])
          redis.call('PEXPIRE', KEYS[5], retention)
        end
        local jobs = tonumber(ARGV[18])
        for i = 0, jobs - 1 do
          redis.call('XADD', KEYS[6], '*', 'c', ARGV[17], 's', ARGV[19 + i * 2], 't', ARGV[20 + i * 2], 'schema', ARGV[4])
        end
        return {1, version}
        """;

    /// <summary>
    /// KEYS: deliveries. ARGV: key, now ms, new lease-until ms.
    /// Returns {0} when there is no such delivery, {1} while another lease runs, {2, json} when claimed.
    /// </summary>
    public const string ClaimDelivery = """
        local value = redis.call('HGET', KEYS[1], ARGV[1])
        if not value then return {0} end
        local bar = string.find(value, '|', 1, true)
        if tonumber(string.sub(value, 1, bar - 1)) > tonumber(ARGV[2]) then return {1} end
        local json = string.sub(value, bar + 1)
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. '|' .. json)
        return {2, json}
        """;

    /// <summary>
    /// KEYS: jobs, attempts. ARGV: group, consumer, min idle ms, count.
    /// Reclaims jobs idle past the timeout, then reads new ones; returns {id, candidate, session, turn, attempt} per job.
    /// </summary>
    public const string Take = """
        local out = {}
        local function add(entry)
          local f = {}
          for i = 1, #entry[2], 2 do f[entry[2][i]] = entry[2][i + 1] end
          local attempt = redis.call('HINCRBY', KEYS[2], entry[1], 1)
          table.insert(out, {entry[1], f['c'], f['s'], f['t'], attempt})
        end
        local count = tonumber(ARGV[4])
        local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', count)
        for _, entry in ipairs(claimed[2]) do add(entry) end
        if #out < count then
          local fresh = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', count - #out, 'STREAMS', KEYS[1], '>')
          if fresh then for _, entry in ipairs(fresh[1][2]) do add(entry) end end
        end
        return out
        """;

    /// <summary>KEYS: jobs, attempts, deliveries. ARGV: group, job id, delivery key. Acknowledges and forgets the job and its delivery.</summary>
    public const string Complete = """
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        redis.call('XDEL', KEYS[1], ARGV[2])
        redis.call('HDEL', KEYS[2], ARGV[2])
        redis.call('HDEL', KEYS[3], ARGV[3])
        return 1
        """;

    /// <summary>
    /// KEYS: jobs, attempts, dead letters. ARGV: group, job id, max attempts, reason, candidate, session, turn.
    /// Returns 1 when the job went to the dead-letter stream, 0 when it stays pending for a retry after the reclaim timeout.
    /// </summary>
    public const string Fail = """
        local attempts = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
        if attempts < tonumber(ARGV[3]) then return 0 end
        redis.call('XADD', KEYS[3], '*', 'c', ARGV[5], 's', ARGV[6], 't', ARGV[7], 'attempts', attempts, 'error', ARGV[4])
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        redis.call('XDEL', KEYS[1], ARGV[2])
        redis.call('HDEL', KEYS[2], ARGV[2])
        return 1
        """;

    /// <summary>
    /// KEYS: session, events, seen, history, deliveries, jobs, attempts, dead letters. ARGV: group, candidate.
    /// Deletes every trace of the candidate; returns the counts {sessions, history, seen, jobs, deliveries, events}.
    /// </summary>
    public const string Forget = """
        local sessions = redis.call('DEL', KEYS[1])
        local events = redis.call('ZCARD', KEYS[2])
        local seen = redis.call('ZCARD', KEYS[3])
        local history = redis.call('LLEN', KEYS[4])
        local deliveries = redis.call('HLEN', KEYS[5])
        redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
        local jobs = 0
        for _, stream in ipairs({KEYS[6], KEYS[8]}) do
          for _, entry in ipairs(redis.call('XRANGE', stream, '-', '+')) do
            local f = entry[2]
            for i = 1, #f, 2 do
              if f[i] == 'c' and f[i + 1] == ARGV[2] then
                if stream == KEYS[6] then
                  redis.call('XACK', stream, ARGV[1], entry[1])
                  redis.call('HDEL', KEYS[7], entry[1])
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
