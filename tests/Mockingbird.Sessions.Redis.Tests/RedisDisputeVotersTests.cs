using Mockingbird.Disputes;
using Mockingbird.Testing;
using Mockingbird.Testing.Contracts;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

[Collection(nameof(RedisCollection))]
public sealed class RedisDisputeVotersTests(RedisFixture fixture) : DisputeVotersContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override async Task<IDisputeVoters> CreateAsync() => await OpenAsync();

    protected override async Task<IDisputeVoters> AnotherReplicaAsync() => await OpenAsync();

    public override async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<RedisDisputeVoters> OpenAsync()
    {
        var redis = await RedisFixture.ConnectAsync(fixture.Server);
        _connections.Add(redis);
        return new RedisDisputeVoters(redis, Options());
    }

    private Microsoft.Extensions.Options.IOptions<RedisOptions> Options() =>
        Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix });

    [Fact]
    public async Task The_opt_ins_sit_under_the_disputes_tag_and_name_people_only_by_digest()
    {
        await Voters.SetOptedInAsync("voter-secret", true, default);

        var keys = _connections[0].GetServers().Single().Keys(pattern: $"*{_prefix}*").Select(k => (string)k!).ToList();

        var key = Assert.Single(keys);
        Assert.StartsWith($"{{{_prefix}:disputes}}:", key, StringComparison.Ordinal);
        Assert.Equal([RedisKeys.Digest("voter-secret")], (await _connections[0].GetDatabase().SetMembersAsync(key)).Select(v => (string)v!));
    }

    [Fact]
    public async Task Forget_me_takes_a_persons_opt_in_out_of_redis_with_their_disputes()
    {
        var store = new RedisDisputeStore(_connections[0], Options());
        await Voters.SetOptedInAsync("voter-1", true, default);
        await Voters.SetOptedInAsync("voter-2", true, default);
        await store.OpenAsync(SampleDisputes.Dispute("voter-1"), default);

        var forgotten = await new DisputeMemory(store, Voters).ForgetAsync("voter-1", default);

        Assert.Equal(2, forgotten);
        Assert.False(await (await AnotherReplicaAsync()).IsOptedInAsync("voter-1", default));
        Assert.True(await Voters.IsOptedInAsync("voter-2", default));
    }
}
