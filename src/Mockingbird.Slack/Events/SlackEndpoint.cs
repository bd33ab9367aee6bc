using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms;
using Mockingbird.Platforms.Endpoints;
using Mockingbird.Slack.SocketMode;

namespace Mockingbird.Slack.Events;

public static partial class SlackEndpoint
{
    /// <summary>Slack's requests are small; anything larger is not from Slack.</summary>
    internal const int MaxBodyBytes = 512 * 1024;

    /// <summary>
    /// Maps one endpoint for Slack's Events API, slash commands and interactivity (configure the same URL for all
    /// three). Every request's v0 signature is checked on the raw bytes, within the replay window, before anything
    /// is parsed (401 when it fails); a signed body that is not what Slack sends gets 400. A thread reply is recorded
    /// before the answer goes back, and when it cannot be the endpoint answers 503 so that Slack delivers it again;
    /// the rest is answered at once and handled afterwards, exactly as a Socket Mode envelope would be. Slack's
    /// retries carry the same event id and change nothing the second time.
    /// </summary>
    public static IEndpointConventionBuilder MapSlackEndpoint(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value;
        return endpoints.MapPost(options.EventsPath, HandleAsync);
    }

    private static Task<IResult> HandleAsync(HttpContext context, SlackSignature signature, ISlackEnvelopeHandler handler, AcknowledgedWork work, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SlackEndpoint));
        return SignedRequests.HandleAsync(
            context,
            signature,
            MaxBodyBytes,
            (request, body) => Envelope(request.ContentType, body, request.Headers["X-Slack-Retry-Num"]),
            envelope => AcknowledgeAsync(context, envelope, handler, work, logger),
            logger);
    }

    private static async Task<IResult> AcknowledgeAsync(HttpContext context, SlackEnvelope envelope, ISlackEnvelopeHandler handler, AcknowledgedWork work, ILogger logger)
    {
        switch (envelope)
        {
            case { Type: "url_verification" }:
                return Results.Text(envelope.Payload.GetProperty("challenge").GetString(), "text/plain");
            case { Type: "ignored" }:
                // Verified and from Slack, just nothing the bot acts on (app_rate_limited, ssl_check): a 2xx stops retries.
                return Results.Ok();
        }

        SlackReceipt receipt;
        try
        {
            receipt = await handler.ReceiveAsync(envelope, context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As over Socket Mode: the same request again would fail the same way.
            Log.ReceiveFailed(logger, envelope.Type, ex.GetType().Name);
            return Results.Ok();
        }

        if (receipt.Outcome == SlackReceiptOutcome.Malformed)
        {
            Log.Unreadable(logger, envelope.Type);
            return Results.BadRequest();
        }

        if (receipt.Then is { } then)
        {
            work.Start(then);
        }

        if (receipt.Outcome == SlackReceiptOutcome.NotRecorded)
        {
            Log.NotRecorded(logger, envelope.Type, envelope.RetryAttempt ?? 0);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        return receipt.ResponsePayload is { } payload ? Results.Json(payload) : Results.Ok();
    }

    /// <summary>
    /// The request as the envelope Socket Mode would have delivered: events are JSON, commands and clicks are forms.
    /// Null for anything Slack does not send.
    /// </summary>
    private static SlackEnvelope? Envelope(string? contentType, byte[] body, string? retry)
    {
        int? attempt = int.TryParse(retry, out var n) ? n : null;
        try
        {
            if (contentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
            {
                var payload = JsonSerializer.Deserialize<JsonElement>(body);
                if (payload.ValueKind != JsonValueKind.Object
                    || StringProperty(payload, "type") is not { Valid: true, Value: { } type }
                    || StringProperty(payload, "event_id") is { Valid: false })
                {
                    return null;
                }

                return type switch
                {
                    "url_verification" when StringProperty(payload, "challenge") is { Valid: true, Value: not null } =>
                        new SlackEnvelope("url_verification", "url_verification", payload, false, attempt, null),
                    "url_verification" => null,
                    "event_callback" => new SlackEnvelope(StringProperty(payload, "event_id").Value ?? string.Empty, "events_api", payload, false, attempt, null),
                    _ => new SlackEnvelope(string.Empty, "ignored", payload, false, attempt, null),
                };
            }

            var form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));
            if (form.TryGetValue("payload", out var interactive))
            {
                var payload = JsonSerializer.Deserialize<JsonElement>(interactive.ToString());
                return payload.ValueKind == JsonValueKind.Object && StringProperty(payload, "type") is { Valid: true, Value: not null }
                    ? new SlackEnvelope(string.Empty, "interactive", payload, false, attempt, null)
                    : null;
            }

            if (form.ContainsKey("ssl_check"))
            {
                // Slack checking the certificate of a slash command's URL: it wants a 200 and nothing else.
                return new SlackEnvelope(string.Empty, "ignored", default, false, attempt, null);
            }

            if (form.ContainsKey("command"))
            {
                var fields = new JsonObject();
                foreach (var (key, value) in form)
                {
                    fields[key] = value.ToString();
                }

                return new SlackEnvelope(string.Empty, "slash_commands", JsonSerializer.SerializeToElement(fields), false, attempt, null);
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    /// <summary>A property that must be a string when present: absent is valid (null value), any other kind is not.</summary>
    private static (bool Valid, string? Value) StringProperty(JsonElement payload, string name) =>
        !payload.TryGetProperty(name, out var value) ? (true, null)
        : value.ValueKind == JsonValueKind.String ? (true, value.GetString())
        : (false, null);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A signed Slack {EnvelopeType} request is not in a shape Slack sends; answered 400")]
        public static partial void Unreadable(ILogger logger, string envelopeType);

        [LoggerMessage(2, LogLevel.Warning, "A {EnvelopeType} request (retry {RetryAttempt}) could not be recorded; answered 503 so Slack sends it again")]
        public static partial void NotRecorded(ILogger logger, string envelopeType, int retryAttempt);

        [LoggerMessage(3, LogLevel.Error, "Receiving a {EnvelopeType} request failed with {ErrorType}; answered 200")]
        public static partial void ReceiveFailed(ILogger logger, string envelopeType, string errorType);
    }
}
