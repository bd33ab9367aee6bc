using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mockingbird.Judging.Llm;

/// <summary>
/// The LLM judge's meter and spans: how often the offline judge stood in, and the tokens spent. Attribute names for
/// the model and token type follow OpenTelemetry's generative-AI conventions.
/// </summary>
public sealed class LlmTelemetry
{
    public const string Name = "Mockingbird.Judging.Llm";

    /// <summary>A span per call to the model; a static source, as ActivitySource has no factory.</summary>
    public static readonly ActivitySource Spans = new(Name);

    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _tokens;

    public LlmTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Name);
        _fallbacks = meter.CreateCounter<long>("mockingbird.judge.fallbacks", "{judgement}", "Answers the offline judge judged because the LLM judge could not.");
        _tokens = meter.CreateCounter<long>("mockingbird.llm.tokens", "{token}", "Tokens the LLM judge used, by type (input or output).");
    }

    public static Activity? StartCall(string? model, string prompt)
    {
        var activity = Spans.StartActivity($"chat {model}", ActivityKind.Client);
        activity?.SetTag("gen_ai.operation.name", "chat");
        activity?.SetTag("gen_ai.request.model", model);
        activity?.SetTag("mockingbird.prompt", prompt);
        return activity;
    }

    /// <param name="reason">A short fixed code: <c>no_prompt</c>, <c>invalid_reply</c>, <c>circuit_open</c>, <c>rejected_key</c>, <c>overloaded</c>, <c>unreachable</c>, <c>failed</c>.</param>
    public void FellBack(string reason) => _fallbacks.Add(1, new KeyValuePair<string, object?>("mockingbird.fallback.reason", reason));

    public void Used(string? model, long input, long output)
    {
        _tokens.Add(input, new TagList { { "gen_ai.token.type", "input" }, { "gen_ai.request.model", model } });
        _tokens.Add(output, new TagList { { "gen_ai.token.type", "output" }, { "gen_ai.request.model", model } });
    }
}
