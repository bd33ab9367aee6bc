using Mockingbird.Platforms;

namespace Mockingbird.Slack.Web;

/// <summary>
/// One Web API call as the rate limiter sees it: the method name (safe to log) and, for <c>chat.postMessage</c>, the
/// channel it posts to, which keys the per-channel pacing.
/// </summary>
internal sealed record SlackCall(string Method, string? Channel) : IPlatformCall
{
    public const string PostMessage = "chat.postMessage";
    public const string PostEphemeral = "chat.postEphemeral";
    public const string Update = "chat.update";
    public const string ViewsOpen = "views.open";
    public const string ConversationsOpen = "conversations.open";
    public const string ConversationsReplies = "conversations.replies";
    public const string ConversationsHistory = "conversations.history";
    public const string ConversationsInfo = "conversations.info";
    public const string ConversationsMembers = "conversations.members";
    public const string UsersInfo = "users.info";
    public const string ReactionsAdd = "reactions.add";
    public const string AuthTest = "auth.test";
    public const string ConnectionsOpen = "apps.connections.open";
    public const string GetUploadUrl = "files.getUploadURLExternal";
    public const string CompleteUpload = "files.completeUploadExternal";

    /// <summary>Not a Web API method: the bytes posted to the URL <see cref="GetUploadUrl"/> gave, on Slack's upload host.</summary>
    public const string UploadBytes = "files.upload-url";

    public string Name => Method;

    /// <summary>
    /// Whether sending again after a failure whose outcome is unknown (5xx, timeout, dropped connection) cannot make
    /// a second thing. A posted message has no idempotency key on Slack, a modal's trigger id lives 3 seconds, and
    /// completing an upload shares the file (a second share is a second message).
    /// </summary>
    public bool SafeToRepeat => Method is not (PostMessage or PostEphemeral or ViewsOpen or CompleteUpload);

    /// <summary>
    /// The floor of the method's published tier, in calls per minute per workspace: null where the limit is special
    /// (<c>chat.postMessage</c> is paced per channel, <c>auth.test</c> is generous), where its caller backs off on its
    /// own (<c>apps.connections.open</c>, Tier 1, opened by Socket Mode with retries), or where waiting cannot help
    /// (<c>views.open</c>, Tier 4, whose trigger id dies 3 seconds after the click).
    /// </summary>
    public int? TierPerMinute => Method switch
    {
        PostEphemeral or UsersInfo or ConversationsMembers or GetUploadUrl or CompleteUpload => 100,
        Update or ConversationsOpen or ConversationsReplies or ConversationsHistory or ConversationsInfo or ReactionsAdd => 50,
        _ => null,
    };

    /// <summary>
    /// The longest this call waits for its turn, where that is shorter than the client's: a ✅ reaction has a text
    /// fallback and should not hold a handler, and a modal's trigger id is dead 3 seconds after the click.
    /// </summary>
    public TimeSpan? WaitLimit => Method switch
    {
        ReactionsAdd => TimeSpan.FromSeconds(2),
        ViewsOpen => TimeSpan.Zero,
        _ => null,
    };

    /// <summary>What a 429 pauses: the method (Slack's tiers are per method and workspace), per channel for posting.</summary>
    public string PauseKey => Method == PostMessage && Channel is not null ? Method + "\n" + Channel : Method;
}
