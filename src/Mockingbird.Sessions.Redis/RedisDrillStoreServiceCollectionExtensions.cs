using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Drills;

namespace Mockingbird.Sessions.Redis;

public static class RedisDrillStoreServiceCollectionExtensions
{
    /// <summary>
    /// Keeps drill plans in Redis, on the connection of <see cref="RedisSessionStoreServiceCollectionExtensions.AddRedisSessionStore"/>
    /// (register that first), so every replica claims from one due index.
    /// </summary>
    public static IServiceCollection AddRedisDrillStore(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IDrillStore, RedisDrillStore>());
        return services;
    }
}
