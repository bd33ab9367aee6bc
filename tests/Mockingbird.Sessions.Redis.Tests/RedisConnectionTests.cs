using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Mockingbird.Testing;

namespace Mockingbird.Sessions.Redis.Tests;

public sealed class RedisConnectionTests
{
    [Fact]
    public async Task A_server_that_is_down_at_start_gives_a_connection_that_comes_up_with_the_server()
    {
        await using var server = await RedisServer.StartAsync();
        await server.StopAsync();

        await using var redis = await RedisConnection.ConnectAsync(Configuration(new() { ["Redis:Configuration"] = $"{server.Endpoint},connectTimeout=300" }));
        Assert.False(redis.IsConnected);
        await server.RestartAsync();

        await Poll.UntilAsync(() => redis.IsConnected, "the connection to come up once the server is back", TimeSpan.FromSeconds(30));
        Assert.Equal("PONG", (await redis.GetDatabase().ExecuteAsync("PING")).ToString());
    }

    [Fact]
    public void A_setting_the_client_cannot_read_is_refused_before_connecting_without_repeating_it()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => RedisConnection.ReadOptions(Configuration(new() { ["Redis:Configuration"] = "127.0.0.1:6379,password=kept-secret,colour=blue" })));

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("Redis:Configuration could not be read", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("kept-secret", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_connection_string_is_the_fallback_when_no_redis_setting_is_given() =>
        Assert.Equal("redis-1:6379", RedisConnection.ReadOptions(Configuration(new() { ["ConnectionStrings:Redis"] = "redis-1:6379" })).Configuration);

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
