using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterStudyGroupStoreTests(ClusterFixture fixture) : StudyGroupStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;

    protected override async Task<(IStudyGroupStore Store, IJudgingQueue Queue)> CreateAsync(StudyGroupOptions options, FakeTimeProvider time)
    {
        RedisSessionStore queue;
        (_redis, queue) = await RedisFixture.OpenStoreAsync(fixture.Cluster.Endpoints, new SessionStoreOptions(), time, _prefix);
        var store = new RedisStudyGroupStore(
            _redis,
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }),
            Microsoft.Extensions.Options.Options.Create(options),
            time);
        return (store, queue);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();
}
