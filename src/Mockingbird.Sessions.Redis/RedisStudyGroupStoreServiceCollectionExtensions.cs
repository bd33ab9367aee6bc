using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.StudyGroups;

namespace Mockingbird.Sessions.Redis;

public static class RedisStudyGroupStoreServiceCollectionExtensions
{
    /// <summary>
    /// Keeps study groups in Redis, on the connection and shards of <see cref="RedisSessionStoreServiceCollectionExtensions.AddRedisSessionStore"/>
    /// (register that first): a round's judging jobs go to the same durable queue as interview turns.
    /// </summary>
    public static IServiceCollection AddRedisStudyGroupStore(this IServiceCollection services)
    {
        services.AddOptions<StudyGroupOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.Replace(ServiceDescriptor.Singleton<IStudyGroupStore, RedisStudyGroupStore>());
        return services;
    }
}
