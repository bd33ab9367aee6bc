using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterInterviewThreadsTests(ClusterFixture fixture) : InterviewThreadsContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;

    protected override async Task<IInterviewThreads> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        _redis = await RedisFixture.ConnectAsync(fixture.Cluster.Endpoints);
        return new RedisInterviewThreads(
            _redis,
            Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }),
            time);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();
}
