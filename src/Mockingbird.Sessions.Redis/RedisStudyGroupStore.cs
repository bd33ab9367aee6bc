using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.StudyGroups.Suggestions;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Study groups in Redis. A round and everything in it (answers, results, its channel's records and recent
/// questions) lives under the hash tag of its channel's shard, beside that shard's judging stream, so every once-only
/// step (claim, lease, answer, close with its jobs, result) is one script on one slot: atomic, one round trip, valid
/// on Redis Cluster. Schedules and preferences, which belong to no channel, are one hash each on a slot of their own.
/// </summary>
public sealed class RedisStudyGroupStore : IStudyGroupStore
{
    /// <summary>
    /// How long a round is kept once done: long enough for a late or repeated job, a reveal posted again or an admin
    /// looking back to find it; streaks and boards read records, which are kept for the record retention.
    /// Unfinished rounds never expire.
    /// </summary>
    public static readonly TimeSpan RoundRetention = TimeSpan.FromDays(30);

    /// <summary>A channel's recent questions are kept up to the largest pool window an admin can set.</summary>
    private const int RecentQuestionsKept = 1000;

    private const int Schema = 1;

    private readonly IConnectionMultiplexer _redis;
    private readonly StudyGroupOptions _options;
    private readonly TimeProvider _time;
    private readonly RedisKeys _keys;

    public RedisStudyGroupStore(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions, IOptions<StudyGroupOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(redisOptions);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _options = options.Value;
        _time = time;
        _keys = new RedisKeys(redisOptions.Value.KeyPrefix, redisOptions.Value.Shards);
    }

    private IDatabase Db => _redis.GetDatabase();

    /// <summary>A member's index outlives every round and record it points to.</summary>
    private long MemberIndexTtlMs => (long)(_options.RecordRetention + RoundRetention).TotalMilliseconds;

    public async Task SaveScheduleAsync(DailySchedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await Db.HashSetAsync(_keys.StudySchedules, schedule.Channel.Key, JsonSerializer.Serialize(StoredSchedule.From(schedule), RedisStudyGroupJson.Default.StoredSchedule));
    }

    public async Task<DailySchedule?> FindScheduleAsync(string channelKey, CancellationToken cancellationToken)
    {
        var json = await Db.HashGetAsync(_keys.StudySchedules, channelKey);
        return json.IsNull ? null : ReadSchedule(json!);
    }

    public async Task<IReadOnlyList<DailySchedule>> SchedulesAsync(CancellationToken cancellationToken)
    {
        var values = await Db.HashValuesAsync(_keys.StudySchedules);
        return [.. values.Select(v => ReadSchedule(v!))];
    }

    public async Task<bool> RemoveScheduleAsync(string channelKey, CancellationToken cancellationToken) =>
        await Db.HashDeleteAsync(_keys.StudySchedules, channelKey);

    public async Task<(DailyRound Round, bool Created)> ClaimRoundAsync(DailyRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        var created = round with { State = RoundState.Posting, PostId = null, Thread = null };
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(
            RedisStudyGroupScripts.Claim,
            [_keys.StudyRound(round.Id), _keys.StudyRecentQuestions(round.Channel.Key), _keys.StudyUnfinished(ShardOfRound(round.Id))],
            [round.Id, JsonSerializer.Serialize(created, RedisStudyGroupJson.Default.DailyRound), Schema, round.QuestionId, RecentQuestionsKept, round.Deadline.ToUnixTimeMilliseconds()]))!;
        return (int)reply[0] == 1 ? (created, true) : (ReadRound(Fields((RedisResult[])reply[1]!))!, false);
    }

    public async Task<DailyRound?> FindRoundAsync(string roundId, CancellationToken cancellationToken) =>
        NamesARound(roundId) ? ReadRound(Fields(await Db.HashGetAllAsync(_keys.StudyRound(roundId)))) : null;

    /// <summary>
    /// Round ids come back from buttons and forms, which anyone can forge: one that does not start with a channel's
    /// key names no round (and no key, since a round's keys are found from its channel).
    /// </summary>
    private static bool NamesARound(string roundId) => roundId.Count(c => c == ':') >= 3;

    public async Task<IReadOnlyList<DailyRound>> UnfinishedRoundsAsync(CancellationToken cancellationToken)
    {
        // One wave of reads per step, every shard's at once: the multiplexer pipelines them.
        var shards = Enumerable.Range(0, _keys.Shards).ToList();
        var ids = await Task.WhenAll(shards.Select(shard => Db.SetMembersAsync(_keys.StudyUnfinished(shard))));
        var all = shards.SelectMany(shard => ids[shard].Select(id => (Shard: shard, Id: (string)id!))).ToList();
        var hashes = await Task.WhenAll(all.Select(r => Db.HashGetAllAsync(_keys.StudyRound(r.Id))));
        var rounds = new List<DailyRound>();
        for (var i = 0; i < all.Count; i++)
        {
            if (ReadRound(Fields(hashes[i])) is { } round)
            {
                if (round.State != RoundState.Done)
                {
                    rounds.Add(round);
                }
            }
            else
            {
                // Its round is gone (deleted by hand): the index forgets it too.
                await Db.SetRemoveAsync(_keys.StudyUnfinished(all[i].Shard), all[i].Id);
            }
        }

        return rounds;
    }

    public async Task<bool> TryLeaseAsync(string roundId, RoundState readIn, string owner, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken) =>
        NamesARound(roundId)
        && (int)await Db.ScriptEvaluateAsync(RedisStudyGroupScripts.Lease, [_keys.StudyRound(roundId)], [owner, until.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), readIn.ToString()]) == 1;

    public async Task MarkPostedAsync(string roundId, string postId, string thread, CancellationToken cancellationToken) =>
        await Db.ScriptEvaluateAsync(RedisStudyGroupScripts.MarkPosted, [_keys.StudyRound(roundId)], [postId, thread]);

    public async Task SetStateAsync(string roundId, RoundState state, CancellationToken cancellationToken) =>
        await Db.ScriptEvaluateAsync(
            RedisStudyGroupScripts.SetState,
            [_keys.StudyRound(roundId), _keys.StudyAnswers(roundId), _keys.StudyAnswerers(roundId), _keys.StudyResults(roundId), _keys.StudyUnfinished(ShardOfRound(roundId))],
            [state.ToString(), roundId, (long)RoundRetention.TotalMilliseconds]);

    public async Task SkipUnpostedRoundAsync(DailyRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);

        // Ended first: should the process stop between the two, the question stays spent, which is what happened
        // before; the other order could leave a round still to post whose question is no longer remembered.
        await SetStateAsync(round.Id, RoundState.Done, cancellationToken);
        await Db.ListRemoveAsync(_keys.StudyRecentQuestions(round.Channel.Key), round.QuestionId, count: 1);
    }

    public async Task<IReadOnlyList<string>> RecentQuestionsAsync(string channelKey, int count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return [];
        }

        var ids = await Db.ListRangeAsync(_keys.StudyRecentQuestions(channelKey), 0, count - 1);
        return [.. ids.Select(id => (string)id!)];
    }

    public async Task<AnswerReceipt> SaveAnswerAsync(string roundId, string memberId, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!NamesARound(roundId))
        {
            return new AnswerReceipt(AnswerOutcome.Unknown, []);
        }

        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(
            RedisStudyGroupScripts.Answer,
            [_keys.StudyRound(roundId), _keys.StudyAnswers(roundId), _keys.StudyAnswerers(roundId), _keys.StudyMemberRounds(ShardOfRound(roundId), memberId)],
            [memberId, text, now.ToUnixTimeMilliseconds(), roundId, MemberIndexTtlMs]))!;
        var outcome = Enum.Parse<AnswerOutcome>((string)reply[0]!);
        return new AnswerReceipt(outcome, [.. ((RedisResult[])reply[1]!).Select(m => (string)m!)]);
    }

    public async Task<DailyAnswer?> FindAnswerAsync(string roundId, string memberId, CancellationToken cancellationToken)
    {
        if (!NamesARound(roundId))
        {
            return null;
        }

        var value = await Db.HashGetAsync(_keys.StudyAnswers(roundId), memberId);
        return value.IsNull ? null : ReadAnswer(memberId, value!);
    }

    public async Task<IReadOnlyList<DailyAnswer>> AnswersAsync(string roundId, CancellationToken cancellationToken)
    {
        if (!NamesARound(roundId))
        {
            return [];
        }

        var entries = await Db.HashGetAllAsync(_keys.StudyAnswers(roundId));
        return [.. entries.Select(e => ReadAnswer(e.Name!, e.Value!)).OrderBy(a => a.Ordinal)];
    }

    public async Task<bool> CloseAsync(string roundId, CancellationToken cancellationToken)
    {
        var channelKey = RedisKeys.ChannelKeyOfRound(roundId);
        var shard = _keys.ShardOf(channelKey);
        var closed = await Db.ScriptEvaluateAsync(
            RedisStudyGroupScripts.Close,
            [_keys.StudyRound(roundId), _keys.StudyAnswerers(roundId), _keys.Jobs(shard), _keys.Queued(shard)],
            [roundId, channelKey, RedisSessionStore.KindField(JudgeJobKind.DailyAnswer), RedisChannel.Sharded(_keys.JobsQueued(shard)).ToString()]);
        return (int)closed == 1;
    }

    public async Task<bool> SaveResultAsync(string roundId, DailyResult result, DailyRecord? record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var channelKey = RedisKeys.ChannelKeyOfRound(roundId);
        var recordMember = record?.MemberId ?? result.MemberId;
        var revealed = await Db.ScriptEvaluateAsync(
            RedisStudyGroupScripts.Result,
            [
                _keys.StudyRound(roundId), _keys.StudyAnswerers(roundId), _keys.StudyResults(roundId), _keys.StudyRecords(channelKey),
                _keys.StudyRecordDays(channelKey), _keys.StudyMemberRounds(_keys.ShardOf(channelKey), recordMember),
            ],
            [
                result.MemberId,
                JsonSerializer.Serialize(result, RedisStudyGroupJson.Default.DailyResult),
                record is null ? string.Empty : RecordField(roundId, record.MemberId),
                record is null ? string.Empty : JsonSerializer.Serialize(record, RedisStudyGroupJson.Default.DailyRecord),
                record?.Day.DayNumber ?? 0,
                RecordCutoff.DayNumber,
                (long)_options.RecordRetention.TotalMilliseconds,
                MemberIndexTtlMs,
                roundId,
                result.Ordinal,
            ]);
        return (int)revealed == 1;
    }

    public async Task<IReadOnlyList<DailyResult>> ResultsAsync(string roundId, CancellationToken cancellationToken)
    {
        if (!NamesARound(roundId))
        {
            return [];
        }

        var values = await Db.HashValuesAsync(_keys.StudyResults(roundId));
        return [.. values.Select(v => JsonSerializer.Deserialize((string)v!, RedisStudyGroupJson.Default.DailyResult)!).OrderBy(r => r.Ordinal)];
    }

    public async Task<IReadOnlyList<DailyRecord>> RecordsAsync(string channelKey, CancellationToken cancellationToken)
    {
        var values = (RedisResult[])(await Db.ScriptEvaluateAsync(
            RedisStudyGroupScripts.Records,
            [_keys.StudyRecords(channelKey), _keys.StudyRecordDays(channelKey)],
            [RecordCutoff.DayNumber]))!;
        return
        [
            .. values
                .Select(v => JsonSerializer.Deserialize((string)v!, RedisStudyGroupJson.Default.DailyRecord)!)
                .OrderBy(r => r.Day)
                .ThenBy(r => r.RoundId, StringComparer.Ordinal)
                .ThenBy(r => r.MemberId, StringComparer.Ordinal),
        ];
    }

    public async Task<MemberPreferences> PreferencesAsync(string memberId, CancellationToken cancellationToken)
    {
        var json = await Db.HashGetAsync(_keys.StudyPreferences, memberId);
        return json.IsNull ? MemberPreferences.Default : ReadPreferences(json!);
    }

    public async Task<IReadOnlyDictionary<string, MemberPreferences>> PreferencesAsync(IReadOnlyCollection<string> memberIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(memberIds);
        var ids = memberIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<string, MemberPreferences>(StringComparer.Ordinal);
        }

        var values = await Db.HashGetAsync(_keys.StudyPreferences, [.. ids.Select(id => (RedisValue)id)]);
        return ids.Select((id, i) => (id, values[i]))
            .ToDictionary(p => p.id, p => p.Item2.IsNull ? MemberPreferences.Default : ReadPreferences(p.Item2!), StringComparer.Ordinal);
    }

    public async Task SavePreferencesAsync(string memberId, MemberPreferences preferences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        await Db.HashSetAsync(_keys.StudyPreferences, memberId, JsonSerializer.Serialize(preferences, RedisStudyGroupJson.Default.MemberPreferences));
    }

    public async Task<DailySuggestion?> AddSuggestionAsync(string channelKey, string memberId, string text, Stage? freeTextStage, DateTimeOffset at, int maxPending, CancellationToken cancellationToken)
    {
        var stored = new StoredSuggestion(memberId, text, freeTextStage, at);
        var id = await Db.ScriptEvaluateAsync(
            RedisStudyGroupScripts.Suggest,
            [_keys.StudySuggestions(channelKey), _keys.StudySuggestionIds(channelKey), _keys.StudyMemberSuggestions(_keys.ShardOf(channelKey), memberId)],
            [JsonSerializer.Serialize(stored, RedisStudyGroupJson.Default.StoredSuggestion), maxPending, channelKey]);
        return id.IsNull ? null : stored.ToSuggestion((string)id!);
    }

    public async Task<IReadOnlyList<DailySuggestion>> PendingSuggestionsAsync(string channelKey, CancellationToken cancellationToken) =>
        ReadSuggestions(await Db.HashGetAllAsync(_keys.StudySuggestions(channelKey)));

    public async Task<DailySuggestion?> ApproveSuggestionAsync(string channelKey, string suggestionId, CancellationToken cancellationToken)
    {
        var waiting = await Db.HashGetAsync(_keys.StudySuggestions(channelKey), suggestionId);
        if (waiting.IsNull)
        {
            return null;
        }

        var approved = ReadSuggestion(waiting!) with { MemberId = null };
        var moved = await Db.ScriptEvaluateAsync(
            RedisStudyGroupScripts.Approve,
            [_keys.StudySuggestions(channelKey), _keys.StudyPool(channelKey)],
            [suggestionId, waiting, JsonSerializer.Serialize(approved, RedisStudyGroupJson.Default.StoredSuggestion)]);
        return (int)moved == 1 ? approved.ToSuggestion(suggestionId) : null;
    }

    public async Task<DailySuggestion?> RejectSuggestionAsync(string channelKey, string suggestionId, CancellationToken cancellationToken)
    {
        var dropped = await Db.ScriptEvaluateAsync(RedisStudyGroupScripts.Reject, [_keys.StudySuggestions(channelKey)], [suggestionId]);
        return dropped.IsNull ? null : ReadSuggestion((string)dropped!).ToSuggestion(suggestionId);
    }

    public async Task<IReadOnlyList<DailySuggestion>> PoolAsync(string channelKey, CancellationToken cancellationToken) =>
        ReadSuggestions(await Db.HashGetAllAsync(_keys.StudyPool(channelKey)));

    /// <summary>
    /// The member's preferences, then, per shard, the rounds and the channels with waiting suggestions their indexes
    /// name: a read of each index and one script with every key it touches declared. Safe to repeat; a round answered
    /// or a suggestion made meanwhile is left for the next call.
    /// </summary>
    public async Task<int> ForgetAsync(string memberId, CancellationToken cancellationToken)
    {
        var preferences = Db.HashDeleteAsync(_keys.StudyPreferences, memberId);
        var shards = await Task.WhenAll(Enumerable.Range(0, _keys.Shards).Select(shard => ForgetInShardAsync(shard, memberId)));
        var suggestions = await Task.WhenAll(Enumerable.Range(0, _keys.Shards).Select(shard => ForgetSuggestionsInShardAsync(shard, memberId)));
        return shards.Sum() + suggestions.Sum() + (await preferences ? 1 : 0);
    }

    private async Task<int> ForgetSuggestionsInShardAsync(int shard, string memberId)
    {
        var index = _keys.StudyMemberSuggestions(shard, memberId);
        var channelKeys = (await Db.SetMembersAsync(index)).Select(key => (string)key!).ToList();
        if (channelKeys.Count == 0)
        {
            return 0;
        }

        var removed = await Db.ScriptEvaluateAsync(
            RedisStudyGroupScripts.ForgetSuggestions,
            [index, .. channelKeys.Select(key => (RedisKey)_keys.StudySuggestions(key))],
            [memberId, .. channelKeys.Select(key => (RedisValue)key)]);
        return (int)removed;
    }

    /// <summary>Suggestions in the order they were made: by the number in their short id.</summary>
    private static List<DailySuggestion> ReadSuggestions(HashEntry[] entries) =>
    [
        .. entries
            .Select(e => ReadSuggestion(e.Value!).ToSuggestion(e.Name!))
            .OrderBy(s => int.TryParse(s.Id.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : int.MaxValue)
            .ThenBy(s => s.Id, StringComparer.Ordinal),
    ];

    private static StoredSuggestion ReadSuggestion(string json) =>
        JsonSerializer.Deserialize(json, RedisStudyGroupJson.Default.StoredSuggestion) ?? throw new InvalidOperationException("A stored suggestion is empty.");

    private async Task<int> ForgetInShardAsync(int shard, string memberId)
    {
        var index = _keys.StudyMemberRounds(shard, memberId);
        var roundIds = (await Db.SetMembersAsync(index)).Select(id => (string)id!).ToList();
        if (roundIds.Count == 0)
        {
            return 0;
        }

        var keys = new List<RedisKey> { index };
        foreach (var roundId in roundIds)
        {
            var channelKey = RedisKeys.ChannelKeyOfRound(roundId);
            keys.AddRange(
            [
                _keys.StudyAnswers(roundId), _keys.StudyAnswerers(roundId), _keys.StudyResults(roundId),
                _keys.StudyRecords(channelKey), _keys.StudyRecordDays(channelKey), _keys.StudyRound(roundId),
            ]);
        }

        var removed = await Db.ScriptEvaluateAsync(RedisStudyGroupScripts.Forget, [.. keys], [memberId, .. roundIds.Select(id => (RedisValue)id)]);
        return (int)removed;
    }

    private DateOnly RecordCutoff => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime - _options.RecordRetention);

    private static string RecordField(string roundId, string memberId) => $"{roundId}\n{memberId}";

    private int ShardOfRound(string roundId) => _keys.ShardOf(RedisKeys.ChannelKeyOfRound(roundId));

    private static Dictionary<string, string> Fields(RedisResult[] flat)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            fields[(string)flat[i]!] = (string)flat[i + 1]!;
        }

        return fields;
    }

    private static Dictionary<string, string> Fields(HashEntry[] entries) =>
        entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);

    /// <summary>The round as claimed, with what has changed since kept beside it: its state, post and thread.</summary>
    private static DailyRound? ReadRound(Dictionary<string, string> fields)
    {
        if (!fields.TryGetValue("data", out var data))
        {
            return null;
        }

        var round = JsonSerializer.Deserialize(data, RedisStudyGroupJson.Default.DailyRound)
            ?? throw new InvalidOperationException("A stored round is empty.");
        return round with
        {
            State = Enum.Parse<RoundState>(fields["state"]),
            PostId = fields.GetValueOrDefault("post"),
            Thread = fields.GetValueOrDefault("thread"),
        };
    }

    private static DailyAnswer ReadAnswer(string memberId, string value)
    {
        var parts = value.Split('|', 5);
        return new DailyAnswer(
            memberId,
            parts[4],
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture)),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[2], CultureInfo.InvariantCulture)),
            int.Parse(parts[3], CultureInfo.InvariantCulture),
            int.Parse(parts[0], CultureInfo.InvariantCulture));
    }

    private static DailySchedule ReadSchedule(string json) =>
        (JsonSerializer.Deserialize(json, RedisStudyGroupJson.Default.StoredSchedule) ?? throw new InvalidOperationException("A stored schedule is empty.")).ToSchedule();

    private static MemberPreferences ReadPreferences(string json) =>
        JsonSerializer.Deserialize(json, RedisStudyGroupJson.Default.MemberPreferences) ?? MemberPreferences.Default;
}

/// <summary>
/// A schedule as stored: its fields without <see cref="DailySchedule.Zone"/>, which is derived (and a
/// <see cref="TimeZoneInfo"/> has no place in JSON).
/// </summary>
internal sealed record StoredSchedule(StudyChannel Channel, TimeOnly At, string TimeZone, DailyFocus Focus, TimeSpan RoundLength, string? MentionRole, string SetBy, DateTimeOffset SetAt)
{
    public static StoredSchedule From(DailySchedule s) => new(s.Channel, s.At, s.TimeZone, s.Focus, s.RoundLength, s.MentionRole, s.SetBy, s.SetAt);

    public DailySchedule ToSchedule() => new(Channel, At, TimeZone, Focus, RoundLength, MentionRole, SetBy, SetAt);
}

/// <summary>
/// A suggestion as stored: its short id is the hash field it is kept under. <c>memberId</c> is read by the forget
/// script, so its name is part of the stored format.
/// </summary>
internal sealed record StoredSuggestion(string? MemberId, string Text, Stage? FreeTextStage, DateTimeOffset At)
{
    public DailySuggestion ToSuggestion(string id) => new(id, MemberId, Text, FreeTextStage, At);
}

/// <summary>Study groups' source-generated JSON; enums by name, so a reordered enum cannot misread stored values.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredSchedule))]
[JsonSerializable(typeof(DailyRound))]
[JsonSerializable(typeof(DailyResult))]
[JsonSerializable(typeof(DailyRecord))]
[JsonSerializable(typeof(MemberPreferences))]
[JsonSerializable(typeof(StoredSuggestion))]
[JsonSerializable(typeof(Feedback))]
internal sealed partial class RedisStudyGroupJson : JsonSerializerContext;
