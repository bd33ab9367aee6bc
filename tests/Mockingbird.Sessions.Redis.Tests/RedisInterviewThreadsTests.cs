using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

[Collection(nameof(RedisCollection))]
public sealed class RedisInterviewThreadsTests(RedisFixture fixture) : InterviewThreadsContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;

    [Fact]
    public async Task A_thread_stored_without_an_expiry_by_an_earlier_version_is_found_and_then_kept_for_the_retention()
    {
        var (db, key) = await ThreadKeyAsync("c-1", "thread-1");
        await db.StringSetAsync(key, "thread-0", TimeSpan.FromMinutes(5));

        Assert.Equal("thread-0", await Threads.FindAsync("c-1", default));
        Assert.InRange((await db.KeyTimeToLiveAsync(key))!.Value, Options.ThreadRetention - TimeSpan.FromMinutes(1), Options.ThreadRetention);
        Time.Advance(Options.ThreadRetention);
        Assert.Null(await Threads.FindAsync("c-1", default));
    }

    [Fact]
    public async Task Finding_a_thread_within_a_tenth_of_its_retention_writes_nothing_and_finding_it_later_starts_the_retention_again()
    {
        var (db, key) = await ThreadKeyAsync("c-1", "thread-1");
        var asSet = await db.StringGetAsync(key);

        Time.Advance(Options.ThreadRetention * 0.09);
        var foundEarly = await Threads.FindAsync("c-1", default);
        var afterEarlyFind = await db.StringGetAsync(key);
        Time.Advance(Options.ThreadRetention * 0.02);
        var foundLater = await Threads.FindAsync("c-1", default);

        Assert.Equal("thread-1", foundEarly);
        Assert.Equal(asSet, afterEarlyFind);
        Assert.Equal("thread-1", foundLater);
        Assert.Equal($"{(Time.GetUtcNow() + Options.ThreadRetention).ToUnixTimeMilliseconds()}\nthread-1", (string?)await db.StringGetAsync(key));
        Assert.InRange((await db.KeyTimeToLiveAsync(key))!.Value, Options.ThreadRetention - TimeSpan.FromMinutes(1), Options.ThreadRetention);
    }

    [Fact]
    public async Task A_thread_stored_without_an_expiry_by_an_earlier_version_is_let_go_of_only_by_its_own_name()
    {
        var (db, key) = await ThreadKeyAsync("c-1", "thread-1");
        await db.StringSetAsync(key, "thread-0", TimeSpan.FromMinutes(5));

        Assert.False(await Threads.RemoveIfCurrentAsync("c-1", "thread-1", default));
        Assert.Equal("thread-0", (string?)await db.StringGetAsync(key));
        Assert.True(await Threads.RemoveIfCurrentAsync("c-1", "thread-0", default));
        Assert.False(await db.KeyExistsAsync(key));
    }

    /// <summary>Sets the candidate's thread and finds the key it went to, to be read or damaged directly.</summary>
    private async Task<(IDatabase Db, string Key)> ThreadKeyAsync(string candidate, string thread)
    {
        await Threads.SetAsync(candidate, thread, default);
        return (_redis.GetDatabase(), (string)_redis.GetServer(fixture.Server.Endpoint).Keys(pattern: $"{{{_prefix}:*:thread:{candidate}").Single()!);
    }

    protected override async Task<IInterviewThreads> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        _redis = await RedisFixture.ConnectAsync(fixture.Server);
        return new RedisInterviewThreads(_redis, Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }), time);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();
}
