using Mockingbird.Experiments;
using Mockingbird.Testing.Contracts;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterExperimentStoreTests(ClusterFixture fixture) : ExperimentStoreContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;

    protected override async Task<IExperimentStore> CreateAsync()
    {
        _redis = await RedisFixture.ConnectAsync(fixture.Cluster.Endpoints);
        return new RedisExperimentStore(_redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }));
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();
}
