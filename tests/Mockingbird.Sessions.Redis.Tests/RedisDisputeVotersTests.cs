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
    public async Task The_opt_ins_sit_under_the_disputes_tag_name_people_only_by_digest_and_hold_the_places()
    {
        await Voters.SetOptedInAsync("voter-secret", SampleDisputes.Place, true, default);

        var keys = _connections[0].GetServers().Single().Keys(pattern: $"*{_prefix}*").Select(k => (string)k!).ToList();

        var key = Assert.Single(keys);
        Assert.Equal($"{{{_prefix}:disputes}}:voter:{RedisKeys.Digest("voter-secret")}", key);
        Assert.Equal([SampleDisputes.Place], (await _connections[0].GetDatabase().SetMembersAsync(key)).Select(v => (string)v!));
    }

    [Fact]
    public async Task An_opt_in_kept_from_before_places_counts_nowhere_and_forget_me_still_removes_it()
    {
        var db = _connections[0].GetDatabase();
        var old = $"{{{_prefix}:disputes}}:voters";
        await db.SetAddAsync(old, [RedisKeys.Digest("voter-1"), RedisKeys.Digest("voter-2")]);

        Assert.False(await Voters.IsOptedInAsync("voter-1", SampleDisputes.Place, default));
        Assert.Equal(1, await Voters.ForgetAsync("voter-1", default));
        Assert.Equal([RedisKeys.Digest("voter-2")], (await db.SetMembersAsync(old)).Select(v => (string)v!));
    }

    [Fact]
    public async Task The_retired_set_of_people_opted_in_anywhere_is_deleted_as_a_host_starts_and_opt_ins_per_place_stay()
    {
        var db = _connections[0].GetDatabase();
        var old = $"{{{_prefix}:disputes}}:voters";
        await db.SetAddAsync(old, [RedisKeys.Digest("voter-1"), RedisKeys.Digest("voter-2")]);
        await Voters.SetOptedInAsync("voter-1", SampleDisputes.Place, true, default);
        var startup = new RedisDisputeStartup((RedisDisputeVoters)Voters, Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisDisputeStartup>.Instance);

        await startup.StartAsync(default);
        await startup.StartAsync(default);

        Assert.False(await db.KeyExistsAsync(old));
        Assert.True(await Voters.IsOptedInAsync("voter-1", SampleDisputes.Place, default));
    }

    [Fact]
    public async Task A_host_that_cannot_reach_redis_as_it_starts_leaves_the_retired_set_for_its_next_start()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = await RedisFixture.ConnectAsync(server);
        await redis.GetDatabase().SetAddAsync($"{{{_prefix}:disputes}}:voters", RedisKeys.Digest("voter-1"));
        var logger = new RecordingLogger<RedisDisputeStartup>();
        var startup = new RedisDisputeStartup(new RedisDisputeVoters(redis, Options()), logger);
        await server.StopAsync();

        await startup.StartAsync(default);

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, entry.Level);
        Assert.Contains("the next start tries again", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_me_takes_a_persons_opt_in_out_of_redis_with_their_disputes()
    {
        var store = new RedisDisputeStore(_connections[0], Options());
        await Voters.SetOptedInAsync("voter-1", SampleDisputes.Place, true, default);
        await Voters.SetOptedInAsync("voter-2", SampleDisputes.Place, true, default);
        await store.OpenAsync(SampleDisputes.Dispute("voter-1"), default);

        var forgotten = await new DisputeMemory(store, Voters).ForgetAsync("voter-1", default);

        Assert.Equal(2, forgotten);
        Assert.False(await (await AnotherReplicaAsync()).IsOptedInAsync("voter-1", SampleDisputes.Place, default));
        Assert.True(await Voters.IsOptedInAsync("voter-2", SampleDisputes.Place, default));
    }
}
