using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mockingbird.Chat;
using Mockingbird.Slack.SocketMode;

namespace Mockingbird.Slack.Events;

public static class SlackEndpoint
{
    /// <summary>Slack's requests are small; anything larger is not from Slack.</summary>
    internal const int MaxBodyBytes = 512 * 1024;

    /// <summary>
    /// Maps one endpoint for Slack's Events API, slash commands and interactivity (configure the same URL for all
    /// three). Every request's v0 signature is checked on the raw bytes, within the replay window, before anything
    /// is parsed (401 when it fails); the request is answered at once and handled afterwards, exactly as a Socket
    /// Mode envelope would be. Slack's retries carry the same event id and change nothing the second time.
    /// </summary>
    public static IEndpointConventionBuilder MapSlackEndpoint(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value;
        return endpoints.MapPost(options.EventsPath, HandleAsync);
    }

    private static async Task<IResult> HandleAsync(HttpContext context, SlackSignature signature, ISlackEnvelopeHandler handler, AcknowledgedWork work)
    {
        if (await BoundedBody.ReadAsync(context.Request.Body, MaxBodyBytes, context.RequestAborted) is not { } body)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (!signature.IsValid(context.Request.Headers["X-Slack-Signature"], context.Request.Headers["X-Slack-Request-Timestamp"], body))
        {
            return Results.Text("invalid request signature", statusCode: StatusCodes.Status401Unauthorized);
        }

        SlackEnvelope? envelope;
        try
        {
            envelope = Envelope(context.Request.ContentType, body, context.Request.Headers["X-Slack-Retry-Num"]);
        }
        catch (JsonException)
        {
            envelope = null;
        }

        switch (envelope)
        {
            case null:
                return Results.BadRequest();
            case { Type: "url_verification" }:
                return Results.Text(envelope.Payload.GetProperty("challenge").GetString(), "text/plain");
            case { Type: "ignored" }:
                // Verified and from Slack, just nothing the bot acts on (app_rate_limited, say): a 2xx stops retries.
                return Results.Ok();
        }

        handler.Acknowledge(envelope);
        work.Start(token => handler.HandleAsync(envelope, token));
        return Results.Ok();
    }

    /// <summary>The request as the envelope Socket Mode would have delivered: events are JSON, commands and clicks are forms.</summary>
    private static SlackEnvelope? Envelope(string? contentType, byte[] body, string? retry)
    {
        int? attempt = int.TryParse(retry, out var n) ? n : null;
        if (contentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var payload = JsonSerializer.Deserialize<JsonElement>(body);
            var type = payload.TryGetProperty("type", out var t) ? t.GetString() : null;
            var id = payload.TryGetProperty("event_id", out var e) ? e.GetString() : null;
            return type switch
            {
                "url_verification" when payload.TryGetProperty("challenge", out var challenge) && challenge.ValueKind == JsonValueKind.String =>
                    new SlackEnvelope("url_verification", type, payload, false, attempt, null),
                "url_verification" => null,
                "event_callback" => new SlackEnvelope(id ?? string.Empty, "events_api", payload, false, attempt, null),
                _ => new SlackEnvelope(string.Empty, "ignored", payload, false, attempt, null),
            };
        }

        var form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));
        if (form.TryGetValue("payload", out var interactive))
        {
            return new SlackEnvelope(string.Empty, "interactive", JsonSerializer.Deserialize<JsonElement>(interactive.ToString()), false, attempt, null);
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

        return null;
    }
}
