using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Experiments;

namespace Mockingbird.Sessions.Redis;

public static class RedisExperimentStoreServiceCollectionExtensions
{
    /// <summary>
    /// Keeps experiments in Redis, on the connection and key prefix of <see cref="RedisSessionStoreServiceCollectionExtensions.AddRedisSessionStore"/>
    /// (register that first), so every replica counts into the same arms and takes a stop exactly once.
    /// </summary>
    public static IServiceCollection AddRedisExperimentStore(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IExperimentStore, RedisExperimentStore>());
        return services;
    }
}
