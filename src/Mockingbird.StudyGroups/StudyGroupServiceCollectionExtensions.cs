using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mockingbird.Chat;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.StudyGroups;

public static class StudyGroupServiceCollectionExtensions
{
    /// <summary>
    /// Runs study groups' daily questions in this host: the rounds, the commands, the scheduler and the judging of daily answers. The
    /// host also registers a store (<see cref="AddInMemoryStudyGroupStore"/> or Redis) and its platform's
    /// <see cref="IStudyGroupPlatform"/>.
    /// </summary>
    public static IServiceCollection AddStudyGroups(this IServiceCollection services)
    {
        services.AddOptions<StudyGroupOptions>()
            .BindConfiguration(StudyGroupOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<DailyRounds>();
        services.TryAddSingleton<DailyCommands>();
        services.TryAddSingleton<DailyScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<DailyScheduler>());
        services.TryAddSingleton<DailyAnswerJudging>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJudgingJobHandler, DailyAnswerJudging>(sp => sp.GetRequiredService<DailyAnswerJudging>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonalDataKeeper, StudyGroupMemory>());
        return services;
    }

    /// <summary>Keeps study groups in memory, beside the in-memory session store and judging queue.</summary>
    public static IServiceCollection AddInMemoryStudyGroupStore(this IServiceCollection services)
    {
        services.AddInMemorySessionStore();
        services.TryAddSingleton<IStudyGroupStore, InMemoryStudyGroupStore>();
        return services;
    }
}
