using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Mockingbird.Experiments;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Llm.Prompts;
using OpenAI;

namespace Mockingbird.Judging.Llm;

public static class LlmJudgeServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Llm:Provider</c> set, the LLM judge answers (the offline judge stays its fallback); without it nothing
    /// changes and the offline judge answers. Settings are validated at start-up with messages that name them.
    /// </summary>
    /// <param name="prompts">The checked prompts from <see cref="LoadPromptsAsync"/>, required when a provider is set.</param>
    public static IServiceCollection AddLlmJudge(this IServiceCollection services, IConfiguration configuration, PromptExperiments? prompts)
    {
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        if (ProviderOf(configuration) == LlmProvider.None)
        {
            return services;
        }

        if (prompts is null)
        {
            throw new ArgumentNullException(nameof(prompts), "Llm:Provider is set: load the prompts with LoadPromptsAsync before building the container.");
        }

        services.AddOptions<PromptOptions>().BindConfiguration(PromptOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(prompts);
        services.TryAddSingleton<IChatCompletionService>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
            var handler = new ResilientLlmHandler(LlmResilience.Build(options, sp.GetRequiredService<TimeProvider>())) { InnerHandler = new SocketsHttpHandler() };

            // Polly owns timeouts and retries: the HttpClient never times out on its own and the SDK never retries.
            var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            var client = new OpenAIClient(
                new ApiKeyCredential(options.ApiKey ?? "not-needed"),
                new OpenAIClientOptions
                {
                    Endpoint = options.EffectiveEndpoint,
                    Transport = new HttpClientPipelineTransport(http),
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    NetworkTimeout = Timeout.InfiniteTimeSpan,
                });
            return new OpenAIChatCompletionService(options.Model!, client, sp.GetService<ILoggerFactory>());
        });
        services.TryAddSingleton<IExperimentCatalog>(prompts);
        services.TryAddSingleton(prompts.Control);
        services.TryAddSingleton<LlmJudge>();
        services.TryAddSingleton<LlmInterviewer>();
        services.TryAddSingleton<LlmDebriefWriter>();
        services.TryAddSingleton<LlmScorecardWriter>();

        // With an experiment store (the host registers it), what each arm does is recorded there; without one the
        // LLM answers undecorated. Resolved when first asked, so the store may be registered after this call.
        services.Replace(ServiceDescriptor.Singleton<IAnswerJudge>(sp => sp.GetService<IExperimentStore>() is { } store
            ? new ArmRecordingJudge(sp.GetRequiredService<LlmJudge>(), store, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ArmRecordingJudge>>())
            : sp.GetRequiredService<LlmJudge>()));
        services.Replace(ServiceDescriptor.Singleton<IFollowUpWriter>(sp => sp.GetService<IExperimentStore>() is { } store
            ? new ArmRecordingInterviewer(sp.GetRequiredService<LlmInterviewer>(), store, sp.GetRequiredService<PromptExperiments>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ArmRecordingInterviewer>>())
            : sp.GetRequiredService<LlmInterviewer>()));
        services.Replace(ServiceDescriptor.Singleton<IScorecardWriter>(sp => sp.GetService<IExperimentStore>() is { } store
            ? new ArmRecordingScorecardWriter(sp.GetRequiredService<LlmScorecardWriter>(), store, sp.GetRequiredService<PromptExperiments>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ArmRecordingScorecardWriter>>())
            : sp.GetRequiredService<LlmScorecardWriter>()));
        services.Replace(ServiceDescriptor.Singleton<IDebriefWriter>(sp => sp.GetService<IExperimentStore>() is { } store
            ? new ArmRecordingDebriefWriter(sp.GetRequiredService<LlmDebriefWriter>(), store, sp.GetRequiredService<PromptExperiments>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ArmRecordingDebriefWriter>>())
            : sp.GetRequiredService<LlmDebriefWriter>()));

        // Null without a store: the interview service and judging worker then report their steps to nobody.
        services.TryAddSingleton<IInterviewObserver>(sp => sp.GetService<IExperimentStore>() is { } store
            ? new ExperimentSteps(sp.GetRequiredService<IExperimentCatalog>(), sp.GetRequiredService<ExperimentControlCache>(), store, sp.GetRequiredService<ILogger<ExperimentSteps>>())
            : null!);
        return services;
    }

    /// <summary>
    /// Loads every prompt and runs every check <c>validate</c> runs, before the container is built, so no factory waits
    /// on it. Null when no provider is set (the offline judge needs no prompts). Invalid prompts stop start-up with each
    /// problem on its own line; an unknown provider or prompts setting fails as start-up validation would.
    /// </summary>
    public static async Task<PromptExperiments?> LoadPromptsAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (ProviderOf(configuration) == LlmProvider.None)
        {
            return null;
        }

        var options = new OptionsFactory<PromptOptions>(
            [new ConfigureNamedOptions<PromptOptions>(Options.DefaultName, o => configuration.GetSection(PromptOptions.Section).Bind(o))],
            [],
            [new DataAnnotationValidateOptions<PromptOptions>(Options.DefaultName)]).Create(Options.DefaultName);
        var (_, experiments, problems) = await options.LoadAndCheckAsync(cancellationToken);
        return problems.Count == 0
            ? experiments
            : throw new InvalidPromptsException(problems);
    }

    private static LlmProvider ProviderOf(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration.GetSection(LlmOptions.Section)[nameof(LlmOptions.Provider)];
        if (!Enum.TryParse<LlmProvider>(text ?? nameof(LlmProvider.None), ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            throw new OptionsValidationException(
                LlmOptions.Section,
                typeof(LlmOptions),
                [$"Llm:Provider '{text}' is not one of: {string.Join(", ", Enum.GetNames<LlmProvider>())} (Ollama, vLLM and LM Studio are OpenAICompatible)."]);
        }

        return provider;
    }
}
