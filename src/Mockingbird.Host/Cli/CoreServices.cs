using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mockingbird.Chat.Stores;
using Mockingbird.Host.Telemetry;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Embeddings;
using Mockingbird.Judging.Llm;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Judging.Rubric;
using Mockingbird.Questions;

namespace Mockingbird.Host.Cli;

/// <summary>The composition of the interview core: bank, judge, store, engine and the service that drives them.</summary>
public static class CoreServices
{
    /// <param name="mode">Inline for the terminal; queued for the bot, whose judging workers post feedback later.</param>
    /// <param name="prompts">The LLM judge's prompts, loaded beforehand by <see cref="LlmJudgeServiceCollectionExtensions.LoadPromptsAsync"/>; null when it is off.</param>
    public static IServiceCollection AddInterviewCore(this IServiceCollection services, IConfiguration configuration, JudgingMode mode = JudgingMode.Inline, PromptExperiments? prompts = null)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddMockingbirdMeters();
        services.AddQuestionBank();
        services.AddRubricJudge();
        services.AddLocalSentenceEmbeddings();
        services.AddLlmJudge(configuration, prompts);
        services.AddInMemorySessionStore();
        services.AddSingleton(new InterviewRules());
        services.AddSingleton(sp => new InterviewEngine(sp.GetRequiredService<QuestionBank>(), sp.GetRequiredService<InterviewRules>()));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<InterviewService>(sp, mode));
        return services;
    }

    /// <summary>Configuration from <c>MOCKINGBIRD_</c> environment variables, overridden by command-line options.</summary>
    public static IConfiguration Configuration(string? bankDirectory)
    {
        var overrides = new Dictionary<string, string?>();
        if (bankDirectory is not null)
        {
            overrides[$"{QuestionBankOptions.Section}:Directory"] = bankDirectory;
        }

        return new ConfigurationBuilder()
            .AddEnvironmentVariables("MOCKINGBIRD_")
            .AddInMemoryCollection(overrides)
            .Build();
    }

    public static async Task<ServiceProvider> BuildAsync(string? bankDirectory, CancellationToken cancellationToken)
    {
        var configuration = Configuration(bankDirectory);
        var prompts = await LlmJudgeServiceCollectionExtensions.LoadPromptsAsync(configuration, cancellationToken);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddInterviewCore(configuration, JudgingMode.Inline, prompts);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
