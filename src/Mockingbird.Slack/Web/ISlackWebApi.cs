using Mockingbird.Slack.Wire;

namespace Mockingbird.Slack.Web;

/// <summary>
/// The Slack Web API methods the bot calls. Every call waits out a 429's <c>Retry-After</c> and respects the method's
/// rate-limit tier; a reply with <c>ok: false</c> throws <see cref="SlackApiException"/>.
/// </summary>
public interface ISlackWebApi
{
    /// <summary><c>auth.test</c>: who the bot token belongs to; a rejected token throws with <c>invalid_auth</c>.</summary>
    Task<AuthIdentity> AuthTestAsync(CancellationToken cancellationToken);

    /// <summary><c>apps.connections.open</c> with the app-level token: a fresh Socket Mode URL.</summary>
    Task<Uri> OpenSocketConnectionAsync(CancellationToken cancellationToken);

    Task<PostedMessage> PostMessageAsync(PostMessage message, CancellationToken cancellationToken);

    Task PostEphemeralAsync(PostEphemeral message, CancellationToken cancellationToken);

    Task UpdateMessageAsync(UpdateMessage message, CancellationToken cancellationToken);

    /// <summary><c>reactions.add</c>; a reaction already there counts as added.</summary>
    Task AddReactionAsync(AddReaction reaction, CancellationToken cancellationToken);

    /// <summary><c>views.open</c>: the trigger id is good for 3 seconds after the click.</summary>
    Task OpenViewAsync(OpenView view, CancellationToken cancellationToken);

    /// <summary><c>conversations.open</c>: the DM channel with a user.</summary>
    Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken);

    /// <summary><c>conversations.replies</c> with every message's metadata: one page of a thread.</summary>
    Task<ThreadReplies> ThreadRepliesAsync(ThreadRepliesRequest request, CancellationToken cancellationToken);

    /// <summary><c>conversations.history</c> with every message's metadata: one page of a channel, newest first.</summary>
    Task<ThreadReplies> ChannelHistoryAsync(ChannelHistoryRequest request, CancellationToken cancellationToken);

    /// <summary><c>users.info</c> (scope <c>users:read</c>).</summary>
    Task<SlackUserDetails> UserInfoAsync(string userId, CancellationToken cancellationToken);

    /// <summary><c>conversations.info</c> (scopes <c>channels:read</c>, <c>groups:read</c>).</summary>
    Task<ConversationDetails> ConversationInfoAsync(string channel, CancellationToken cancellationToken);

    /// <summary><c>conversations.members</c>: one page of the channel's members.</summary>
    Task<ConversationMembers> ConversationMembersAsync(string channel, string? cursor, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// <c>files.getUploadURLExternal</c> (scope <c>files:write</c>), the first of Slack's three upload steps: a URL
    /// to send <paramref name="length"/> bytes to, and the file's id.
    /// </summary>
    Task<UploadTicket> GetUploadUrlAsync(string fileName, long length, string? altText, CancellationToken cancellationToken);

    /// <summary>The second step: the file's bytes, posted to the URL the first step gave (Slack's upload host, not the API).</summary>
    Task UploadFileAsync(UploadTicket ticket, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The last step, <c>files.completeUploadExternal</c>: shares the uploaded files in <paramref name="channelId"/>.</summary>
    Task CompleteUploadAsync(IReadOnlyList<CompletedFile> files, string channelId, string? initialComment, CancellationToken cancellationToken);
}

/// <summary>Slack refused a call. The message has the method and Slack's error code, never a token.</summary>
public sealed class SlackApiException : Exception
{
    public SlackApiException()
    {
    }

    public SlackApiException(string message)
        : base(message)
    {
    }

    public SlackApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SlackApiException(string method, string error)
        : base($"Slack answered {method} with '{error}'")
    {
        Method = method;
        Error = error;
    }

    public string Method { get; } = string.Empty;

    /// <summary>Slack's error code, e.g. <c>invalid_auth</c>, <c>not_in_channel</c>, <c>ratelimited</c>.</summary>
    public string Error { get; } = string.Empty;
}
