using Mockingbird.Disputes;
using Mockingbird.Testing.Contracts;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests.Cluster;

[Collection(nameof(ClusterCollection))]
public sealed class ClusterDisputeVotersTests(ClusterFixture fixture) : DisputeVotersContract
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
        var redis = await RedisFixture.ConnectAsync(fixture.Cluster.Endpoints);
        _connections.Add(redis);
        return new RedisDisputeVoters(redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }));
    }
}
