using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms;
using Mockingbird.Slack.Wire;

namespace Mockingbird.Slack.Web;

/// <summary>
/// Slack's Web API over a typed <see cref="HttpClient"/> whose handler (<see cref="PlatformCallHandler{TCall}"/>) applies
/// the rate limits and retries. Every call is a POST with a JSON body and a bearer token: the bot token, except for
/// <c>apps.connections.open</c>, which takes the app-level token. Slack's refusals (HTTP 200 with <c>ok: false</c>)
/// become <see cref="SlackApiException"/>. Tokens never reach a log or an exception message.
/// </summary>
internal sealed partial class SlackWebApiClient : ISlackWebApi
{
    private readonly HttpClient _http;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackWebApiClient> _logger;

    public SlackWebApiClient(HttpClient http, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackWebApiClient> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _http.BaseAddress ??= _options.ApiBaseUrl;
    }

    private enum Token
    {
        Bot,
        App,
    }

    public async Task<AuthIdentity> AuthTestAsync(CancellationToken cancellationToken) =>
        await CallAsync(SlackCall.AuthTest, null, SlackJson.Default.AuthIdentity, Token.Bot, null, cancellationToken);

    public async Task<Uri> OpenSocketConnectionAsync(CancellationToken cancellationToken)
    {
        var answer = await CallAsync(SlackCall.ConnectionsOpen, null, SlackJson.Default.ConnectionUrl, Token.App, null, cancellationToken);
        return Uri.TryCreate(answer.Url, UriKind.Absolute, out var url)
            ? url
            : throw new SlackApiException(SlackCall.ConnectionsOpen, "invalid_response");
    }

    public async Task<PostedMessage> PostMessageAsync(PostMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return await CallAsync(
            SlackCall.PostMessage,
            Json(message, SlackJson.Default.PostMessage),
            SlackJson.Default.PostedMessage,
            Token.Bot,
            message.Channel,
            cancellationToken);
    }

    public async Task PostEphemeralAsync(PostEphemeral message, CancellationToken cancellationToken) =>
        await CallAsync(SlackCall.PostEphemeral, Json(message, SlackJson.Default.PostEphemeral), SlackJson.Default.SlackResponse, Token.Bot, null, cancellationToken);

    public async Task UpdateMessageAsync(UpdateMessage message, CancellationToken cancellationToken) =>
        await CallAsync(SlackCall.Update, Json(message, SlackJson.Default.UpdateMessage), SlackJson.Default.SlackResponse, Token.Bot, null, cancellationToken);

    public async Task AddReactionAsync(AddReaction reaction, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(SlackCall.ReactionsAdd, Json(reaction, SlackJson.Default.AddReaction), SlackJson.Default.SlackResponse, Token.Bot, null, cancellationToken);
        }
        catch (SlackApiException ex) when (ex.Error == "already_reacted")
        {
            // A repeated event reacting again: the reaction is there, which is all that was asked.
        }
    }

    public async Task OpenViewAsync(OpenView view, CancellationToken cancellationToken) =>
        await CallAsync(SlackCall.ViewsOpen, Json(view, SlackJson.Default.OpenView), SlackJson.Default.SlackResponse, Token.Bot, null, cancellationToken);

    public async Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var answer = await CallAsync(
            SlackCall.ConversationsOpen,
            Json(new OpenConversation(userId), SlackJson.Default.OpenConversation),
            SlackJson.Default.OpenedConversation,
            Token.Bot,
            null,
            cancellationToken);
        return answer.Channel?.Id is { Length: > 0 } id ? id : throw new SlackApiException(SlackCall.ConversationsOpen, "invalid_response");
    }

    public async Task<ThreadReplies> ThreadRepliesAsync(ThreadRepliesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("channel", request.Channel),
            new("ts", request.Ts),
            new("include_all_metadata", "true"),
            new("limit", request.Limit.ToString(CultureInfo.InvariantCulture)),
        };
        if (request.Oldest is { } oldest)
        {
            fields.Add(new("oldest", oldest));
        }

        if (request.Cursor is { } cursor)
        {
            fields.Add(new("cursor", cursor));
        }

        // Read methods take form fields only: Slack answers a JSON body with invalid_arguments.
        using var form = new FormUrlEncodedContent(fields);
        return await CallAsync(SlackCall.ConversationsReplies, form, SlackJson.Default.ThreadReplies, Token.Bot, null, cancellationToken);
    }

    private async Task<T> CallAsync<T>(
        string method,
        HttpContent? body,
        JsonTypeInfo<T> answer,
        Token token,
        string? channel,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(method, UriKind.Relative)) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(token));
        request.Options.Set(PlatformCallHandler<SlackCall>.CallKey, new SlackCall(method, channel));

        var started = _time.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var reply = Envelope(bytes);

        if (reply is { Ok: true } && response.IsSuccessStatusCode)
        {
            if (reply.Warnings() is { Count: > 0 } warnings)
            {
                Log.Warned(_logger, method, string.Join(",", warnings.Select(Scrub)));
            }

            return JsonSerializer.Deserialize(bytes, answer) ?? throw new SlackApiException(method, "invalid_response");
        }

        var status = (int)response.StatusCode;
        var error = reply?.Error is { Length: > 0 } code
            ? Scrub(code)
            : response.IsSuccessStatusCode ? "invalid_response" : "http_" + status.ToString(CultureInfo.InvariantCulture);
        Log.Refused(_logger, method, status, error, _time.GetElapsedTime(started).TotalMilliseconds);
        throw new SlackApiException(method, error);
    }

    private string TokenFor(Token token)
    {
        var value = token == Token.App ? _options.AppToken : _options.BotToken;
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException(token == Token.App
                ? "Slack:AppToken (xapp-…, with connections:write) is needed to open a Socket Mode connection."
                : "Slack:BotToken (xoxb-…) is not set.")
            : value;
    }

    private static SlackReply? Envelope(byte[] bytes)
    {
        try
        {
            return bytes.Length == 0 ? null : JsonSerializer.Deserialize(bytes, SlackReplyJson.Default.SlackReply);
        }
        catch (JsonException)
        {
            // A 5xx from a proxy in front of Slack is often HTML; the status says enough.
            return null;
        }
    }

    /// <summary>Error and warning codes come from the server: a misbehaving one must not get a token into a log.</summary>
    private string Scrub(string text)
    {
        foreach (var secret in new[] { _options.BotToken, _options.AppToken })
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "[token]", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Slack refused {Method} with {Error} (HTTP {Status}) after {ElapsedMs} ms")]
        public static partial void Refused(ILogger logger, string method, int status, string error, double elapsedMs);

        [LoggerMessage(2, LogLevel.Warning, "Slack accepted {Method} with warnings: {Warnings}")]
        public static partial void Warned(ILogger logger, string method, string warnings);
    }
}
