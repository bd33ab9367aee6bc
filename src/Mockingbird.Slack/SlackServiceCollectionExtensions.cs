using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mockingbird.Chat;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Threads;
using Mockingbird.Drills;
using Mockingbird.Interview.Sessions;
using Mockingbird.Platforms;
using Mockingbird.Slack.Daily;
using Mockingbird.Slack.Disputes;
using Mockingbird.Slack.Drills;
using Mockingbird.Slack.Events;
using Mockingbird.Slack.SocketMode;
using Mockingbird.Slack.Web;
using Mockingbird.StudyGroups;

namespace Mockingbird.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// The Slack bot: validated <c>Slack</c> options, the Web API client, Socket Mode (or the HTTP endpoint the host
    /// maps with <see cref="SlackEndpoint.MapSlackEndpoint"/>), the bot's mapping of Slack events to the interview,
    /// and the output the judging workers post feedback through. Needs the interview core
    /// (<see cref="InterviewService"/>), <see cref="IInterviewThreads"/> and <see cref="IDeliveryLedger"/>.
    /// </summary>
    public static IServiceCollection AddSlackBot(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>()
            .BindConfiguration(SlackOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSlackWebApi();
        services.AddChatPlatform<SlackInterviewOutput>();
        services.TryAddSingleton<AcknowledgedWork>();
        services.AddSingleton<SlackBotIdentity>();

        // Study groups: the host adds their flow (AddStudyGroups) and store; Slack is the platform they post on.
        services.AddSingleton<SlackStudyGroups>();
        services.AddSingleton<IStudyGroupPlatform>(sp => sp.GetRequiredService<SlackStudyGroups>());
        services.AddSingleton<IDrillPlatform, SlackDrills>();
        services.AddSingleton<IDisputeMessenger, SlackDisputeMessenger>();
        services.AddSingleton<SlackDailyQuestions>();
        services.AddSingleton<SlackInterviewBot>();
        services.AddSingleton<ISlackEnvelopeHandler>(sp => sp.GetRequiredService<SlackInterviewBot>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
            return new SlackSignature(options.SigningSecret ?? throw new InvalidOperationException("Slack:SigningSecret is required for the HTTP endpoint."), options.SignatureWindow, sp.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService<SlackStartup>();
        services.AddSingleton<SlackSocketMode>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackSocketMode>());
        return services;
    }
}
