using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Mockingbird.Disputes;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Disputes in Redis. They are few (a candidate contests a score now and then) and a voter's next dispute is chosen
/// among those of their place, checked against the one open set, so every dispute key carries one tag, <c>{prefix:disputes}</c>: each step — open, next, vote
/// with its settlement, claiming an outcome to tell, told, forget — is one script on one slot, atomic on a single
/// server and on Redis Cluster. A person's indexes expire <see cref="DisputeOptions.PersonalIndexesKeptFor"/> after
/// their last entry, past the longest any dispute can name them.
/// </summary>
public sealed class RedisDisputeStore : IDisputeStore
{
    /// <summary>A person's forget reads their indexes, then checks them in the script; a vote landing between is read again.</summary>
    private const int ForgetAttempts = 5;

    private readonly IConnectionMultiplexer _redis;
    private readonly DisputeKeys _keys;
    private readonly long _indexesKeptForMs;

    public RedisDisputeStore(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions, IOptions<DisputeOptions>? disputeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(redisOptions);
        _redis = redis;
        _keys = new DisputeKeys(redisOptions.Value.KeyPrefix);
        _indexesKeptForMs = (long)(disputeOptions?.Value ?? new DisputeOptions()).PersonalIndexesKeptFor.TotalMilliseconds;
    }

    private IDatabase Db => _redis.GetDatabase();

    public async Task<bool> OpenAsync(Dispute dispute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        var place = dispute.Place is { Length: > 0 } filedIn ? filedIn : throw new ArgumentException("A dispute is opened in a place, whose voters score it.", nameof(dispute));
        var opened = await Db.ScriptEvaluateAsync(
            RedisDisputeScripts.Open,
            [_keys.Dispute(dispute.Id), _keys.Open, _keys.Raised(dispute.CandidateId), _keys.OpenIn(place)],
            [dispute.Id, JsonSerializer.Serialize(dispute, RedisDisputeJson.Default.Dispute), RedisKeys.Digest(dispute.CandidateId), dispute.OpenedAt.ToUnixTimeMilliseconds(), _indexesKeptForMs, place]);
        return (int)opened == 1;
    }

    public async Task<DisputeRecord?> FindAsync(string disputeId, CancellationToken cancellationToken)
    {
        var fields = Db.HashGetAsync(_keys.Dispute(disputeId), [Json, Final, SettledAt]);
        var votes = Db.HashLengthAsync(_keys.Votes(disputeId));
        var values = await fields;
        if (values[0].IsNull)
        {
            return null;
        }

        var dispute = ReadDispute(values[0]!);
        var settled = ReadSettled(dispute, values[1], values[2]);
        return new DisputeRecord(dispute, settled?.PeerScores.Count ?? (int)await votes, settled);
    }

    public async Task<Dispute?> NextForVoterAsync(string voterId, string place, DateTimeOffset openedAfter, CancellationToken cancellationToken)
    {
        var id = await Db.ScriptEvaluateAsync(
            RedisDisputeScripts.Next,
            [_keys.Open, _keys.Untold, _keys.Raised(voterId), _keys.Voted(voterId), _keys.OpenIn(place)],
            [openedAfter.ToUnixTimeMilliseconds()]);
        if (id.IsNull)
        {
            return null;
        }

        var json = await Db.HashGetAsync(_keys.Dispute((string)id!), Json);
        return json.IsNull ? null : ReadDispute(json!);
    }

    public async Task<VoteReceipt> VoteAsync(string disputeId, string voterId, string place, int score, int votesToSettle, DateTimeOffset openedAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(
            RedisDisputeScripts.Vote,
            [_keys.Dispute(disputeId), _keys.Votes(disputeId), _keys.Open, _keys.Settled, _keys.Voted(voterId), _keys.Untold, _keys.OpenIn(place)],
            [RedisKeys.Digest(voterId), score, votesToSettle, openedAfter.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), disputeId, _indexesKeptForMs, place]))!;
        var outcome = Enum.Parse<VoteOutcome>((string)reply[0]!);
        return outcome == VoteOutcome.Settled
            ? new VoteReceipt(outcome, ReadSettled(ReadDispute((string)reply[2]!), (string)reply[1]!, now.ToUnixTimeMilliseconds()))
            : new VoteReceipt(outcome);
    }

    public async Task<IReadOnlyList<DisputeRecord>> RaisedByAsync(string candidateId, CancellationToken cancellationToken)
    {
        var ids = await Db.SetMembersAsync(_keys.Raised(candidateId));
        var records = await Task.WhenAll(ids.Select(id => FindAsync((string)id!, cancellationToken)));
        return [.. records.OfType<DisputeRecord>().Where(r => r.Dispute.CandidateId == candidateId)];
    }

    public async Task<IReadOnlyList<string>> ClaimUntoldAsync(DateTimeOffset openedAfter, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        var ids = (RedisResult[])(await Db.ScriptEvaluateAsync(
            RedisDisputeScripts.Claim,
            [_keys.Open, _keys.Untold],
            [openedAfter.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), (now + lease).ToUnixTimeMilliseconds(), max]))!;
        return [.. ids.Select(id => (string)id!)];
    }

    public async Task<bool> TryClaimUntoldAsync(string disputeId, DateTimeOffset openedAfter, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var ids = (RedisResult[])(await Db.ScriptEvaluateAsync(
            RedisDisputeScripts.Claim,
            [_keys.Open, _keys.Untold],
            [openedAfter.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), (now + lease).ToUnixTimeMilliseconds(), 1, disputeId]))!;
        return ids.Length == 1;
    }

    public async Task<bool> ReleaseClaimAsync(string disputeId, DateTimeOffset claimedUntil, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var released = await Db.ScriptEvaluateAsync(
            RedisDisputeScripts.Release,
            [_keys.Untold],
            [disputeId, claimedUntil.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()]);
        return (int)released == 1;
    }

    public async Task<bool> ToldAsync(string disputeId, CancellationToken cancellationToken)
    {
        var json = await Db.HashGetAsync(_keys.Dispute(disputeId), Json);
        if (json.IsNull || ReadDispute(json!) is not { NamesSomeone: true } dispute)
        {
            return false;
        }

        var told = await Db.ScriptEvaluateAsync(
            RedisDisputeScripts.Told,
            [_keys.Dispute(disputeId), _keys.Votes(disputeId), _keys.Untold, _keys.Raised(dispute.CandidateId)],
            [disputeId, JsonSerializer.Serialize(dispute.Anonymous, RedisDisputeJson.Default.Dispute)]);
        return (int)told == 1;
    }

    public async Task<IReadOnlyList<SettledCase>> SettledAsync(CancellationToken cancellationToken)
    {
        var ids = await Db.SortedSetRangeByRankAsync(_keys.Settled);
        var rows = await Task.WhenAll(ids.Select(id => Db.HashGetAsync(_keys.Dispute((string)id!), [Json, Final, SettledAt])));
        return [.. rows.Where(r => !r[0].IsNull).Select(r => ReadSettled(ReadDispute(r[0]!), r[1], r[2])).OfType<SettledCase>()];
    }

    public async Task<int> ForgetAsync(string personId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ForgetAttempts; attempt++)
        {
            var raised = (await Db.SetMembersAsync(_keys.Raised(personId))).Select(v => (string)v!).ToList();
            var voted = (await Db.SetMembersAsync(_keys.Voted(personId))).Select(v => (string)v!).ToList();
            var places = (await Task.WhenAll(raised.Select(id => Db.HashGetAsync(_keys.Dispute(id), Place)))).Select(p => (string?)p ?? string.Empty).ToList();
            RedisKey[] keys =
            [
                _keys.Raised(personId), _keys.Voted(personId), _keys.Open, _keys.Settled, _keys.Untold,
                .. raised.Concat(voted).SelectMany(id => new RedisKey[] { _keys.Dispute(id), _keys.Votes(id) }),
                .. places.Select(place => (RedisKey)(place.Length > 0 ? _keys.OpenIn(place) : _keys.Open)),
            ];
            RedisValue[] args =
            [
                RedisKeys.Digest(personId), raised.Count, voted.Count,
                .. raised.Concat(voted).Select(id => (RedisValue)id),
                .. places.Select(place => (RedisValue)place),
            ];
            var gone = (int)await Db.ScriptEvaluateAsync(RedisDisputeScripts.Forget, keys, args);
            if (gone >= 0)
            {
                return gone;
            }
        }

        throw new InvalidOperationException("A person's disputes kept changing while they were being forgotten.");
    }

    private static readonly RedisValue Json = "json";
    private static readonly RedisValue Final = "final";
    private static readonly RedisValue SettledAt = "settled_at";
    private static readonly RedisValue Place = "place";

    private static Dispute ReadDispute(string json) =>
        JsonSerializer.Deserialize(json, RedisDisputeJson.Default.Dispute) ?? throw new InvalidOperationException("A stored dispute is empty.");

    private static SettledCase? ReadSettled(Dispute dispute, RedisValue final, RedisValue settledAtMs) =>
        final.IsNullOrEmpty
            ? null
            : new SettledCase(
                dispute.Case,
                dispute.Judge,
                [.. ((string)final!).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
                DateTimeOffset.FromUnixTimeMilliseconds((long)settledAtMs));

    /// <summary>
    /// The dispute keys, all under one tag as <see cref="RedisKeys"/> tags its groups; people are named by digest.
    /// </summary>
    private sealed class DisputeKeys(string prefix)
    {
        private readonly string _tag = $"{{{prefix}:disputes}}";

        /// <summary>
        /// The dispute's JSON (<c>json</c>), its candidate's digest, when it opened, the place it was filed in, and once
        /// settled its frozen scores and when. One kept from before places were recorded has no place.
        /// </summary>
        public string Dispute(string id) => $"{_tag}:dispute:{id}";

        /// <summary>Voter digest to score.</summary>
        public string Votes(string id) => $"{_tag}:votes:{id}";

        /// <summary>Ids of the disputes waiting for votes, scored by when they opened (ms).</summary>
        public string Open => $"{_tag}:open";

        /// <summary>
        /// Ids of the disputes filed in one place (<c>discord:&lt;guild id&gt;</c>, <c>slack:&lt;team id&gt;</c>),
        /// scored by when they opened (ms): the only ones its voters are offered. It may still hold ids that closed;
        /// <see cref="Open"/> says which are open.
        /// </summary>
        public string OpenIn(string place) => $"{_tag}:open:{place}";

        /// <summary>Ids of the settled disputes, scored by when they settled (ms): the labelled set.</summary>
        public string Settled => $"{_tag}:settled";

        /// <summary>Ids of the closed disputes whose candidate is still to be told, scored by when they may next be claimed (ms).</summary>
        public string Untold => $"{_tag}:untold";

        /// <summary>The disputes a person raised, so a voter is not offered theirs and forgetting needs no scan.</summary>
        public string Raised(string personId) => $"{_tag}:raised:{RedisKeys.Digest(personId)}";

        /// <summary>The disputes a person voted on.</summary>
        public string Voted(string personId) => $"{_tag}:voted:{RedisKeys.Digest(personId)}";
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Dispute))]
internal sealed partial class RedisDisputeJson : JsonSerializerContext;
