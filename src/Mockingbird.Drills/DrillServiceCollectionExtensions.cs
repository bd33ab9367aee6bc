using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Chat;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Drills;

public static class DrillServiceCollectionExtensions
{
    /// <summary>
    /// Practice that comes back: the <c>drills</c> command, the scheduler that sends drills and forget-me for them.
    /// Drills are kept in memory unless a Redis drill store replaces it; they are sent once the platform registers an
    /// <see cref="IDrillPlatform"/>.
    /// </summary>
    public static IServiceCollection AddDrills(this IServiceCollection services)
    {
        services.AddOptions<DrillOptions>()
            .BindConfiguration(DrillOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDrillStore, InMemoryDrillStore>();
        services.TryAddSingleton<DrillPlans>();
        services.TryAddSingleton<DrillQuestions>();
        services.TryAddSingleton<DrillCommands>();
        services.TryAddSingleton<IDrillCommands>(sp => sp.GetRequiredService<DrillCommands>());
        services.TryAddSingleton<DrillAnswers>();
        services.TryAddSingleton<DrillAnswerJudging>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJudgingJobHandler, DrillAnswerJudging>(sp => sp.GetRequiredService<DrillAnswerJudging>()));
        services.TryAddSingleton<DrillScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<DrillScheduler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonalDataKeeper, DrillMemory>());
        return services;
    }
}
