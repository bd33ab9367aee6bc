using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;
using Mockingbird.Experiments;

namespace Mockingbird.Host.Experiments;

public static class ExperimentsServiceCollectionExtensions
{
    /// <summary>
    /// The experiments' settings (validated at start), their reports and, unless another store is registered, an
    /// in-memory store; the catalog is whichever <see cref="IExperimentCatalog"/> is registered, else none. A host
    /// also runs the guard that stops arms past their guardrails and tells the admins, and the refresher that keeps
    /// this replica's copy of the stopped arms and opt-outs current (the command line never starts them).
    /// </summary>
    public static IServiceCollection AddExperiments(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ExperimentsOptions>()
            .Bind(configuration.GetSection(ExperimentsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IExperimentCatalog, EmptyExperimentCatalog>();

        // The Redis store replaces this one (services.Replace), as the Redis session and study-group stores do.
        services.TryAddSingleton<IExperimentStore, InMemoryExperimentStore>();
        services.TryAddSingleton(sp => new ExperimentReports(
            sp.GetRequiredService<IExperimentCatalog>(),
            sp.GetRequiredService<IExperimentStore>(),
            sp.GetRequiredService<IOptions<ExperimentsOptions>>().Value.PriceTable(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<ExperimentsOptions>>().Value.AdminPlaceSet());
        services.AddSessionStoreOptions();
        services.TryAddSingleton<ExperimentGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<ExperimentGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExperimentControlRefresh, PromptChoiceControl>(sp => new PromptChoiceControl(sp.GetService<ExperimentControlCache>())));
        services.TryAddSingleton<ExperimentControlRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ExperimentControlRefresher>());
        return services;
    }
}
