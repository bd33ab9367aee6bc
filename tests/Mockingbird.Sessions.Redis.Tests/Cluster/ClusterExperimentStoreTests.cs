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

    [Fact]
    public async Task A_vote_changed_on_a_feedback_first_counted_in_another_arm_moves_its_count_out_of_that_arm()
    {
        await RecordAsync(Vote("ann", "f-1", helpful: false, arm: Baseline));

        await RecordAsync(Vote("ann", "f-1", helpful: true));

        Assert.Equal((0L, new ShareCount(0, 0)), ((await ArmAsync(Baseline)).Votes, (await ArmAsync(Baseline)).HelpfulRaters));
        Assert.Equal((1L, new ShareCount(1, 1)), ((await ArmAsync()).Votes, (await ArmAsync()).HelpfulRaters));
    }
}
