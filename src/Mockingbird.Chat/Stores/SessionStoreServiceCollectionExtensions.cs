using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Stores;

public static class SessionStoreServiceCollectionExtensions
{
    /// <summary>Binds <see cref="SessionStoreOptions"/> from the <c>Sessions</c> section, validated at start-up.</summary>
    public static IServiceCollection AddSessionStoreOptions(this IServiceCollection services)
    {
        services.AddOptions<SessionStoreOptions>()
            .BindConfiguration(SessionStoreOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>Registers the in-memory store and judging queue, for local practice with nothing configured.</summary>
    public static IServiceCollection AddInMemorySessionStore(this IServiceCollection services)
    {
        services.AddSessionStoreOptions();
        services.TryAddSingleton<InMemorySessionStore>();
        services.TryAddSingleton<ISessionStore>(sp => sp.GetRequiredService<InMemorySessionStore>());
        services.TryAddSingleton<IJudgingQueue>(sp => sp.GetRequiredService<InMemorySessionStore>());
        services.TryAddSingleton<IInterviewThreads, InMemoryInterviewThreads>();
        services.TryAddSingleton<IDeliveryLedger, InMemoryDeliveryLedger>();
        services.TryAddSingleton<IFeedbackRatings, InMemoryFeedbackRatings>();
        return services;
    }
}
