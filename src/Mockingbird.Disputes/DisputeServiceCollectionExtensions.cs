using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Chat;

namespace Mockingbird.Disputes;

public static class DisputeServiceCollectionExtensions
{
    /// <summary>
    /// Contestable scores: the desk the chat layer calls, the outcomes' delivery to candidates (a pass on every
    /// replica), forget-me for them, the baseline gate at start-up, and —
    /// unless a Redis store is registered — in-memory disputes. Voters' opt-ins are in memory until study groups keep them.
    /// </summary>
    public static IServiceCollection AddDisputes(this IServiceCollection services)
    {
        services.AddOptions<DisputeOptions>()
            .BindConfiguration(DisputeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDisputeStore, InMemoryDisputeStore>();
        services.TryAddSingleton<IDisputeVoters, InMemoryDisputeVoters>();
        services.TryAddSingleton<DisputeDesk>();
        services.TryAddSingleton<DisputeOutcomeDelivery>();
        services.AddHostedService(provider => provider.GetRequiredService<DisputeOutcomeDelivery>());
        services.TryAddSingleton<IDisputeCommands, DisputeCommands>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonalDataKeeper, DisputeMemory>());
        services.AddHostedService<BaselineAgreementCheck>();
        return services;
    }
}
