using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Opens the process's Redis connection before the container is built, so no service factory blocks on the network.
/// </summary>
public static class RedisConnection
{
    /// <summary>
    /// The Redis settings bound and validated exactly as the store's registration does, so a bad setting throws the same
    /// <see cref="OptionsValidationException"/> (naming the setting, never repeating the connection string) it would at start-up.
    /// </summary>
    public static RedisOptions ReadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var factory = new OptionsFactory<RedisOptions>(
            [new ConfigureNamedOptions<RedisOptions>(Options.DefaultName, options => RedisSessionStoreServiceCollectionExtensions.Bind(options, configuration))],
            [],
            [new DataAnnotationValidateOptions<RedisOptions>(Options.DefaultName)]);
        return factory.Create(Options.DefaultName);
    }

    /// <summary>
    /// Connects the way the bot always has: with <see cref="ConfigurationOptions.AbortOnConnectFail"/> off, a server that
    /// is down yields a multiplexer that keeps reconnecting in the background (start-up then fails on the store's first
    /// command, and an outage later heals by itself) instead of an exception here.
    /// </summary>
    public static async Task<IConnectionMultiplexer> ConnectAsync(IConfiguration configuration)
    {
        var options = ConfigurationOptions.Parse(ReadOptions(configuration).Configuration!);
        options.AbortOnConnectFail = false;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }
}
