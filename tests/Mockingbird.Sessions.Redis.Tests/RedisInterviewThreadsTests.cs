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

    protected override async Task<IInterviewThreads> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        _redis = await RedisFixture.ConnectAsync(fixture.Server);
        return new RedisInterviewThreads(_redis, Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }));
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();

    protected override async Task ElapseAsync(TimeSpan duration)
    {
        // Key expiry is the server's own clock.
        Time.Advance(duration);
        await Task.Delay(duration);
    }
}
