using Mockingbird.Chat.Ratings;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterFeedbackRatingsTests(ClusterFixture fixture) : FeedbackRatingsContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;

    protected override async Task<IFeedbackRatings> CreateAsync()
    {
        _redis = await RedisFixture.ConnectAsync(fixture.Cluster.Endpoints);
        return new RedisFeedbackRatings(_redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }));
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();
}
