using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Mockingbird.Drills;
using Mockingbird.Interview.Sessions;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Drill plans in Redis. Every drill key shares one hash tag, so a plan and the due index change together in one
/// script: a save against a stale version changes neither, and a claim moves due candidates past their lease in the
/// same step that finds them, so two replicas never claim one candidate at the same time.
/// </summary>
public sealed class RedisDrillStore : IDrillStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly DrillKeys _keys;
    private readonly RedisKeys _shards;

    public RedisDrillStore(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions)
    {
        ArgumentNullException.ThrowIfNull(redisOptions);
        _redis = redis;
        _keys = new DrillKeys(redisOptions.Value.KeyPrefix);
        _shards = new RedisKeys(redisOptions.Value.KeyPrefix, redisOptions.Value.Shards);
    }

    /// <summary>An answer not judged within this (its job dead-lettered, say) is not kept for ever.</summary>
    private static readonly TimeSpan AnswerRetention = TimeSpan.FromDays(14);

    private IDatabase Db => _redis.GetDatabase();

    public async Task<DrillPlan?> FindAsync(string candidateId, CancellationToken cancellationToken)
    {
        var values = await Db.HashGetAsync(_keys.Plan(candidateId), ["v", "json"]);
        if (values[1].IsNull)
        {
            return null;
        }

        var plan = JsonSerializer.Deserialize((string)values[1]!, RedisDrillJson.Default.DrillPlan)!;
        return plan with { Version = (long)values[0] };
    }

    public async Task<bool> SaveAsync(DrillPlan plan, long expectedVersion, DateTimeOffset? nextDue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var saved = await Db.ScriptEvaluateAsync(
            RedisDrillScripts.Save,
            [_keys.Plan(plan.CandidateId), _keys.Due, _keys.Scheduled],
            [
                expectedVersion, JsonSerializer.Serialize(plan, RedisDrillJson.Default.DrillPlan),
                nextDue is { } due ? due.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : string.Empty, plan.CandidateId,
            ]);
        return (int)saved == 1;
    }

    public async Task<IReadOnlyList<DrillClaim>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(
            RedisDrillScripts.Claim,
            [_keys.Due, _keys.Scheduled],
            [now.ToUnixTimeMilliseconds(), (long)lease.TotalMilliseconds, max]))!;
        var leasedUntil = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() + (long)lease.TotalMilliseconds);
        var claims = new List<DrillClaim>(reply.Length / 2);
        for (var i = 0; i + 1 < reply.Length; i += 2)
        {
            claims.Add(new DrillClaim((string)reply[i]!, DateTimeOffset.FromUnixTimeMilliseconds((long)reply[i + 1]), leasedUntil));
        }

        return claims;
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        var first = await Db.SortedSetRangeByRankWithScoresAsync(_keys.Due, 0, 0);
        return first.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)first[0].Score);
    }

    public async Task<bool> ForgetAsync(string candidateId, CancellationToken cancellationToken)
    {
        var gone = await Db.ScriptEvaluateAsync(RedisDrillScripts.Forget, [_keys.Plan(candidateId), _keys.Due, _keys.Scheduled], [candidateId]);

        // Answers live on the candidate's shard, beside the judging queue: another slot, so another call.
        var answers = await Db.KeyDeleteAsync(Answers(candidateId));
        return (int)gone > 0 || answers;
    }

    public async Task<bool> SubmitAnswerAsync(string candidateId, string drillId, string text, JudgeJob judging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judging);
        var shard = _shards.ShardOf(candidateId);
        var kept = await Db.ScriptEvaluateAsync(
            RedisDrillScripts.SubmitAnswer,
            [Answers(candidateId), _shards.Jobs(shard), _shards.Queued(shard)],
            [
                drillId, text, judging.CandidateId, judging.SessionId, judging.TurnNumber, RedisSessionStore.KindField(judging.Kind),
                RedisChannel.Sharded(_shards.JobsQueued(shard)).ToString(), (long)AnswerRetention.TotalMilliseconds,
            ]);
        return (int)kept == 1;
    }

    public async Task<string?> FindAnswerAsync(string candidateId, string drillId, CancellationToken cancellationToken)
    {
        var text = await Db.HashGetAsync(Answers(candidateId), drillId);
        return text.IsNull ? null : (string)text!;
    }

    public Task DropAnswerAsync(string candidateId, string drillId, CancellationToken cancellationToken) =>
        Db.HashDeleteAsync(Answers(candidateId), drillId);

    /// <summary>On the candidate's shard, so an answer and its judging job are written in one script.</summary>
    private string Answers(string candidateId) => $"{_shards.Tag(_shards.ShardOf(candidateId))}:drill-answers:{candidateId}";

    /// <summary>
    /// The drill keys, all under one tag of their own (<c>{mb:drills}</c>) as study groups' shared keys are: the due
    /// index is one sorted set for every candidate, and each plan moves with it.
    /// </summary>
    internal sealed class DrillKeys(string prefix)
    {
        public string Tag { get; } = $"{{{prefix}:drills}}";

        public string Due => $"{Tag}:due";

        public string Scheduled => $"{Tag}:scheduled";

        public string Plan(string candidateId) => $"{Tag}:plan:{candidateId}";
    }
}

/// <summary>Source-generated JSON for drill plans.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(DrillPlan))]
internal sealed partial class RedisDrillJson : JsonSerializerContext;
