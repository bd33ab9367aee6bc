using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterSessionStoreContractTests(ClusterFixture fixture) : SessionStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;
    private RedisSessionStore _store = null!;

    protected override async Task<(ISessionStore Store, IJudgingQueue Queue)> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        (_redis, _store) = await RedisFixture.OpenStoreAsync(fixture.Cluster.Endpoints, options, time, _prefix);
        return (_store, _store);
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();

    protected override Task<IReadOnlyList<(JudgeJob Job, string Reason)>> DeadLettersAsync() => _store.DeadLettersAsync();
}
