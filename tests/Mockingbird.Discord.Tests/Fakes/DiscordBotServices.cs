using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Host.Cli;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.Fakes;

/// <summary>
/// The bot's services as the bot tests run them: answers judged through the queue by a worker the test drives, the
/// in-memory stores, study groups, and the fake Discord, all on the test's clock.
/// </summary>
internal static class DiscordBotServices
{
    /// <param name="configure">Registrations that replace the defaults (a chart, disputes), made before the bot's own.</param>
    public static ServiceProvider Build(FakeDiscordApi api, string token, FakeTimeProvider clock, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:BotToken"] = token,
            ["Discord:ApplicationId"] = DiscordEvents.ApplicationId,
            ["Discord:ApiBaseUrl"] = api.ApiBaseUrl.ToString(),
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInterviewCore(configuration, JudgingMode.Queued);
        services.AddSingleton<TimeProvider>(clock);
        services.AddStudyGroups();
        services.AddInMemoryStudyGroupStore();
        configure?.Invoke(services);
        services.AddDiscordBot();
        services.AddSingleton<JudgingWorker>();
        return services.BuildServiceProvider();
    }
}
