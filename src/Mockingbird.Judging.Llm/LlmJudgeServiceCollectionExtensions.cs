using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Mockingbird.Interview.Judging;
using Mockingbird.Judging.Llm.Prompts;
using OpenAI;

namespace Mockingbird.Judging.Llm;

public static class LlmJudgeServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Llm:Provider</c> set, the LLM judge answers (the offline judge stays its fallback); without it nothing
    /// changes and the offline judge answers. Settings are validated at start-up with messages that name them.
    /// </summary>
    public static IServiceCollection AddLlmJudge(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        var text = configuration.GetSection(LlmOptions.Section)[nameof(LlmOptions.Provider)];
        if (!Enum.TryParse<LlmProvider>(text ?? nameof(LlmProvider.None), ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            throw new OptionsValidationException(
                LlmOptions.Section,
                typeof(LlmOptions),
                [$"Llm:Provider '{text}' is not one of: {string.Join(", ", Enum.GetNames<LlmProvider>())} (Ollama, vLLM and LM Studio are OpenAICompatible)."]);
        }
        if (provider == LlmProvider.None)
        {
            return services;
        }

        services.AddOptions<PromptOptions>().BindConfiguration(PromptOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var (library, experiments, problems) = sp.GetRequiredService<IOptions<PromptOptions>>().Value.LoadAndCheckAsync(CancellationToken.None).GetAwaiter().GetResult();
            _ = library;
            return problems.Count == 0
                ? experiments
                : throw new InvalidOperationException($"The prompts are invalid:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        });
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
        services.Replace(ServiceDescriptor.Singleton<IAnswerJudge, LlmJudge>());
        services.Replace(ServiceDescriptor.Singleton<IFollowUpWriter, LlmInterviewer>());
        services.Replace(ServiceDescriptor.Singleton<IScorecardWriter, LlmScorecardWriter>());
        return services;
    }
}
