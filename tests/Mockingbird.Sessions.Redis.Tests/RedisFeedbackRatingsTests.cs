using Mockingbird.Chat.Ratings;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

[Collection(nameof(RedisCollection))]
public sealed class RedisFeedbackRatingsTests(RedisFixture fixture) : FeedbackRatingsContract
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private ConnectionMultiplexer _redis = null!;

    [Fact]
    public async Task Stored_keys_and_counts_do_not_name_who_voted_or_on_which_message()
    {
        await Ratings.RecordAsync(new FeedbackRating("discord:4242", "m-77", "judge-design@v1", Helpful: true), default);

        var server = _redis.GetServer(_redis.GetEndPoints()[0]);
        var keys = server.Keys(pattern: $"{{{_prefix}:ratings}}:*").Select(key => (RedisKey)key.ToString()).ToList();
        var stored = new List<string>();
        foreach (var key in keys)
        {
            stored.Add(key.ToString());
            stored.AddRange(await _redis.GetDatabase().KeyTypeAsync(key) == RedisType.Hash
                ? (await _redis.GetDatabase().HashGetAllAsync(key)).Select(entry => $"{entry.Name}={entry.Value}")
                : [(await _redis.GetDatabase().StringGetAsync(key)).ToString()]);
        }

        Assert.Equal(2, keys.Count);
        Assert.All(stored, text => Assert.DoesNotContain("4242", text, StringComparison.Ordinal));
        Assert.All(stored, text => Assert.DoesNotContain("m-77", text, StringComparison.Ordinal));
    }

    protected override async Task<IFeedbackRatings> CreateAsync()
    {
        _redis = await RedisFixture.ConnectAsync(fixture.Server);
        return new RedisFeedbackRatings(
            _redis,
            Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }));
    }

    public override async Task DisposeAsync() => await _redis.DisposeAsync();
}
