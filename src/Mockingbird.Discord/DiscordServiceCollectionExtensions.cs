using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mockingbird.Chat;
using Mockingbird.Chat.Threads;
using Mockingbird.Discord.Daily;
using Mockingbird.Discord.Disputes;
using Mockingbird.Discord.Drills;
using Mockingbird.Discord.Gateway;
using Mockingbird.Discord.Interactions;
using Mockingbird.Discord.Rest;
using Mockingbird.Drills;
using Mockingbird.Interview.Sessions;
using Mockingbird.Platforms;
using Mockingbird.StudyGroups;

namespace Mockingbird.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// The Discord bot: validated <c>Discord</c> options, the REST client, the gateway, the bot's mapping of events
    /// to the interview, and the output the judging workers post feedback through. Needs the interview core
    /// (<see cref="InterviewService"/>) and <see cref="IInterviewThreads"/> registered by the host, and study groups
    /// (<see cref="StudyGroupServiceCollectionExtensions.AddStudyGroups"/> and a store), whose platform this registers.
    /// </summary>
    public static IServiceCollection AddDiscordBot(this IServiceCollection services)
    {
        services.AddOptions<DiscordOptions>()
            .BindConfiguration(DiscordOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddDiscordRest();
        services.AddSingleton<DiscordPostOnce>();
        services.AddChatPlatform<DiscordInterviewOutput>();
        services.AddSingleton<DiscordInterviewBot>();
        services.AddSingleton<DiscordStudyGroups>();
        services.AddSingleton<IStudyGroupPlatform>(sp => sp.GetRequiredService<DiscordStudyGroups>());
        services.AddSingleton<IDrillPlatform, DiscordDrills>();
        services.AddSingleton<IDisputeMessenger, DiscordDisputeMessenger>();
        services.AddSingleton<DiscordThreadCatchUp>();
        services.AddSingleton<IGatewayDispatchHandler, DiscordDispatchHandler>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
            return new InteractionSignature(options.PublicKey ?? throw new InvalidOperationException("Discord:PublicKey is required for the interactions endpoint."), options.SignatureWindow, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<AcknowledgedWork>();
        services.AddHostedService<DiscordStartup>();
        services.AddSingleton<GatewaySessions>();
        services.AddSingleton<DiscordGateway>();
        services.AddHostedService(sp => sp.GetRequiredService<DiscordGateway>());
        return services;
    }
}
