using Microsoft.Extensions.Configuration;
using Mockingbird.Disputes;
using Mockingbird.Sessions.Redis;

namespace Mockingbird.Host.Cli;

/// <summary>The labelled set of settled disputes, read from the bot's Redis for <c>eval --settled</c>.</summary>
internal static class SettledDisputes
{
    /// <returns>The settled cases, or the problem that kept them from being read.</returns>
    public static async Task<(IReadOnlyList<SettledCase>? Cases, string? Problem)> ReadAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var hasRedis = !string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Configuration"]) || !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis"));
        if (!hasRedis)
        {
            return (null, "Settled disputes live in the bot's Redis, and none is configured: set MOCKINGBIRD_Redis__Configuration (see README).");
        }

        try
        {
            var redisOptions = RedisConnection.ReadOptions(configuration);
            var options = StackExchange.Redis.ConfigurationOptions.Parse(redisOptions.Configuration!);
            options.AbortOnConnectFail = true;
            await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options);
            return (await new RedisDisputeStore(redis, Microsoft.Extensions.Options.Options.Create(redisOptions)).SettledAsync(cancellationToken), null);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The exception's message can carry the connection string, password included: name the type only.
            return (null, $"Could not reach the bot's Redis ({ex.GetType().Name}); check the Redis setting and that the server is up.");
        }
    }
}
