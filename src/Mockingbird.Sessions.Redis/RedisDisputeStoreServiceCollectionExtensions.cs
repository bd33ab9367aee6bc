using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Disputes;

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
        services.Replace(ServiceDescriptor.Singleton<IDisputeVoters, RedisDisputeVoters>());
        return services;
    }
}
