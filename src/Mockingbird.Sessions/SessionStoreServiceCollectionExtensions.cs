using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Sessions;

public static class SessionStoreServiceCollectionExtensions
{
    /// <summary>Registers the in-memory store, for local practice with nothing configured.</summary>
    public static IServiceCollection AddInMemorySessionStore(this IServiceCollection services)
    {
        services.TryAddSingleton<ISessionStore, InMemorySessionStore>();
        return services;
    }
}
