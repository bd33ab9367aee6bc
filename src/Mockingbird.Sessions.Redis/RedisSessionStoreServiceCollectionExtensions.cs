using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Sessions;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis;

public static class RedisSessionStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Redis store and judging queue on the process's one multiplexer, opened beforehand by
    /// <see cref="RedisConnection.ConnectAsync"/> (or by the caller, as it needs). The container owns it from here and
    /// disposes it with everything else.
    /// </summary>
    public static IServiceCollection AddRedisSessionStore(this IServiceCollection services, IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        services.AddSessionStoreOptions();
        services.AddRedisOptions();
        services.TryAddSingleton(TimeProvider.System);

        // A factory rather than an instance: the container disposes what its factories return, as it did when it connected.
        services.TryAddSingleton(_ => connection);
        services.TryAddSingleton<RedisSessionStore>();
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp => sp.GetRequiredService<RedisSessionStore>()));
        services.Replace(ServiceDescriptor.Singleton<IJudgingQueue>(sp => sp.GetRequiredService<RedisSessionStore>()));
        services.Replace(ServiceDescriptor.Singleton<IInterviewThreads, RedisInterviewThreads>());
        services.Replace(ServiceDescriptor.Singleton<IDeliveryLedger, RedisDeliveryLedger>());
        services.Replace(ServiceDescriptor.Singleton<IFeedbackRatings, RedisFeedbackRatings>());
        services.AddHostedService<RedisStoreStartup>();
        return services;
    }

    private static void AddRedisOptions(this IServiceCollection services) =>
        services.AddOptions<RedisOptions>().Configure<IConfiguration>(Bind).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>The connection comes from <c>Redis:Configuration</c> or <c>ConnectionStrings:Redis</c>.</summary>
    internal static void Bind(RedisOptions options, IConfiguration configuration)
    {
        configuration.GetSection(RedisOptions.Section).Bind(options);
        options.Configuration ??= configuration.GetConnectionString("Redis");
    }
}

/// <summary>Creates the judging consumer groups (and checks the shard count) before the host takes traffic.</summary>
internal sealed class RedisStoreStartup(RedisSessionStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureConsumerGroupsAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
