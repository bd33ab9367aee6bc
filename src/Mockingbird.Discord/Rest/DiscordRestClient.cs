using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Discord.Wire;
using Mockingbird.Platforms;
using Mockingbird.Platforms.Http;

namespace Mockingbird.Discord.Rest;

/// <summary>
/// Discord REST v10 over a typed <see cref="HttpClient"/> whose handler (<see cref="PlatformCallHandler{TCall}"/>)
/// applies the rate limits and retries. This class builds Discord's requests and turns its refusals into
/// <see cref="DiscordApiException"/>; sending, JSON and scrubbing are <see cref="PlatformApiClient{TCall}"/>'s, so the
/// bot token and interaction tokens never reach a log or an exception message.
/// </summary>
internal sealed partial class DiscordRestClient : PlatformApiClient<DiscordRoute>, IDiscordRest
{
    private readonly DiscordOptions _options;
    private readonly ILogger<DiscordRestClient> _logger;

    public DiscordRestClient(HttpClient http, IOptions<DiscordOptions> options, TimeProvider time, ILogger<DiscordRestClient> logger)
        : base(http, options?.Value.ApiBaseUrl, time, options?.Value.BotToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
    }

    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) =>
        await SendAsync(DiscordRoute.Bot(HttpMethod.Get, "/gateway/bot"), "gateway/bot", null, DiscordJson.Default.GatewayBotInfo, null, cancellationToken);

    public async Task<DiscordUser> GetCurrentUserAsync(CancellationToken cancellationToken) =>
        await SendAsync(DiscordRoute.Bot(HttpMethod.Get, "/users/@me"), "users/@me", null, DiscordJson.Default.DiscordUser, null, cancellationToken);

    public async Task BulkOverwriteCommandsAsync(IReadOnlyList<CommandDefinition> commands, string? guildId, CancellationToken cancellationToken)
    {
        var app = Segment(_options.ApplicationId);
        var (route, path) = guildId is null
            ? (DiscordRoute.Bot(HttpMethod.Put, "/applications/{application}/commands", _options.ApplicationId), $"applications/{app}/commands")
            : (DiscordRoute.Bot(HttpMethod.Put, "/applications/{application}/guilds/{guild}/commands", guildId), $"applications/{app}/guilds/{Segment(guildId)}/commands");
        await SendAsync<object>(route, path, Json(commands, DiscordJson.Default.IReadOnlyListCommandDefinition), null, null, cancellationToken);
    }

    public async Task<DiscordMessage> CreateMessageAsync(string channelId, MessageCreate message, CancellationToken cancellationToken) =>
        await SendAsync(
            DiscordRoute.Bot(HttpMethod.Post, "/channels/{channel}/messages", channelId),
            $"channels/{Segment(channelId)}/messages",
            Json(message, DiscordJson.Default.MessageCreate),
            DiscordJson.Default.DiscordMessage,
            null,
            cancellationToken);

    public async Task<DiscordMessage> EditMessageAsync(string channelId, string messageId, MessageEdit message, CancellationToken cancellationToken) =>
        await SendAsync(
            DiscordRoute.Bot(HttpMethod.Patch, "/channels/{channel}/messages/{message}", channelId),
            $"channels/{Segment(channelId)}/messages/{Segment(messageId)}",
            Json(message, DiscordJson.Default.MessageEdit),
            DiscordJson.Default.DiscordMessage,
            null,
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
            null,
            cancellationToken);
    }

    public async Task<DiscordChannel> GetChannelAsync(string channelId, CancellationToken cancellationToken) =>
        await SendAsync(
            DiscordRoute.Bot(HttpMethod.Get, "/channels/{channel}", channelId),
            $"channels/{Segment(channelId)}",
            null,
            DiscordJson.Default.DiscordChannel,
            null,
            cancellationToken);

    public async Task DeleteChannelAsync(string channelId, CancellationToken cancellationToken) =>
        await SendAsync<object>(
            DiscordRoute.Bot(HttpMethod.Delete, "/channels/{channel}", channelId),
            $"channels/{Segment(channelId)}",
            null,
            null,
            null,
            cancellationToken);

    public async Task<DiscordChannel> StartThreadAsync(string channelId, ThreadCreate thread, CancellationToken cancellationToken) =>
        await SendAsync(
            DiscordRoute.Bot(HttpMethod.Post, "/channels/{channel}/threads", channelId),
            $"channels/{Segment(channelId)}/threads",
            Json(thread, DiscordJson.Default.ThreadCreate),
            DiscordJson.Default.DiscordChannel,
            null,
            cancellationToken);

    public async Task<DiscordChannel> StartThreadFromMessageAsync(string channelId, string messageId, ThreadFromMessageCreate thread, CancellationToken cancellationToken) =>
        await SendAsync(
            DiscordRoute.Bot(HttpMethod.Post, "/channels/{channel}/messages/{message}/threads", channelId),
            $"channels/{Segment(channelId)}/messages/{Segment(messageId)}/threads",
            Json(thread, DiscordJson.Default.ThreadFromMessageCreate),
            DiscordJson.Default.DiscordChannel,
            null,
            cancellationToken);

    public async Task<DiscordChannel> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken) =>
        await SendAsync(
            DiscordRoute.Bot(HttpMethod.Post, "/users/@me/channels"),
            "users/@me/channels",
            Json(new DirectMessageChannelCreate(userId), DiscordJson.Default.DirectMessageChannelCreate),
            DiscordJson.Default.DiscordChannel,
            null,
            cancellationToken);

    public async Task AddThreadMemberAsync(string threadId, string userId, CancellationToken cancellationToken) =>
        await SendAsync<object>(
            DiscordRoute.Bot(HttpMethod.Put, "/channels/{thread}/thread-members/{user}", threadId),
            $"channels/{Segment(threadId)}/thread-members/{Segment(userId)}",
            null,
            null,
            null,
            cancellationToken);

    public async Task AddReactionAsync(string channelId, string messageId, string emoji, CancellationToken cancellationToken) =>
        await SendAsync<object>(
            DiscordRoute.Bot(HttpMethod.Put, "/channels/{channel}/messages/{message}/reactions/{emoji}/@me", channelId),
            $"channels/{Segment(channelId)}/messages/{Segment(messageId)}/reactions/{Segment(emoji)}/@me",
            null,
            null,
            null,
            cancellationToken);

    public async Task RespondToInteractionAsync(string interactionId, string interactionToken, InteractionCallback callback, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        await SendAsync<object>(
            DiscordRoute.InteractionToken(HttpMethod.Post, "/interactions/{id}/{token}/callback", interactionId),
            $"interactions/{Segment(interactionId)}/{Segment(interactionToken)}/callback",
            Json(callback, DiscordJson.Default.InteractionCallback),
            null,
            interactionToken,
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
            interactionToken,
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
            interactionToken,
            cancellationToken);
    }

    public async Task<DiscordMessage> CreateFollowupWithFilesAsync(string interactionToken, string? content, int? flags, IReadOnlyList<DiscordFile> files, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        ArgumentNullException.ThrowIfNull(files);
        var payload = new FollowupWithFiles(
            content,
            AllowedMentions.None,
            flags,
            [.. files.Select((file, n) => new AttachmentSlot(n.ToString(CultureInfo.InvariantCulture), file.FileName, file.Description))]);
        using var form = new MultipartFormDataContent();
        form.Add(Json(payload, DiscordFilesJson.Default.FollowupWithFiles), "payload_json");
        for (var n = 0; n < files.Count; n++)
        {
            var part = new ReadOnlyMemoryContent(files[n].Content);
            part.Headers.ContentType = new MediaTypeHeaderValue(files[n].ContentType);
            form.Add(part, string.Create(CultureInfo.InvariantCulture, $"files[{n}]"), files[n].FileName);
        }

        return await SendAsync(
            DiscordRoute.InteractionToken(HttpMethod.Post, "/webhooks/{application}/{token}", _options.ApplicationId + "/" + interactionToken),
            $"webhooks/{Segment(_options.ApplicationId)}/{Segment(interactionToken)}",
            form,
            DiscordJson.Default.DiscordMessage,
            interactionToken,
            cancellationToken);
    }

    protected override void Authorize(HttpRequestMessage request, DiscordRoute platformCall)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(platformCall);
        request.Headers.TryAddWithoutValidation("User-Agent", DiscordUserAgent.Value);
        if (platformCall.Authorized)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _options.BotToken);
        }
    }

    /// <param name="pathToken">An interaction token in the path, scrubbed from anything Discord echoes back.</param>
    private async Task<T> SendAsync<T>(
        DiscordRoute route,
        string path,
        HttpContent? body,
        JsonTypeInfo<T>? answer,
        string? pathToken,
        CancellationToken cancellationToken)
        where T : class
    {
        var reply = await ExchangeAsync(route, route.Method, path, body, cancellationToken);
        if (!reply.IsSuccess)
        {
            var status = (int)reply.Status;
            var error = ReadJsonOrNull(reply.Body, DiscordJson.Default.DiscordError);
            var message = Scrub(error?.Message, pathToken);
            Log.Refused(_logger, route.Name, status, error?.Code ?? 0, message ?? string.Empty, reply.Elapsed.TotalMilliseconds);
            throw new DiscordApiException(status, error?.Code ?? 0, route.Name, message);
        }

        if (answer is null)
        {
            return null!;
        }

        return JsonSerializer.Deserialize(reply.Body, answer)
            ?? throw new DiscordApiException((int)reply.Status, 0, route.Name, "an empty answer where an object was expected");
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
