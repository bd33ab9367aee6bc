using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms;
using Mockingbird.Platforms.Http;
using Mockingbird.Slack.Wire;

namespace Mockingbird.Slack.Web;

/// <summary>
/// Slack's Web API over a typed <see cref="HttpClient"/> whose handler (<see cref="PlatformCallHandler{TCall}"/>) applies
/// the rate limits and retries. Every call is a POST with a JSON body and a bearer token: the bot token, except for
/// <c>apps.connections.open</c>, which takes the app-level token. Slack's refusals (HTTP 200 with <c>ok: false</c>)
/// become <see cref="SlackApiException"/>. Tokens never reach a log or an exception message.
/// </summary>
internal sealed partial class SlackWebApiClient : PlatformApiClient<SlackCall>, ISlackWebApi
{
    private readonly SlackOptions _options;
    private readonly ILogger<SlackWebApiClient> _logger;
    private readonly HttpClient _http;

    public SlackWebApiClient(HttpClient http, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackWebApiClient> logger)
        : base(http, options?.Value.ApiBaseUrl, time, options?.Value.BotToken, options?.Value.AppToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _http = http;
    }

    public async Task<AuthIdentity> AuthTestAsync(CancellationToken cancellationToken) =>
        await CallAsync(SlackCall.AuthTest, null, SlackJson.Default.AuthIdentity, null, cancellationToken);

    public async Task<Uri> OpenSocketConnectionAsync(CancellationToken cancellationToken)
    {
        var answer = await CallAsync(SlackCall.ConnectionsOpen, null, SlackJson.Default.ConnectionUrl, null, cancellationToken);
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
            message.Channel,
            cancellationToken);
    }

    public async Task PostEphemeralAsync(PostEphemeral message, CancellationToken cancellationToken) =>
        await CallAsync(SlackCall.PostEphemeral, Json(message, SlackJson.Default.PostEphemeral), SlackJson.Default.SlackResponse, null, cancellationToken);

    public async Task UpdateMessageAsync(UpdateMessage message, CancellationToken cancellationToken) =>
        await CallAsync(SlackCall.Update, Json(message, SlackJson.Default.UpdateMessage), SlackJson.Default.SlackResponse, null, cancellationToken);

    public async Task AddReactionAsync(AddReaction reaction, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(SlackCall.ReactionsAdd, Json(reaction, SlackJson.Default.AddReaction), SlackJson.Default.SlackResponse, null, cancellationToken);
        }
        catch (SlackApiException ex) when (ex.Error == "already_reacted")
        {
            // A repeated event reacting again: the reaction is there, which is all that was asked.
        }
    }

    public async Task OpenViewAsync(OpenView view, CancellationToken cancellationToken) =>
        await CallAsync(SlackCall.ViewsOpen, Json(view, SlackJson.Default.OpenView), SlackJson.Default.SlackResponse, null, cancellationToken);

    public async Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var answer = await CallAsync(
            SlackCall.ConversationsOpen,
            Json(new OpenConversation(userId), SlackJson.Default.OpenConversation),
            SlackJson.Default.OpenedConversation,
            null,
            cancellationToken);
        return answer.Channel?.Id is { Length: > 0 } id ? id : throw new SlackApiException(SlackCall.ConversationsOpen, "invalid_response");
    }

    public async Task<ThreadReplies> ThreadRepliesAsync(ThreadRepliesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await ReadMessagesAsync(SlackCall.ConversationsReplies, [new("channel", request.Channel), new("ts", request.Ts)], request.Limit, request.Oldest, request.Cursor, cancellationToken);
    }

    public async Task<ThreadReplies> ChannelHistoryAsync(ChannelHistoryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<KeyValuePair<string, string>> fields = [new("channel", request.Channel)];
        if (request.Latest is not null)
        {
            fields.Add(new("latest", request.Latest));
        }

        if (request.Inclusive)
        {
            fields.Add(new("inclusive", "true"));
        }

        return await ReadMessagesAsync(SlackCall.ConversationsHistory, fields, request.Limit, request.Oldest, request.Cursor, cancellationToken);
    }

    /// <summary>A page of a thread's or a channel's messages, with the metadata our posts carry.</summary>
    private async Task<ThreadReplies> ReadMessagesAsync(
        string call, List<KeyValuePair<string, string>> fields, int limit, string? oldest, string? cursor, CancellationToken cancellationToken)
    {
        fields.Add(new("include_all_metadata", "true"));
        fields.Add(new("limit", limit.ToString(CultureInfo.InvariantCulture)));
        if (oldest is not null)
        {
            fields.Add(new("oldest", oldest));
        }

        if (cursor is not null)
        {
            fields.Add(new("cursor", cursor));
        }

        // Read methods take form fields only: Slack answers a JSON body with invalid_arguments.
        using var form = new FormUrlEncodedContent(fields);
        return await CallAsync(call, form, SlackJson.Default.ThreadReplies, null, cancellationToken);
    }

    public async Task<SlackUserDetails> UserInfoAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        using var form = new FormUrlEncodedContent([new("user", userId)]);
        var answer = await CallAsync(SlackCall.UsersInfo, form, SlackJson.Default.UserInfo, null, cancellationToken);
        return answer.User ?? throw new SlackApiException(SlackCall.UsersInfo, "invalid_response");
    }

    public async Task<ConversationDetails> ConversationInfoAsync(string channel, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        using var form = new FormUrlEncodedContent([new("channel", channel)]);
        var answer = await CallAsync(SlackCall.ConversationsInfo, form, SlackJson.Default.ConversationInfo, null, cancellationToken);
        return answer.Channel ?? throw new SlackApiException(SlackCall.ConversationsInfo, "invalid_response");
    }

    public async Task<ConversationMembers> ConversationMembersAsync(string channel, string? cursor, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var fields = new List<KeyValuePair<string, string>> { new("channel", channel), new("limit", limit.ToString(CultureInfo.InvariantCulture)) };
        if (cursor is not null)
        {
            fields.Add(new("cursor", cursor));
        }

        using var form = new FormUrlEncodedContent(fields);
        return await CallAsync(SlackCall.ConversationsMembers, form, SlackJson.Default.ConversationMembers, null, cancellationToken);
    }

    public async Task<UploadTicket> GetUploadUrlAsync(string fileName, long length, string? altText, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var fields = new List<KeyValuePair<string, string>> { new("filename", fileName), new("length", length.ToString(CultureInfo.InvariantCulture)) };
        if (altText is not null)
        {
            fields.Add(new("alt_txt", altText));
        }

        // Form fields: the method's reference has listed only application/x-www-form-urlencoded for most of its life.
        using var form = new FormUrlEncodedContent(fields);
        var answer = await CallAsync(SlackCall.GetUploadUrl, form, SlackFilesJson.Default.UploadUrlAnswer, null, cancellationToken);
        return Uri.TryCreate(answer.UploadUrl, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" && answer.FileId is { Length: > 0 } id
            ? new UploadTicket(url, id)
            : throw new SlackApiException(SlackCall.GetUploadUrl, "invalid_response");
    }

    public async Task UploadFileAsync(UploadTicket ticket, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);

        // Sent outside ExchangeAsync: the URL is absolute, on another host, and already authorises the upload, so the
        // bot token is not sent with it. It still goes through the rate limits and retries of every call.
        using var request = new HttpRequestMessage(HttpMethod.Post, ticket.UploadUrl) { Content = new ReadOnlyMemoryContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Options.Set(PlatformCallHandler<SlackCall>.CallKey, new SlackCall(SlackCall.UploadBytes, null));
        var started = Time.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            Log.Refused(_logger, SlackCall.UploadBytes, status, "upload_failed", Time.GetElapsedTime(started).TotalMilliseconds);
            throw new SlackApiException(SlackCall.UploadBytes, "http_" + status.ToString(CultureInfo.InvariantCulture));
        }
    }

    public async Task CompleteUploadAsync(IReadOnlyList<CompletedFile> files, string channelId, string? initialComment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("files", JsonSerializer.Serialize(files, SlackFilesJson.Default.IReadOnlyListCompletedFile)),
            new("channel_id", channelId),
        };
        if (initialComment is not null)
        {
            fields.Add(new("initial_comment", initialComment));
        }

        using var form = new FormUrlEncodedContent(fields);
        await CallAsync(SlackCall.CompleteUpload, form, SlackJson.Default.SlackResponse, null, cancellationToken);
    }

    protected override void Authorize(HttpRequestMessage request, SlackCall platformCall)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(platformCall);
        var app = platformCall.Method == SlackCall.ConnectionsOpen;
        var token = app ? _options.AppToken : _options.BotToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new InvalidOperationException(app
                ? "Slack:AppToken (xapp-…, with connections:write) is needed to open a Socket Mode connection."
                : "Slack:BotToken (xoxb-…) is not set.");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<T> CallAsync<T>(
        string method,
        HttpContent? body,
        JsonTypeInfo<T> answer,
        string? channel,
        CancellationToken cancellationToken)
    {
        var reply = await ExchangeAsync(new SlackCall(method, channel), HttpMethod.Post, method, body, cancellationToken);
        var envelope = ReadJsonOrNull(reply.Body, SlackReplyJson.Default.SlackReply);
        if (envelope is { Ok: true } && reply.IsSuccess)
        {
            if (envelope.Warnings() is { Count: > 0 } warnings)
            {
                Log.Warned(_logger, method, Scrub(string.Join(",", warnings))!);
            }

            return JsonSerializer.Deserialize(reply.Body, answer) ?? throw new SlackApiException(method, "invalid_response");
        }

        // A 5xx from a proxy in front of Slack is often HTML, so no envelope: the status says enough.
        var status = (int)reply.Status;
        var error = envelope?.Error is { Length: > 0 } code
            ? Scrub(code)!
            : reply.IsSuccess ? "invalid_response" : "http_" + status.ToString(CultureInfo.InvariantCulture);
        Log.Refused(_logger, method, status, error, reply.Elapsed.TotalMilliseconds);
        throw new SlackApiException(method, error);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Slack refused {Method} with {Error} (HTTP {Status}) after {ElapsedMs} ms")]
        public static partial void Refused(ILogger logger, string method, int status, string error, double elapsedMs);

        [LoggerMessage(2, LogLevel.Warning, "Slack accepted {Method} with warnings: {Warnings}")]
        public static partial void Warned(ILogger logger, string method, string warnings);
    }
}
