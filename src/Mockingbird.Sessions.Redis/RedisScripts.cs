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
    /// <summary>
    /// Feedback saved and not yet posted outlives the session that held it (finished, or discarded), in the
    /// candidate's deliveries hash, for its job to post when it comes back.
    /// </summary>
    private const string KeepPendingDeliveries = """
        local function keep_pending_deliveries(session, deliveries, retention)
          local live = redis.call('HGETALL', session)
          local pending = {}
          for i = 1, #live, 2 do
            if string.sub(live[i], 1, 2) == 'd:' then
              table.insert(pending, string.sub(live[i], 3))
              table.insert(pending, live[i + 1])
            end
          end
          if #pending > 0 then
            redis.call('HSET', deliveries, unpack(pending))
            redis.call('PEXPIRE', deliveries, retention)
          end
        end

        """;

    /// <summary>KEYS: session, deliveries. ARGV: retention ms. Deletes the session, keeping its unposted feedback; returns 1 when there was one.</summary>
    public const string Discard = KeepPendingDeliveries + """
        keep_pending_deliveries(KEYS[1], KEYS[2], tonumber(ARGV[1]))
        return redis.call('DEL', KEYS[1])
        """;

    /// <summary>
    /// KEYS: session, events, seen, history, deliveries, jobs, finished.
    /// ARGV: 1 expected version, 2 session id, 3 session (as kept once finished, when it completes), 4 schema, 5 idle ms, 6 completed (0/1), 7 now ms,
    /// 8 event mark ('' for none), 9 event ttl ms, 10 question now on screen, 11 history retention ms, 12 history json,
    /// 13 history max, 14 delivery key, 15 delivery lease ms, 16 delivery json, 17 candidate id, 18 mark only (0/1),
    /// 19 history completed-at ms, 20 refresh the idle expiry after this many ms, 21 the shard's job channel,
    /// 22 job count, 23 the event's raw id (for sessions written before marks were kept in them), 24 how long a
    /// completed session is kept as the candidate's last finished one (ms, 0 for not at all), 25 the stamp the session
    /// must still have ('' to check the version alone), 26 this write's stamp, then (session id, turn) per job.
    /// Returns {1, version} saved, {0, stored version} conflict, {-1, 0} duplicate event.
    /// <para>
    /// A live session is one hash: its value, its version, and what used to cost a key and several commands a turn:
    /// the marks of its last events (<c>e</c>), when its idle expiry is next refreshed (<c>x</c>), the question last
    /// added to the seen set (<c>q</c>), the turn last queued for judging and its job (<c>j</c>, so asking again
    /// while the job lives queues nothing)
    /// and the delivery a worker left to post (<c>d:</c> and its key). The events set holds the marks of the
    /// candidate's finished sessions, so a late retry of their last events changes nothing either.
    /// </para>
    /// </summary>
    public const string Write = KeepPendingDeliveries + """
        local now = tonumber(ARGV[7])
        local state = redis.call('HMGET', KEYS[1], 'v', 'id', 'e', 'x', 'q', 'j', 'w')
        local stored = tonumber(state[1] or '0')
        local marks = state[3] or ''
        if stored == 0 then
          -- Marks are 12 characters. Raw event ids an older version kept in the events set never match one, and
          -- would crowd marks out of the 16 a session keeps.
          local kept = {}
          for _, mark in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], now, '+inf')) do
            if #mark == 12 then table.insert(kept, mark) end
          end
          marks = table.concat(kept, ' ')
        end
        local event = ARGV[8]
        -- Marks are found and kept without splitting the list into a table, which cost more than any command here.
        -- Only a whole mark counts.
        local function holds(list, mark)
          local from = 1
          while true do
            local at = string.find(list, mark, from, true)
            if not at then return false end
            local after = at + #mark
            if (at == 1 or string.byte(list, at - 1) == 32) and (after > #list or string.byte(list, after) == 32) then return true end
            from = at + 1
          end
        end
        if event ~= '' and holds(marks, event) then return {-1, 0} end
        -- A session written before marks were kept in it has its events' raw ids in the events set.
        if event ~= '' and stored ~= 0 and not state[3] and redis.call('ZSCORE', KEYS[2], ARGV[23]) then return {-1, 0} end
        local function remember(list, mark)
          if mark == '' then return list end
          if list == '' then return mark end
          list = list .. ' ' .. mark
          -- The last 16 marks of 12 characters and their spaces; the cut falls on a space, so no mark is kept in part.
          if #list <= 207 then return list end
          local cut = string.find(list, ' ', #list - 207, true)
          return cut and string.sub(list, cut + 1) or mark
        end
        local ttl = tonumber(ARGV[9])
        if ARGV[18] == '1' then
          if stored == 0 then
            redis.call('ZADD', KEYS[2], now + ttl, event)
            redis.call('PEXPIRE', KEYS[2], ttl)
          else
            redis.call('HSET', KEYS[1], 'e', remember(marks, event))
          end
          return {1, stored}
        end
        if stored ~= tonumber(ARGV[1]) then return {0, stored} end
        if stored ~= 0 and state[2] ~= ARGV[2] then return {0, stored} end
        -- A writer that did not read first names what it wrote last: the same version written by anyone else differs.
        if ARGV[25] ~= '' and state[7] ~= ARGV[25] then return {0, stored} end
        local version = stored + 1
        marks = remember(marks, event)
        local retention = tonumber(ARGV[11])
        if ARGV[6] == '1' then
          keep_pending_deliveries(KEYS[1], KEYS[5], retention)
          redis.call('DEL', KEYS[1])
          -- Read by the caller's clock, like the leases; the server's expiry only bounds how long it stays.
          if tonumber(ARGV[24]) > 0 then redis.call('SET', KEYS[7], (now + tonumber(ARGV[24])) .. '|' .. ARGV[3], 'PX', ARGV[24]) end
          local scored = {}
          for m in string.gmatch(marks, '%S+') do
            table.insert(scored, now + ttl)
            table.insert(scored, m)
          end
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
          if #scored > 0 then
            redis.call('ZADD', KEYS[2], unpack(scored))
            redis.call('PEXPIRE', KEYS[2], ttl)
          end
          -- The question on screen was marked seen when it was shown, unless this write is the session's first.
          if ARGV[10] ~= state[5] then redis.call('ZADD', KEYS[3], now + retention, ARGV[10]) end
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
          redis.call('PEXPIRE', KEYS[3], retention)
          if ARGV[14] ~= '' then
            redis.call('HSET', KEYS[5], ARGV[14], (now + tonumber(ARGV[15])) .. '|' .. ARGV[16])
            redis.call('PEXPIRE', KEYS[5], retention)
          end
        else
          local fields = {'v', version, 'id', ARGV[2], 'schema', ARGV[4], 'data', ARGV[3], 'e', marks, 'w', ARGV[26]}
          if ARGV[14] ~= '' then
            table.insert(fields, 'd:' .. ARGV[14])
            table.insert(fields, (now + tonumber(ARGV[15])) .. '|' .. ARGV[16])
          end
          if ARGV[10] ~= state[5] then
            table.insert(fields, 'q')
            table.insert(fields, ARGV[10])
            redis.call('ZADD', KEYS[3], now + retention, ARGV[10])
            if stored == 0 then redis.call('PEXPIRE', KEYS[3], retention) end
          end
          local refresh = stored == 0 or now >= tonumber(state[4] or '0')
          if refresh then
            table.insert(fields, 'x')
            table.insert(fields, now + tonumber(ARGV[20]))
          end
          local queued = nil
          for i = 0, tonumber(ARGV[22]) - 1 do
            local turn = ARGV[28 + i * 2]
            local live = false
            if state[6] then
              local marked, id = string.match(state[6], '^(%S+) (%S+)$')
              live = marked == turn and #redis.call('XRANGE', KEYS[6], id, id) > 0
            end
            if not live then
              local id = redis.call('XADD', KEYS[6], '*', 'c', ARGV[17], 's', ARGV[27 + i * 2], 't', turn, 'schema', ARGV[4])
              table.insert(fields, 'j')
              table.insert(fields, turn .. ' ' .. id)
              queued = queued or id
            end
          end
          redis.call('HSET', KEYS[1], unpack(fields))
          if refresh then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
          -- An announcement that cannot be made (no pub/sub permission, say) must not fail a write already applied:
          -- the workers' sweep finds the job. It names the job's entry, whose id says when it was queued.
          if queued then redis.pcall('SPUBLISH', ARGV[21], queued) end
        end
        if ARGV[12] ~= '' then
          redis.call('ZADD', KEYS[4], tonumber(ARGV[19]), ARGV[12])
          redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - retention)
          redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -(tonumber(ARGV[13]) + 1))
          redis.call('PEXPIRE', KEYS[4], retention)
        end
        return {1, version}
        """;

    /// <summary>
    /// KEYS: session, deliveries. ARGV: key, lease ms, now ms. A live session keeps its pending delivery in its own
    /// hash; a finished one, in the deliveries hash.
    /// Returns {0} when there is no such delivery, {1} while another lease runs, {2, value} when claimed.
    /// The lease end was written by the writer's clock and is compared with the caller's: a replica whose clock is d
    /// ahead of the writer's sees the lease end d early (at worst the feedback is posted twice under one delivery
    /// key, which the platform drops), one d behind sees it d late (the job waits that much longer).
    /// </summary>
    public const string ClaimDelivery = """
        local target, field = KEYS[1], 'd:' .. ARGV[1]
        local value = redis.call('HGET', target, field)
        if not value then
          target, field = KEYS[2], ARGV[1]
          value = redis.call('HGET', target, field)
        end
        if not value then return {0} end
        local now = tonumber(ARGV[3])
        local bar = string.find(value, '|', 1, true)
        if tonumber(string.sub(value, 1, bar - 1)) > now then return {1} end
        local rest = string.sub(value, bar + 1)
        redis.call('HSET', target, field, (now + tonumber(ARGV[2])) .. '|' .. rest)
        return {2, rest}
        """;

    /// <summary>
    /// Completes posted jobs of one shard together: one <c>XACK</c> and one <c>XDEL</c> for all of them, and one
    /// <c>HDEL</c> each of its delivery, from the session or, once the session has finished, from the deliveries hash.
    /// KEYS from <c>first</c>: session and deliveries per job. ARGV from <c>at</c>: the job count, then the job id and
    /// delivery key per job.
    /// </summary>
    private const string CompletePosted = """
        local function complete_posted(jobs, group, first, at)
          local n = tonumber(ARGV[at])
          if n == 0 then return end
          local ids = {}
          for i = 1, n do ids[i] = ARGV[at + i * 2 - 1] end
          redis.call('XACK', jobs, group, unpack(ids))
          redis.call('XDEL', jobs, unpack(ids))
          for i = 1, n do
            local key = ARGV[at + i * 2]
            if redis.call('HDEL', KEYS[first + i * 2 - 2], 'd:' .. key) == 0 then redis.call('HDEL', KEYS[first + i * 2 - 1], key) end
          end
        end

        """;

    /// <summary>KEYS: jobs, then session and deliveries per job. ARGV: group, job count, then job id and delivery key per job.</summary>
    public const string CompleteMany = CompletePosted + """
        complete_posted(KEYS[1], ARGV[1], 2, 2)
        return 1
        """;

    /// <summary>
    /// KEYS: jobs, leases (job id to the ms its taker's lease ends), then session and deliveries per job completed.
    /// ARGV: 1 group, 2 consumer, 3 reclaim after ms, 4 count, 5 now ms, 6 reclaim (0/1), 7 read new jobs (0/1), 8 the
    /// shard's session key prefix, 9 the count of posted jobs to complete first, then job id and delivery key of each.
    /// Completes the posted jobs given (as <see cref="CompleteMany"/>; they ride on the take to save a round trip).
    /// Reclaims jobs whose lease has ended (when asked: a sweep), then reads new ones. A sweep leases each job it
    /// takes, and each pending job it finds without a lease, until now plus the reclaim timeout; a take on an
    /// announcement leases nothing, so a job taken that way and left by a worker that died comes back one reclaim
    /// timeout after the first sweep that sees it. Completing a job leaves its lease, if a sweep gave it one: the
    /// sweeps drop the leases (and hold counts, under <c>h:</c>) of jobs no longer pending, which saves every
    /// completion a command. A sweep reads the leases with one <c>HGETALL</c> and writes them with one <c>HSET</c>
    /// and one <c>HDEL</c>, however many jobs are pending: with several hosts sweeping, a command per pending job
    /// would cost each turn more the more hosts there are. A stale lease beyond the pending jobs a sweep reads is
    /// dropped by a later sweep. A job whose lease was ended by <see cref="Release"/> (0) is taken back as the same
    /// delivery: a worker stopping for a deploy is not a failed attempt. Returns {id, candidate, session, turn,
    /// deliveries, kind, then the session's v, id, schema and data} per job, kind '' for an interview turn (whose entries, old and new, carry no
    /// 'k'); the session comes with its job so the worker needs no round trip to read it. Its key is not declared:
    /// it is built from the prefix passed in, which carries the stream's own hash tag, so it is always in this
    /// script's slot. Like XAUTOCLAIM, a reclaim looks at no more than ten pending jobs per job wanted. A pending job
    /// with no lease (taken by a version that timed jobs on the server's clock) is leased from now: it comes back one
    /// reclaim timeout later than it would have.
    /// A lease end written by a replica whose clock is d ahead of this one's lasts d longer here, and one written by a
    /// replica d behind, d shorter: a job taken back early is judged once all the same (the session's version decides)
    /// and posted once (the delivery's lease decides).
    /// </summary>
    public const string Take = CompletePosted + """
        complete_posted(KEYS[1], ARGV[1], 3, 9)
        local function id_before(a, b)
          local am, as = string.match(a, '^(%d+)-(%d+)$')
          local bm, bs = string.match(b, '^(%d+)-(%d+)$')
          if not am or not bm then return false end
          am, bm = tonumber(am), tonumber(bm)
          if am ~= bm then return am < bm end
          return tonumber(as) < tonumber(bs)
        end
        -- In pieces: unpack has a limit on how many values it spreads. 1,000 is even, so field/value pairs stay whole.
        local function in_pieces(command, key, values)
          for i = 1, #values, 1000 do redis.call(command, key, unpack(values, i, math.min(i + 999, #values))) end
        end
        local entries, deliveries, leases = {}, {}, {}
        local count = tonumber(ARGV[4])
        local now = tonumber(ARGV[5])
        local due = now + tonumber(ARGV[3])
        if ARGV[6] == '1' then
          local asked = count * 10
          local pending, seen, lease, stale = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', asked), {}, {}, {}
          for _, p in ipairs(pending) do seen[p[1]] = true end
          -- The pending list comes in id order: when it is whole, or a lease's id is below its last, a lease not in
          -- it is not pending. One above is left for a later sweep, whose oldest pending jobs will have moved past it,
          -- rather than asked about with a command of its own.
          local whole, last = #pending < asked, pending[#pending] and pending[#pending][1]
          local leased = redis.call('HGETALL', KEYS[2])
          for i = 1, #leased, 2 do
            local field = leased[i]
            local id = field
            if string.sub(id, 1, 2) == 'h:' then id = string.sub(id, 3) end
            if seen[id] then
              if id == field then lease[id] = tonumber(leased[i + 1]) end
            elseif whole or id_before(id, last) then
              table.insert(stale, field)
            end
          end
          for _, p in ipairs(pending) do
            if #entries >= count then break end
            local ends = lease[p[1]]
            if not ends then
              table.insert(leases, p[1])
              table.insert(leases, due)
            elseif ends <= now then
              -- A lease of 0 was ended by a worker that stopped (Release): taking the job back is no new attempt.
              local again = ends == 0 and p[4] or p[4] + 1
              local entry = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, p[1], 'RETRYCOUNT', again)[1]
              if entry and entry[2] then
                table.insert(entries, entry)
                table.insert(deliveries, again)
              else
                table.insert(stale, p[1])
              end
            end
          end
          in_pieces('HDEL', KEYS[2], stale)
        end
        if ARGV[7] == '1' and #entries < count then
          local fresh = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', count - #entries, 'STREAMS', KEYS[1], '>')
          if fresh then
            for _, entry in ipairs(fresh[1][2]) do
              table.insert(entries, entry)
              table.insert(deliveries, 1)
            end
          end
        end
        local out = {}
        for i, entry in ipairs(entries) do
          if ARGV[6] == '1' then
            table.insert(leases, entry[1])
            table.insert(leases, due)
          end
          local f = {}
          for j = 1, #entry[2], 2 do f[entry[2][j]] = entry[2][j + 1] end
          local job = {entry[1], f['c'], f['s'], f['t'], deliveries[i], f['k'] or ''}
          if not f['k'] then
            -- pcall: a session key mid-migration between cluster nodes refuses the read, and the worker reads it itself.
            local session = redis.pcall('HMGET', ARGV[8] .. f['c'], 'v', 'id', 'schema', 'data')
            if type(session) == 'table' and not session.err then
              for _, value in ipairs(session) do table.insert(job, value) end
            end
          end
          table.insert(out, job)
        end
        in_pieces('HSET', KEYS[2], leases)
        return out
        """;

    /// <summary>
    /// KEYS: jobs, leases. ARGV: group, consumer, then job ids. Ends the lease of each job still pending with the
    /// consumer, so that the next sweep takes it back (without counting a delivery: see <see cref="Take"/>); returns
    /// how many.
    /// </summary>
    public const string Release = """
        local released = 0
        for i = 3, #ARGV do
          local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
          if pending[1] and pending[1][2] == ARGV[2] then
            redis.call('HSET', KEYS[2], ARGV[i], 0)
            released = released + 1
          end
        end
        return released
        """;

    /// <summary>
    /// KEYS: jobs. ARGV: group, idle ms, the caller's consumer. Deletes the group's consumers, other than the caller's,
    /// that hold no pending job and have been idle at least that long; returns how many. Deleting a consumer with
    /// pending jobs would orphan them, so those stay whatever their idle time.
    /// </summary>
    public const string ForgetIdleConsumers = """
        local forgotten = 0
        for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
          local fields = {}
          for i = 1, #consumer, 2 do fields[consumer[i]] = consumer[i + 1] end
          if fields['pending'] == 0 and fields['idle'] >= tonumber(ARGV[2]) and fields['name'] ~= ARGV[3] then
            redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], fields['name'])
            forgotten = forgotten + 1
          end
        end
        return forgotten
        """;

    /// <summary>
    /// KEYS: jobs, session, deliveries, queued. ARGV: group, job id, delivery key, kind ('' for an interview turn).
    /// Acknowledges and forgets the job and its delivery (its lease, if it has one, is left to the sweeps). Only
    /// other kinds mark their jobs as queued.
    /// </summary>
    public const string Complete = """
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        redis.call('XDEL', KEYS[1], ARGV[2])
        if redis.call('HDEL', KEYS[2], 'd:' .. ARGV[3]) == 0 then redis.call('HDEL', KEYS[3], ARGV[3]) end
        if ARGV[4] ~= '' and redis.call('HGET', KEYS[4], ARGV[3]) == ARGV[2] then redis.call('HDEL', KEYS[4], ARGV[3]) end
        return 1
        """;

    /// <summary>
    /// KEYS: jobs, dead letters, queued, leases (with each job's holds under <c>h:</c>). ARGV: group, job id,
    /// max attempts, reason, candidate, session, turn, consumer, held part ('' for a failure), kind ('' for an
    /// interview turn, which is written without one). A failure dead-letters the job once its deliveries, less those
    /// that found their delivery held elsewhere, reach the max; a hold, once the same part was found held on max
    /// deliveries in a row. Returns 1 when the job went to the dead-letter stream; 0 when it stays pending for a
    /// retry after the reclaim timeout, or when another worker has reclaimed it meanwhile (a stale worker cannot fail
    /// a live job). A dead-lettered job is gone from the stream, so asking for its turn's judgement again queues it anew.
    /// </summary>
    public const string Fail = """
        local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
        if not pending[1] or pending[1][2] ~= ARGV[8] then return 0 end
        local total, streak, part = 0, 0, ''
        local held = redis.call('HGET', KEYS[4], 'h:' .. ARGV[2])
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
            redis.call('HSET', KEYS[4], 'h:' .. ARGV[2], total .. '|' .. streak .. '|' .. ARGV[9])
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
        redis.call('HDEL', KEYS[4], ARGV[2], 'h:' .. ARGV[2])
        if ARGV[10] ~= '' then redis.call('HDEL', KEYS[3], ARGV[6] .. ':' .. ARGV[7]) end
        return 1
        """;

    /// <summary>
    /// KEYS: session, events, seen, history, deliveries, jobs, dead letters, queued, leases, finished. ARGV: group,
    /// candidate. Deletes every trace of the candidate; returns the counts {sessions, history, seen, jobs, deliveries,
    /// events, finished}.
    /// </summary>
    public const string Forget = """
        local deliveries = redis.call('HLEN', KEYS[5])
        local marks, events = {}, 0
        for _, mark in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do marks[mark] = true end
        local live = redis.call('HGETALL', KEYS[1])
        for i = 1, #live, 2 do
          if string.sub(live[i], 1, 2) == 'd:' then deliveries = deliveries + 1 end
          if live[i] == 'e' then for mark in string.gmatch(live[i + 1], '%S+') do marks[mark] = true end end
        end
        for _ in pairs(marks) do events = events + 1 end
        local sessions = redis.call('DEL', KEYS[1])
        local seen = redis.call('ZCARD', KEYS[3])
        local history = redis.call('ZCARD', KEYS[4])
        redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
        local finished = redis.call('DEL', KEYS[10])
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
                  redis.call('HDEL', KEYS[9], entry[1], 'h:' .. entry[1])
                end
                redis.call('XDEL', stream, entry[1])
                jobs = jobs + 1
              end
            end
          end
        end
        return {sessions, history, seen, jobs, deliveries, events, finished}
        """;
}
