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
}
