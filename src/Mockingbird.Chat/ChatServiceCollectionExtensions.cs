using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Experiments;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Chat.Web;
using Mockingbird.Experiments;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

public static class ChatServiceCollectionExtensions
{
    /// <summary>
    /// The chat flow for one platform: <see cref="ChatInterviews"/> (once, whichever platform asks first) with its
    /// experiment commands and votes, and the platform's output, which replaces any <see cref="IInterviewOutput"/>
    /// registered before it so the judging workers post feedback in the platform's threads.
    /// </summary>
    public static IServiceCollection AddChatPlatform<TOutput>(this IServiceCollection services)
        where TOutput : class, IInterviewOutput
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => InterviewThreadCache.ForRetention(
            sp.GetRequiredService<TimeProvider>(),
            (sp.GetService<IOptions<SessionStoreOptions>>()?.Value ?? new SessionStoreOptions()).ThreadRetention));
        services.TryAddSingleton<ChatInterviews>();

        // Defaults for a bot with no experiment store and no web page; the host replaces them with its own.
        services.TryAddSingleton<IExperimentStore, InMemoryExperimentStore>();
        services.TryAddSingleton<IDashboardLinks, NoDashboardLinks>();
        services.TryAddSingleton<ExperimentCommands>();
        services.TryAddSingleton<ExperimentVotes>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonalDataKeeper, ExperimentMemory>());
        services.AddSingleton<TOutput>();
        services.Replace(ServiceDescriptor.Singleton<IInterviewOutput>(sp => sp.GetRequiredService<TOutput>()));
        return services;
    }
}
