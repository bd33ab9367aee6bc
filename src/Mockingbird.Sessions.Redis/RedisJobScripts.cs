namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Lua pieces shared by the scripts that queue judging jobs of kinds other than an interview turn, so a job's entry is
/// written in one place and reads back whole through the session store's take.
/// </summary>
internal static class RedisJobScripts
{
    /// <summary>
    /// Queues one judging job on a shard's stream unless its turn is queued already, and marks it queued under its
    /// delivery key (<c>session:turn</c>, which completing and dead-lettering the job clear). The entry carries exactly
    /// the fields the take reads back: candidate <c>c</c>, session <c>s</c>, turn <c>t</c> and kind <c>k</c>; the take
    /// reads no schema from the entry of a job whose kind it is given. Returns the entry's id when it queued the job
    /// (announcements name it), false when the turn was queued already.
    /// </summary>
    public const string QueueJudgingJob = """
        local function queue_judging_job(jobs, queued, candidate, session, turn, kind)
          local key = session .. ':' .. turn
          if redis.call('HEXISTS', queued, key) == 1 then return false end
          local id = redis.call('XADD', jobs, '*', 'c', candidate, 's', session, 't', turn, 'k', kind)
          redis.call('HSET', queued, key, id)
          return id
        end

        """;
}
