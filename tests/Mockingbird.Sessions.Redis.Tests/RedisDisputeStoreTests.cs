using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Disputes;
using Mockingbird.Testing;
using Mockingbird.Testing.Contracts;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

[Collection(nameof(RedisCollection))]
public sealed class RedisDisputeStoreTests(RedisFixture fixture) : DisputeStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override async Task<IDisputeStore> CreateAsync() => await OpenAsync();

    public override async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>A store on a connection of its own, as a replica has.</summary>
    private async Task<RedisDisputeStore> OpenAsync()
    {
        var redis = await RedisFixture.ConnectAsync(fixture.Server);
        _connections.Add(redis);
        return new RedisDisputeStore(redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }));
    }

    [Fact]
    public async Task Two_replicas_racing_for_the_last_vote_settle_the_dispute_once_never_twice_and_never_with_a_fourth_vote()
    {
        var other = await OpenAsync();
        for (var round = 0; round < 20; round++)
        {
            var dispute = SampleDisputes.Dispute(feedbackId: $"f-{round}");
            await Store.OpenAsync(dispute, default);
            await VoteAsync(dispute.Id, "voter-1", 2);
            await VoteAsync(dispute.Id, "voter-2", 3, other);

            var racing = await Task.WhenAll(
                Task.Run(() => VoteAsync(dispute.Id, "voter-3", 4)),
                Task.Run(() => VoteAsync(dispute.Id, "voter-4", 1, other)));

            Assert.Single(racing, r => r.Outcome == VoteOutcome.Settled);
            Assert.Single(racing, r => r.Outcome == VoteOutcome.AlreadySettled);
            Assert.Equal(3, (await other.FindAsync(dispute.Id, default))!.Settled!.PeerScores.Count);
        }

        Assert.Equal(20, (await other.SettledAsync(default)).Count);
    }

    [Fact]
    public async Task Every_dispute_key_carries_the_disputes_tag_and_names_people_only_by_digest()
    {
        var dispute = SampleDisputes.Dispute("cand-secret");
        await Store.OpenAsync(dispute, default);
        await VoteAsync(dispute.Id, "voter-secret", 3);

        var server = _connections[0].GetServers().Single();
        var keys = server.Keys(pattern: $"*{_prefix}*").Select(k => (string)k!).ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.StartsWith($"{{{_prefix}:disputes}}:", k, StringComparison.Ordinal));
        Assert.All(keys, k => Assert.DoesNotContain("secret", k, StringComparison.Ordinal));
        var votes = await _connections[0].GetDatabase().HashKeysAsync(keys.Single(k => k.Contains(":votes:", StringComparison.Ordinal)));
        Assert.Equal([RedisKeys.Digest("voter-secret")], votes.Select(v => (string)v!));
    }

    [Fact]
    public async Task A_vote_that_settles_a_dispute_whose_candidate_runs_forget_me_before_the_store_reads_it_back_does_not_throw()
    {
        var clock = new FakeTimeProvider(Start.AddHours(1));
        var dispute = SampleDisputes.Dispute("cand-1", openedAt: Start);
        await Store.OpenAsync(dispute, default);
        await VoteAsync(dispute.Id, "voter-1", 2);
        await VoteAsync(dispute.Id, "voter-2", 3);
        var forgotten = 0;
        var racing = new RedisDisputeStore(
            RightAfterSettling.Wrap(_connections[0], async () => forgotten = await Store.ForgetAsync("cand-1", default)),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }));
        var voters = new InMemoryDisputeVoters();
        await voters.SetOptedInAsync("voter-3", SampleDisputes.Place, true, default);
        var desk = new DisputeDesk(racing, voters, Microsoft.Extensions.Options.Options.Create(new DisputeOptions()), clock, NullLogger<DisputeDesk>.Instance);

        var result = await desk.VoteAsync("voter-3", SampleDisputes.Place, dispute.Id, 4, default);

        Assert.Equal(1, forgotten);
        Assert.Equal(VoteOutcome.Settled, result.Outcome);
        Assert.Null(result.Settled);
        Assert.Null(await Store.FindAsync(dispute.Id, default));
        Assert.Empty(await Store.SettledAsync(default));
        Assert.Empty(await Store.ClaimUntoldAsync(LongAgo, Start.AddHours(2), TimeSpan.FromMinutes(15), 10, default));
    }

    [Fact]
    public async Task A_persons_indexes_of_disputes_raised_and_voted_on_and_a_places_open_index_expire_after_the_longest_a_dispute_can_name_them()
    {
        var options = new DisputeOptions { Window = TimeSpan.FromDays(10), TellFor = TimeSpan.FromDays(20) };
        var store = new RedisDisputeStore(_connections[0], Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }), Microsoft.Extensions.Options.Options.Create(options));
        var dispute = SampleDisputes.Dispute("cand-1");
        await store.OpenAsync(dispute, default);
        await VoteAsync(dispute.Id, "voter-1", 3, store);

        var db = _connections[0].GetDatabase();
        var keys = _connections[0].GetServers().Single().Keys(pattern: $"*{_prefix}*").Select(k => (string)k!).ToList();
        var indexes = keys.Where(k => k.Contains(":raised:", StringComparison.Ordinal) || k.Contains(":voted:", StringComparison.Ordinal) || k.Contains(":open:", StringComparison.Ordinal)).ToList();

        Assert.Equal(3, indexes.Count);
        foreach (var index in indexes)
        {
            var ttl = await db.KeyTimeToLiveAsync(index);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromDays(30), TimeSpan.FromDays(31));
        }
    }

    [Fact]
    public async Task A_dispute_kept_from_before_places_is_offered_to_nobody_takes_no_vote_and_expires_for_its_candidate_to_hear()
    {
        var old = SampleDisputes.Dispute("cand-1", openedAt: Start) with { Place = null };
        var db = _connections[0].GetDatabase();
        var key = $"{{{_prefix}:disputes}}:dispute:{old.Id}";
        await db.HashSetAsync(key, [new("json", JsonSerializer.Serialize(old, RedisDisputeJson.Default.Dispute)), new("cand", RedisKeys.Digest("cand-1")), new("opened", Start.ToUnixTimeMilliseconds())]);
        await db.SortedSetAddAsync($"{{{_prefix}:disputes}}:open", old.Id, Start.ToUnixTimeMilliseconds());
        await db.SetAddAsync($"{{{_prefix}:disputes}}:raised:{RedisKeys.Digest("cand-1")}", old.Id);

        Assert.Null(await NextForVoterAsync("voter-1"));
        Assert.Equal(VoteOutcome.Elsewhere, (await VoteAsync(old.Id, "voter-1", 3)).Outcome);
        Assert.Equal(0, (await Store.FindAsync(old.Id, default))!.Votes);

        Assert.Equal([old.Id], await Store.ClaimUntoldAsync(Start, Start.AddDays(15), TimeSpan.FromMinutes(15), 10, default));
        Assert.True(await Store.ToldAsync(old.Id, default));
        Assert.Null(await Store.FindAsync(old.Id, default));
    }

    /// <summary>
    /// A connection whose settling vote script, once answered, first lets <c>then</c> run, as another replica's
    /// forget-me can land between the script and the store's next command.
    /// </summary>
    public class RightAfterSettling : DispatchProxy
    {
        private object _inner = null!;
        private Func<Task> _then = null!;

        public static IConnectionMultiplexer Wrap(IConnectionMultiplexer redis, Func<Task> then)
        {
            var proxy = Create<IConnectionMultiplexer, RightAfterSettling>();
            var self = (RightAfterSettling)(object)proxy;
            self._inner = redis;
            self._then = then;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            object? result;
            try
            {
                result = targetMethod!.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }

            if (result is IDatabase database)
            {
                var proxy = Create<IDatabase, RightAfterSettling>();
                var self = (RightAfterSettling)(object)proxy;
                (self._inner, self._then) = (database, _then);
                return proxy;
            }

            return targetMethod!.Name == nameof(IDatabase.ScriptEvaluateAsync) && args![0] is string script && script.Contains("{'Settled'", StringComparison.Ordinal) && result is Task<RedisResult> answer
                ? ThenAsync(answer)
                : result;
        }

        private async Task<RedisResult> ThenAsync(Task<RedisResult> answer)
        {
            var reply = await answer;
            if (((RedisResult[])reply!)[0].ToString() == "Settled")
            {
                await _then();
            }

            return reply;
        }
    }
}
