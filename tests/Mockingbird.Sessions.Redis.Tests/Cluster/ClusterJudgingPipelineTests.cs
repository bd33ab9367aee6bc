using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterJudgingPipelineTests(ClusterFixture fixture) : JudgingPipelineContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;

    protected override async Task<(ISessionStore Store, IJudgingQueue Queue)> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        (_redis, var store) = await RedisFixture.OpenStoreAsync(fixture.Cluster.Endpoints, options, time, _prefix);
        return (store, store);
    }

    protected override Task<IDeliveryLedger> CreateLedgerAsync(SessionStoreOptions options, FakeTimeProvider time) =>
        Task.FromResult<IDeliveryLedger>(new RedisDeliveryLedger(
            _redis,
            Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }),
            time));

    public override async Task DisposeAsync() => await _redis.DisposeAsync();
}
