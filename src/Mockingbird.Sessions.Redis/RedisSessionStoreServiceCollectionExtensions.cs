using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
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
    /// Registers the Redis store and judging queue on one multiplexer per process. The connection comes from
    /// <c>Redis:Configuration</c> or <c>ConnectionStrings:Redis</c>; it reconnects by itself after a server restart.
    /// </summary>
    public static IServiceCollection AddRedisSessionStore(this IServiceCollection services)
    {
        services.AddSessionStoreOptions();
        services.AddOptions<RedisOptions>()
            .BindConfiguration(RedisOptions.Section)
            .Configure<IConfiguration>((options, configuration) => options.Configuration ??= configuration.GetConnectionString("Redis"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var configuration = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration!);
            configuration.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(configuration);
        });
        services.TryAddSingleton<RedisSessionStore>();
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp => sp.GetRequiredService<RedisSessionStore>()));
        services.Replace(ServiceDescriptor.Singleton<IJudgingQueue>(sp => sp.GetRequiredService<RedisSessionStore>()));
        services.Replace(ServiceDescriptor.Singleton<IInterviewThreads, RedisInterviewThreads>());
        services.Replace(ServiceDescriptor.Singleton<IDeliveryLedger, RedisDeliveryLedger>());
        services.Replace(ServiceDescriptor.Singleton<IFeedbackRatings, RedisFeedbackRatings>());
        services.AddHostedService<RedisStoreStartup>();
        return services;
    }
}

/// <summary>Creates the judging consumer groups (and checks the shard count) before the host takes traffic.</summary>
internal sealed class RedisStoreStartup(RedisSessionStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureConsumerGroupsAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
