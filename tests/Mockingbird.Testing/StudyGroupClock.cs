using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mockingbird.StudyGroups;

namespace Mockingbird.Testing;

/// <summary>
/// Puts a composed bot's study groups on a clock of the test's own, so a test can live through days while the rest
/// of the bot (sockets, HTTP, judging workers) runs on real time. The scheduler's own loop is turned off: the test
/// ticks it, and so decides when each replica looks.
/// </summary>
public static class StudyGroupClock
{
    /// <summary>Call after the host has registered study groups and their store (in the builder's last say).</summary>
    public static IServiceCollection RunStudyGroupsOn(this IServiceCollection services, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = services.LastOrDefault(d => d.ServiceType == typeof(IStudyGroupStore))?.ImplementationType
            ?? throw new InvalidOperationException("Register a study-group store by its type before moving study groups onto a test clock.");
        services.Replace(ServiceDescriptor.Singleton(typeof(IStudyGroupStore), sp => ActivatorUtilities.CreateInstance(sp, store, clock)));
        services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<DailyRounds>(sp, clock)));
        services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<DailyCommands>(sp, clock)));
        services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<DailyScheduler>(sp, clock, Options.Create(new StudyGroupOptions { Enabled = false }))));
        return services;
    }
}
