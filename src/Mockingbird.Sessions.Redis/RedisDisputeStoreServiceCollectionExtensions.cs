using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mockingbird.Disputes;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

public static class RedisDisputeStoreServiceCollectionExtensions
{
    /// <summary>
    /// Keeps disputes in Redis, on the connection and key prefix of <see cref="RedisSessionStoreServiceCollectionExtensions.AddRedisSessionStore"/>
    /// (register that first), so every replica offers, counts and settles the same disputes and knows the same voters.
    /// </summary>
    public static IServiceCollection AddRedisDisputeStore(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IDisputeStore, RedisDisputeStore>());
        services.TryAddSingleton<RedisDisputeVoters>();
        services.Replace(ServiceDescriptor.Singleton<IDisputeVoters>(sp => sp.GetRequiredService<RedisDisputeVoters>()));
        services.AddHostedService<RedisDisputeStartup>();
        return services;
    }
}

/// <summary>Deletes what an earlier version kept about voters and this one no longer reads.</summary>
internal sealed partial class RedisDisputeStartup(RedisDisputeVoters voters, ILogger<RedisDisputeStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await voters.DropRetiredOptInsAsync())
            {
                Log.RetiredOptInsDropped(logger);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The set is read by nothing, so the host starts anyway; the next start deletes it.
            Log.RetiredOptInsKept(logger, ex.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Deleted the retired set of dispute voters opted in anywhere; opt-ins are kept per server or workspace")]
        public static partial void RetiredOptInsDropped(ILogger logger);

        [LoggerMessage(2, LogLevel.Warning, "The retired set of dispute voters could not be deleted ({ExceptionType}); the next start tries again")]
        public static partial void RetiredOptInsKept(ILogger logger, string exceptionType);
    }
}
