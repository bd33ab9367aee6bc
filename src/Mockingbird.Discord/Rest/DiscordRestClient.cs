using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Discord.Wire;
using Mockingbird.Platforms;

namespace Mockingbird.Discord.Rest;

/// <summary>
/// Discord REST v10 over a typed <see cref="HttpClient"/> whose handler (<see cref="PlatformCallHandler{TCall}"/>)
/// applies the rate limits and retries. This class builds requests and turns refusals into
/// <see cref="DiscordApiException"/>; the bot token and interaction tokens never reach a log or an exception message.
/// </summary>
internal sealed partial class DiscordRestClient : IDiscordRest
{
    private readonly HttpClient _http;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordRestClient> _logger;

    public DiscordRestClient(HttpClient http, IOptions<DiscordOptions> options, TimeProvider time, ILogger<DiscordRestClient> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _http.BaseAddress ??= _options.ApiBaseUrl;
    }

    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) =>
        await SendAsync(DiscordRoute.Bot(HttpMethod.Get, "/gateway/bot"), "gateway/bot", null, DiscordJson.Default.GatewayBotInfo, [], cancellationToken);

    public async Task<DiscordUser> GetCurrentUserAsync(CancellationToken cancellationToken) =>
        await SendAsync(DiscordRoute.Bot(HttpMethod.Get, "/users/@me"), "users/@me", null, DiscordJson.Default.DiscordUser, [], cancellationToken);

    public async Task BulkOverwriteCommandsAsync(IReadOnlyList<CommandDefinition> commands, string? guildId, CancellationToken cancellationToken)
    {
        var app = Segment(_options.ApplicationId);
        var (route, path) = guildId is null
            ? (DiscordRoute.Bot(HttpMethod.Put, "/applications/{application}/commands", _options.ApplicationId), $"applications/{app}/commands")
            : (DiscordRoute.Bot(HttpMethod.Put, "/applications/{application}/guilds/{guild}/commands", guildId), $"applications/{app}/guilds/{Segment(guildId)}/commands");
        await SendAsync<object>(route, path, Json(commands, DiscordJson.Default.IReadOnlyListCommandDefinition), null, [], cancellationToken);
    }

    public async Task<DiscordMessage> CreateMessageAsync(string channelId, MessageCreate message, CancellationToken cancellationToken) =>
        await SendAsync(
            DiscordRoute.Bot(HttpMethod.Post, "/channels/{channel}/messages", channelId),
            $"channels/{Segment(channelId)}/messages",
            Json(message, DiscordJson.Default.MessageCreate),
            DiscordJson.Default.DiscordMessage,
            [],
            cancellationToken);

    public async Task<DiscordMessage> EditMessageAsync(string channelId, string messageId, MessageEdit message, CancellationToken cancellationToken) =>
        await SendAsync(
            DiscordRoute.Bot(HttpMethod.Patch, "/channels/{channel}/messages/{message}", channelId),
            $"channels/{Segment(channelId)}/messages/{Segment(messageId)}",
            Json(message, DiscordJson.Default.MessageEdit),
            DiscordJson.Default.DiscordMessage,
            [],
            cancellationToken);

    public async Task<IReadOnlyList<DiscordMessage>> GetMessagesAfterAsync(string channelId, string afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        return await SendAsync(
            DiscordRoute.Bot(HttpMethod.Get, "/channels/{channel}/messages", channelId),
            string.Create(CultureInfo.InvariantCulture, $"channels/{Segment(channelId)}/messages?after={Segment(afterId)}&limit={limit}"),
            null,
            DiscordJson.Default.IReadOnlyListDiscordMessage,
            [],
            cancellationToken);
    }

    public async Task<DiscordChannel> GetChannelAsync(string channelId, CancellationToken cancellationToken) =>
        await SendAsync(
            DiscordRoute.Bot(HttpMethod.Get, "/channels/{channel}", channelId),
            $"channels/{Segment(channelId)}",
            null,
            DiscordJson.Default.DiscordChannel,
            [],
            cancellationToken);

    public async Task DeleteChannelAsync(string channelId, CancellationToken cancellationToken) =>
        await SendAsync<object>(
            DiscordRoute.Bot(HttpMethod.Delete, "/channels/{channel}", channelId),
            $"channels/{Segment(channelId)}",
            null,
            null,
            [],
            cancellationToken);

    public async Task<DiscordChannel> StartThreadAsync(string channelId, ThreadCreate thread, CancellationToken cancellationToken) =>
        await SendAsync(
            DiscordRoute.Bot(HttpMethod.Post, "/channels/{channel}/threads", channelId),
            $"channels/{Segment(channelId)}/threads",
            Json(thread, DiscordJson.Default.ThreadCreate),
            DiscordJson.Default.DiscordChannel,
            [],
            cancellationToken);

    public async Task AddThreadMemberAsync(string threadId, string userId, CancellationToken cancellationToken) =>
        await SendAsync<object>(
            DiscordRoute.Bot(HttpMethod.Put, "/channels/{thread}/thread-members/{user}", threadId),
            $"channels/{Segment(threadId)}/thread-members/{Segment(userId)}",
            null,
            null,
            [],
            cancellationToken);

    public async Task AddReactionAsync(string channelId, string messageId, string emoji, CancellationToken cancellationToken) =>
        await SendAsync<object>(
            DiscordRoute.Bot(HttpMethod.Put, "/channels/{channel}/messages/{message}/reactions/{emoji}/@me", channelId),
            $"channels/{Segment(channelId)}/messages/{Segment(messageId)}/reactions/{Segment(emoji)}/@me",
            null,
            null,
            [],
            cancellationToken);

    public async Task RespondToInteractionAsync(string interactionId, string interactionToken, InteractionCallback callback, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        await SendAsync<object>(
            DiscordRoute.InteractionToken(HttpMethod.Post, "/interactions/{id}/{token}/callback", interactionId),
            $"interactions/{Segment(interactionId)}/{Segment(interactionToken)}/callback",
            Json(callback, DiscordJson.Default.InteractionCallback),
            null,
            [interactionToken],
            cancellationToken);
    }

    public async Task EditOriginalResponseAsync(string interactionToken, MessageEdit message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        await SendAsync<object>(
            DiscordRoute.InteractionToken(HttpMethod.Patch, "/webhooks/{application}/{token}/messages/@original", _options.ApplicationId + "/" + interactionToken),
            $"webhooks/{Segment(_options.ApplicationId)}/{Segment(interactionToken)}/messages/@original",
            Json(message, DiscordJson.Default.MessageEdit),
            null,
            [interactionToken],
            cancellationToken);
    }

    public async Task<DiscordMessage> CreateFollowupAsync(string interactionToken, MessageCreate message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        return await SendAsync(
            DiscordRoute.InteractionToken(HttpMethod.Post, "/webhooks/{application}/{token}", _options.ApplicationId + "/" + interactionToken),
            $"webhooks/{Segment(_options.ApplicationId)}/{Segment(interactionToken)}",
            Json(message, DiscordJson.Default.MessageCreate),
            DiscordJson.Default.DiscordMessage,
            [interactionToken],
            cancellationToken);
    }

    /// <param name="secrets">Tokens in the path, scrubbed from anything Discord echoes back.</param>
    private async Task<T> SendAsync<T>(
        DiscordRoute route,
        string path,
        HttpContent? body,
        JsonTypeInfo<T>? answer,
        string[] secrets,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(route.Method, new Uri(path, UriKind.Relative)) { Content = body };
        request.Headers.TryAddWithoutValidation("User-Agent", DiscordUserAgent.Value);
        if (route.Authorized)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _options.BotToken);
        }

        request.Options.Set(PlatformCallHandler<DiscordRoute>.CallKey, route);

        var started = _time.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var error = await ReadErrorAsync(response, cancellationToken);
            var message = Scrub(error?.Message, secrets);
            Log.Refused(_logger, route.Name, status, error?.Code ?? 0, message ?? string.Empty, _time.GetElapsedTime(started).TotalMilliseconds);
            throw new DiscordApiException(status, error?.Code ?? 0, route.Name, message);
        }

        if (answer is null)
        {
            return default!;
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (stream)
        {
            return await JsonSerializer.DeserializeAsync(stream, answer, cancellationToken)
                ?? throw new DiscordApiException((int)response.StatusCode, 0, route.Name, "an empty answer where an object was expected");
        }
    }

    private static async Task<DiscordError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return text.Length == 0 ? null : JsonSerializer.Deserialize(text, DiscordJson.Default.DiscordError);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string? Scrub(string? text, string[] secrets)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var secret in secrets.Append(_options.BotToken))
        {
            if (secret.Length > 0)
            {
                text = text.Replace(secret, "[token]", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return Uri.EscapeDataString(value);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Discord refused {Route} with {Status} (code {Code}: {DiscordMessage}) after {ElapsedMs} ms")]
        public static partial void Refused(ILogger logger, string route, int status, int code, string discordMessage, double elapsedMs);
    }
}
