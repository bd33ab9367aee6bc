using Microsoft.Extensions.Options;

namespace Mockingbird.Judging.Llm;

public enum LlmProvider
{
    /// <summary>No LLM: the offline rubric judge gives all feedback.</summary>
    None,
    OpenAI,

    /// <summary>Azure OpenAI through the OpenAI connector, with the resource's endpoint as base URL.</summary>
    AzureOpenAI,

    /// <summary>Any server speaking the OpenAI chat completions API: Ollama, vLLM, LM Studio.</summary>
    OpenAICompatible,
}

public enum JudgeReplyFormat
{
    /// <summary>The reply must match the judge's JSON schema (OpenAI, Azure, vLLM).</summary>
    JsonSchema,

    /// <summary>Only "a JSON object": for servers without schema support; the reply is still validated here.</summary>
    JsonObject,
}

public sealed class LlmOptions
{
    public const string Section = "Llm";

    public LlmProvider Provider { get; set; } = LlmProvider.None;

    /// <summary>Base URL, e.g. <c>http://localhost:11434/v1</c>; defaults to OpenAI's for <see cref="LlmProvider.OpenAI"/>.</summary>
    public Uri? Endpoint { get; set; }

    public string? Model { get; set; }

    /// <summary>From configuration or the environment (<c>MOCKINGBIRD_Llm__ApiKey</c>); never logged.</summary>
    public string? ApiKey { get; set; }

    public JudgeReplyFormat ReplyFormat { get; set; } = JudgeReplyFormat.JsonSchema;

    /// <summary>Per attempt. LLM judging takes seconds; the usual HTTP default of 10 s is too short.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(45);

    public int MaxRetries { get; set; } = 2;

    /// <summary>All attempts of one judgement together; below the queue's reclaim timeout so no second worker starts it.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>The circuit opens once this many calls in a minute saw at least half fail.</summary>
    public int BreakerMinimumThroughput { get; set; } = 5;

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After longer than this is not waited for: the call fails over to the offline judge.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(20);

    public Uri EffectiveEndpoint => Endpoint ?? new Uri("https://api.openai.com/v1");
}

/// <summary>Start-up checks that name the setting to fix; the key's value never appears in a message.</summary>
public sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider == LlmProvider.None)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add($"Llm:Model is required for provider {options.Provider} (e.g. MOCKINGBIRD_Llm__Model=gpt-4o-mini).");
        }

        if (options.Provider is LlmProvider.OpenAI or LlmProvider.AzureOpenAI && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"Llm:ApiKey is required for provider {options.Provider}: set MOCKINGBIRD_Llm__ApiKey, or Llm:Provider=None for the offline judge.");
        }

        if (options.Provider is LlmProvider.AzureOpenAI or LlmProvider.OpenAICompatible && options.Endpoint is null)
        {
            failures.Add($"Llm:Endpoint is required for provider {options.Provider} (the server's OpenAI-compatible base URL, e.g. http://localhost:11434/v1).");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.MaxRetries is < 0 or > 10 || options.BreakerMinimumThroughput < 2)
        {
            failures.Add("Llm:AttemptTimeout must be positive, Llm:MaxRetries 0-10 and Llm:BreakerMinimumThroughput at least 2.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
