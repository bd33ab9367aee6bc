using Mockingbird.Discord.Wire;

namespace Mockingbird.Discord.Rest;

/// <summary>
/// The Discord REST v10 calls the bot makes. Every call goes through the per-route rate-limit buckets and the
/// global limit; a 429 is waited out as Discord says. Interaction callbacks and webhook (follow-up) calls are
/// exempt from the global limit, as Discord documents.
/// </summary>
public interface IDiscordRest
{
    /// <summary><c>GET /gateway/bot</c>: the gateway URL and how many identifies remain.</summary>
    Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /users/@me</c>: the bot's own user; a rejected token throws <see cref="DiscordApiException"/> with 401.</summary>
    Task<DiscordUser> GetCurrentUserAsync(CancellationToken cancellationToken);

    /// <summary>Bulk-overwrites the application's commands, globally or in one guild when <paramref name="guildId"/> is given.</summary>
    Task BulkOverwriteCommandsAsync(IReadOnlyList<CommandDefinition> commands, string? guildId, CancellationToken cancellationToken);

    Task<DiscordMessage> CreateMessageAsync(string channelId, MessageCreate message, CancellationToken cancellationToken);

    Task<DiscordMessage> EditMessageAsync(string channelId, string messageId, MessageEdit message, CancellationToken cancellationToken);

    /// <summary>
    /// <c>GET /channels/{channel}/messages?after={id}&amp;limit={limit}</c>: up to <paramref name="limit"/> (1–100)
    /// messages written after message <paramref name="afterId"/>, the earliest ones first to be taken; Discord lists
    /// them newest first.
    /// </summary>
    Task<IReadOnlyList<DiscordMessage>> GetMessagesAfterAsync(string channelId, string afterId, int limit, CancellationToken cancellationToken);

    /// <summary><c>GET /channels/{channel}</c>: a channel or thread, with its type and parent.</summary>
    Task<DiscordChannel> GetChannelAsync(string channelId, CancellationToken cancellationToken);

    /// <summary><c>DELETE /channels/{channel}</c>: deletes a channel or thread (a thread needs Manage Threads).</summary>
    Task DeleteChannelAsync(string channelId, CancellationToken cancellationToken);

    /// <summary><c>POST /channels/{channel}/threads</c>: a thread without a starter message (private by default).</summary>
    Task<DiscordChannel> StartThreadAsync(string channelId, ThreadCreate thread, CancellationToken cancellationToken);

    /// <summary>
    /// <c>POST /channels/{channel}/messages/{message}/threads</c>: a public thread on a message, with the message's id.
    /// A second try for the same message is refused with code 160004 (a thread exists already).
    /// </summary>
    Task<DiscordChannel> StartThreadFromMessageAsync(string channelId, string messageId, ThreadFromMessageCreate thread, CancellationToken cancellationToken);

    /// <summary><c>POST /users/@me/channels</c>: the bot's direct-message channel with a user (the same one each time).</summary>
    Task<DiscordChannel> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken);

    /// <summary><c>PUT /channels/{thread}/thread-members/{user}</c>.</summary>
    Task AddThreadMemberAsync(string threadId, string userId, CancellationToken cancellationToken);

    /// <summary><c>PUT /channels/{channel}/messages/{message}/reactions/{emoji}/@me</c>: the bot reacts (adding it again changes nothing).</summary>
    Task AddReactionAsync(string channelId, string messageId, string emoji, CancellationToken cancellationToken);

    /// <summary><c>POST /interactions/{id}/{token}/callback</c>: the first response, due within 3 seconds.</summary>
    Task RespondToInteractionAsync(string interactionId, string interactionToken, InteractionCallback callback, CancellationToken cancellationToken);

    /// <summary><c>PATCH /webhooks/{application}/{token}/messages/@original</c>: completes a deferred response.</summary>
    Task EditOriginalResponseAsync(string interactionToken, MessageEdit message, CancellationToken cancellationToken);

    /// <summary><c>POST /webhooks/{application}/{token}</c>: a follow-up message to an interaction.</summary>
    Task<DiscordMessage> CreateFollowupAsync(string interactionToken, MessageCreate message, CancellationToken cancellationToken);

    /// <summary>
    /// <c>POST /webhooks/{application}/{token}</c> as <c>multipart/form-data</c>: a follow-up carrying files, as
    /// Discord's "Uploading Files" says (<c>payload_json</c>, then one <c>files[n]</c> part per file, each named in
    /// <c>attachments</c> by its n). No mention in <paramref name="content"/> pings anyone.
    /// </summary>
    Task<DiscordMessage> CreateFollowupWithFilesAsync(string interactionToken, string? content, int? flags, IReadOnlyList<DiscordFile> files, CancellationToken cancellationToken);
}

/// <summary>A call Discord refused. The message carries Discord's code and text, never the token or a URL with one.</summary>
public sealed class DiscordApiException : Exception
{
    public DiscordApiException()
    {
    }

    public DiscordApiException(string message)
        : base(message)
    {
    }

    public DiscordApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DiscordApiException(int status, int code, string route, string? discordMessage)
        : base($"Discord answered {status} to {route}: {(code == 0 ? string.Empty : $"code {code}, ")}{discordMessage ?? "no message"}")
    {
        Status = status;
        Code = code;
        Route = route;
    }

    public int Status { get; }

    /// <summary>Discord's JSON error code (e.g. 50001 Missing Access), 0 when none was given.</summary>
    public int Code { get; }

    /// <summary>The route template, e.g. <c>POST /channels/{channel}/messages</c> (interaction tokens are not in it).</summary>
    public string Route { get; } = string.Empty;
}
