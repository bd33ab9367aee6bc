using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Llm.Tests;

/// <summary>
/// An OpenAI-compatible chat completions server on 127.0.0.1 that answers from a script: completions, 429s with
/// Retry-After, 500s, slow replies. It records every request body so tests can check what was sent.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly ConcurrentQueue<JsonObject> _requests = new();
    private readonly ConcurrentQueue<string> _authorizations = new();

    private const string RequestBody = "request-body";

    private FakeOpenAiServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<JsonObject> Requests => [.. _requests];

    /// <summary>The Authorization header of each request, in order.</summary>
    public IReadOnlyList<string> Authorizations => [.. _authorizations];

    /// <summary>What the server answers once the script runs out.</summary>
    public Func<HttpContext, Task> Otherwise { get; set; } = context => Reply(context, 500, "{\"error\":{\"message\":\"script exhausted\"}}");

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var app = LoopbackServer.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", async context =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            server._authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            server._requests.Enqueue((JsonObject)body!);
            context.Items[RequestBody] = body;
            var next = server._script.TryDequeue(out var scripted) ? scripted : server.Otherwise;
            await next(context);
        });
        await app.StartAsync();
        server.BaseUrl = new Uri($"{LoopbackServer.AddressOf(app)}/v1");
        return server;
    }

    public FakeOpenAiServer ThenCompletion(string content, string finishReason = "stop", int promptTokens = 900, int cachedTokens = 600, int completionTokens = 150)
    {
        _script.Enqueue(context => Reply(context, 200, Completion(content, finishReason, promptTokens, cachedTokens, completionTokens)));
        return this;
    }

    /// <summary>A completion written from the request itself, as a model would: e.g. one that writes only the keys the prompt names.</summary>
    public FakeOpenAiServer ThenCompletion(Func<JsonObject, string> write)
    {
        _script.Enqueue(async context =>
        {
            await Reply(context, 200, Completion(write((JsonObject)context.Items[RequestBody]!), "stop", 900, 600, 150));
        });
        return this;
    }

    /// <summary>Once the script runs out, answers every request with a completion written from it, reporting the given usage.</summary>
    public FakeOpenAiServer OtherwiseCompletion(Func<JsonObject, string> write, int promptTokens, int cachedTokens, int completionTokens)
    {
        Otherwise = context => Reply(context, 200, Completion(write((JsonObject)context.Items[RequestBody]!), "stop", promptTokens, cachedTokens, completionTokens));
        return this;
    }

    /// <summary>
    /// Once the script runs out, answers a request <paramref name="fails"/> picks with a 500, as a provider failing on
    /// one prompt would, and every other with a completion written from it.
    /// </summary>
    public FakeOpenAiServer OtherwiseFailingSome(Func<JsonObject, bool> fails, Func<JsonObject, string> write)
    {
        Otherwise = context =>
        {
            var request = (JsonObject)context.Items[RequestBody]!;
            return fails(request)
                ? Reply(context, 500, "{\"error\":{\"message\":\"scripted failure\"}}")
                : Reply(context, 200, Completion(write(request), "stop", 900, 600, 150));
        };
        return this;
    }

    public FakeOpenAiServer ThenStatus(int status, string? retryAfterSeconds = null)
    {
        _script.Enqueue(context =>
        {
            if (retryAfterSeconds is not null)
            {
                context.Response.Headers.RetryAfter = retryAfterSeconds;
            }

            return Reply(context, status, "{\"error\":{\"message\":\"scripted failure\"}}");
        });
        return this;
    }

    public FakeOpenAiServer ThenRaw(int status, string body, string contentType = "text/html")
    {
        _script.Enqueue(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });
        return this;
    }

    /// <summary>Sends the headers and the start of the body at once, then nothing more until the client gives up.</summary>
    public FakeOpenAiServer ThenStalledBody()
    {
        _script.Enqueue(async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await context.Response.WriteAsync("{\"id\": \"chatcmpl-stall\",", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await UntilAbortedAsync(context);
        });
        return this;
    }

    /// <summary>Answers nothing until the client gives up on the request.</summary>
    public FakeOpenAiServer ThenSilence()
    {
        _script.Enqueue(UntilAbortedAsync);
        return this;
    }

    /// <summary>
    /// What a model that follows the request writes: a judgement in the schema the request carries (every dimension
    /// scored 1, which needs no quote, every rubric point missed), or a sentence for a request without one (a summary).
    /// </summary>
    public static string ReplyLikeAModel(JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request["response_format"]?["json_schema"]?["schema"] is not JsonObject schema)
        {
            return "A steady interview: explain why, not only what.";
        }

        var properties = schema["properties"]!;
        var names = properties["dimensions"]!["items"]!["properties"]!["name"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());
        var reply = new JsonObject
        {
            ["covered"] = new JsonArray(),
            ["missed"] = properties["missed"]!["items"]!["enum"]!.DeepClone(),
            ["dimensions"] = new JsonArray([.. names.Select(name => (JsonNode)new JsonObject
            {
                ["name"] = name,
                ["evidence"] = new JsonArray(),
                ["rationale"] = "Not shown in the answer.",
                ["score"] = 1,
            })]),
            ["outline"] = "Variance, saturation, gradients, scaling.",
            ["next_drill"] = "Explain why scaling keeps unit variance.",
        };
        if (schema["required"]!.AsArray().Any(k => k!.GetValue<string>() == "follow_up"))
        {
            reply["follow_up"] = string.Empty;
        }

        return reply.ToJsonString();
    }

    public static string Completion(string content, string finishReason, int promptTokens, int cachedTokens, int completionTokens) => new JsonObject
    {
        ["id"] = "chatcmpl-fake",
        ["object"] = "chat.completion",
        ["created"] = 1_780_000_000,
        ["model"] = "fake-model",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["finish_reason"] = finishReason,
        }),
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = promptTokens,
            ["completion_tokens"] = completionTokens,
            ["total_tokens"] = promptTokens + completionTokens,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cachedTokens },
        },
    }.ToJsonString();

    private static Task UntilAbortedAsync(HttpContext context) =>
        new TaskCompletionSource().Task.WaitAsync(context.RequestAborted);

    private static async Task Reply(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The text of the messages of a recorded request, by role.</summary>
    public static string MessageText(JsonObject request, string role) => string.Join(
        "\n",
        request["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == role).Select(m => m!["content"] switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
            _ => string.Empty,
        }));
}
