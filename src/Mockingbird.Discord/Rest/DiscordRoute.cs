using Mockingbird.Platforms;

namespace Mockingbird.Discord.Rest;

/// <summary>
/// One Discord REST call as the rate limiter sees it: the route template (safe to log), the route's major parameter
/// (channel, guild, webhook id and token, interaction id: it keys the bucket and may hold a token, so it is never
/// logged), and whether it is exempt from the global limit and carries the bot token.
/// </summary>
internal sealed class DiscordRoute : IPlatformCall
{
    private DiscordRoute(HttpMethod method, string template, string majorParameter, bool exemptFromGlobal, bool authorized)
    {
        Method = method;
        Name = $"{method.Method} {template}";
        MajorParameter = majorParameter;
        ExemptFromGlobal = exemptFromGlobal;
        Authorized = authorized;
    }

    /// <summary>
    /// Whether sending again after a failure whose outcome is unknown (5xx, timeout, dropped connection) cannot
    /// make a second thing: true for reads and overwrites, for channel messages, which the bot always sends with an
    /// enforced nonce, for a thread on a message (a message holds one thread; a second try is refused, code 160004)
    /// and for opening a direct-message channel (Discord returns the existing one). A thread without a message, an
    /// interaction response or a follow-up could be made twice.
    /// </summary>
    public bool SafeToRepeat => Method != HttpMethod.Post
        || Name is "POST /channels/{channel}/messages" or "POST /channels/{channel}/messages/{message}/threads" or "POST /users/@me/channels";

    public HttpMethod Method { get; }

    /// <summary>Method and template, e.g. <c>POST /channels/{channel}/messages</c>: what logs and exceptions name.</summary>
    public string Name { get; }

    /// <summary>Keys the route's bucket together with Discord's bucket hash. May contain an interaction token.</summary>
    public string MajorParameter { get; }

    /// <summary>Interaction callbacks and interaction webhooks do not count toward, nor wait for, the global limit.</summary>
    public bool ExemptFromGlobal { get; }

    /// <summary>Whether the request carries <c>Authorization: Bot …</c>; token-authenticated routes need none.</summary>
    public bool Authorized { get; }

    /// <summary>A route that carries the bot token and counts toward the global limit.</summary>
    public static DiscordRoute Bot(HttpMethod method, string template, string majorParameter = "") =>
        new(method, template, majorParameter, exemptFromGlobal: false, authorized: true);

    /// <summary>A route authenticated by an interaction token in its path (callbacks, follow-ups, the original response).</summary>
    public static DiscordRoute InteractionToken(HttpMethod method, string template, string majorParameter) =>
        new(method, template, majorParameter, exemptFromGlobal: true, authorized: false);

    public override string ToString() => Name;
}
