using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.Fakes;

/// <summary>
/// A Discord REST v10 server on 127.0.0.1 that speaks the real protocol for the routes the bot uses: bot-token and
/// User-Agent checks, bodies validated against Discord's OpenAPI document plus the documented rules the document
/// misses, per-route rate-limit _buckets with <c>X-RateLimit-*</c> headers, scripted 429s and 5xx, the interaction
/// 3-second deadline and single acknowledgement, and nonce idempotency. Everything it is sent is recorded.
/// </summary>
public sealed class FakeDiscordApi : IAsyncDisposable
{
    public const int ContentLimit = 2000;

    private const string Prefix = "/api/v10";
    private static readonly TimeSpan InteractionDeadline = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan InteractionTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long an enforced nonce returns its first message. Discord says only "the past few minutes"; the fake takes
    /// the short end, so a repeat that relies on the nonce later than that posts again here as it may there.
    /// </summary>
    private static readonly TimeSpan NonceWindow = TimeSpan.FromMinutes(2);
    private static readonly DateTimeOffset DiscordEpoch = DateTimeOffset.FromUnixTimeMilliseconds(1_420_070_400_000);

    private readonly WebApplication _app;
    private readonly string _botToken;
    private readonly string _applicationId;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();

    private readonly List<PostedMessage> _messages = [];
    private readonly Dictionary<(string Channel, string Nonce), JsonObject> _messagesByNonce = [];
    private readonly Dictionary<string, JsonObject> _messageAnswers = new(StringComparer.Ordinal);
    private readonly List<MessageEditRecord> _edits = [];
    private readonly List<CreatedThread> _threads = [];
    private readonly HashSet<string> _deletedChannels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _channels = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _history = [];
    private readonly List<ReactionAdded> _reactions = [];
    private readonly List<ThreadMemberAdded> _threadMembers = [];
    private readonly Dictionary<string, string> _directChannels = new(StringComparer.Ordinal);
    private readonly List<InteractionCallbackRecord> _callbacks = [];
    private readonly List<WebhookMessageRecord> _originalEdits = [];
    private readonly List<WebhookMessageRecord> _followups = [];
    private readonly List<CommandRegistration> _commandRegistrations = [];
    private readonly List<string> _violations = [];
    private readonly List<FakeRequest> _requestLog = [];

    private readonly Dictionary<string, RegisteredInteraction> _interactionsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegisteredInteraction> _interactionsByToken = new(StringComparer.Ordinal);
    private readonly List<ScriptedFailure> _scripts = [];
    private readonly List<WithheldAnswer> _withheld = [];
    private readonly Dictionary<string, (int Limit, TimeSpan Window)> _routeLimits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BucketWindow> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _routeBlockedUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _bucketHashes = new(StringComparer.Ordinal);
    private DateTimeOffset _globalBlockedUntil = DateTimeOffset.MinValue;
    private long _lastSnowflake;

    private FakeDiscordApi(WebApplication app, string botToken, string applicationId, TimeProvider clock)
    {
        _clock = clock;
        _app = app;
        _botToken = botToken;
        _applicationId = applicationId;
    }

    /// <summary>Where the client should point <c>Discord:ApiBaseUrl</c>: <c>http://127.0.0.1:{port}/api/v10/</c>.</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>What <c>GET /gateway/bot</c> answers as <c>url</c> (a fake gateway sets its own).</summary>
    public string GatewayUrl { get; set; } = "ws://127.0.0.1:1/";

    /// <summary>False makes <c>POST /channels/{c}/threads</c> of type 12 fail with 403 50001 Missing Access.</summary>
    public bool PrivateThreadsAllowed { get; set; } = true;

    /// <summary>False as in a server that invited the bot without Add Reactions: reacting is refused with 50013.</summary>
    public bool ReactionsAllowed { get; set; } = true;

    public string BotUserId { get; } = "1100000000000000001";

    public string BotUsername { get; } = "Mockingbird";

    /// <summary>The guild every created thread belongs to.</summary>
    public string GuildId { get; set; } = "1000000000000000001";

    public string ApplicationId => _applicationId;

    /// <summary>
    /// How a request with the wrong bot token is answered. Discord says 401 <c>{"message": "401: Unauthorized", "code": 0}</c>;
    /// compatible servers may say 400 with code 40001 (Unauthorized) or 50014 (Invalid authentication token).
    /// </summary>
    public (int Status, int Code, string Message) TokenRefusal { get; set; } = (401, 0, "401: Unauthorized");

    /// <summary>Channels deleted through <c>DELETE /channels/{channel}</c> or by someone in Discord.</summary>
    public IReadOnlyList<string> DeletedChannels
    {
        get
        {
            lock (_gate)
            {
                return [.. _deletedChannels];
            }
        }
    }

    public IReadOnlyList<PostedMessage> AllMessages => Snapshot(_messages);

    public IReadOnlyList<MessageEditRecord> Edits => Snapshot(_edits);

    public IReadOnlyList<CreatedThread> Threads => Snapshot(_threads);

    public IReadOnlyList<ThreadMemberAdded> ThreadMembers => Snapshot(_threadMembers);

    /// <summary>The direct-message channel the bot has opened with <paramref name="userId"/>, if any.</summary>
    public string? DirectMessageChannel(string userId)
    {
        lock (_gate)
        {
            return _directChannels.GetValueOrDefault(userId);
        }
    }

    /// <summary>Reactions the bot added, in order (adding the same one twice is recorded twice, and harmless on Discord).</summary>
    public IReadOnlyList<ReactionAdded> Reactions => Snapshot(_reactions);

    public IReadOnlyList<InteractionCallbackRecord> Callbacks => Snapshot(_callbacks);

    public IReadOnlyList<WebhookMessageRecord> OriginalEdits => Snapshot(_originalEdits);

    public IReadOnlyList<WebhookMessageRecord> Followups => Snapshot(_followups);

    public IReadOnlyList<CommandRegistration> CommandRegistrations => Snapshot(_commandRegistrations);

    /// <summary>Every request the real Discord would have refused as malformed; tests expect it empty.</summary>
    public IReadOnlyList<string> Violations => Snapshot(_violations);

    /// <summary>Every request, in arrival order, with the status it was answered.</summary>
    public IReadOnlyList<FakeRequest> RequestLog => Snapshot(_requestLog);

    /// <param name="clock">The clock for arrival times, rate-limit windows and interaction deadlines; the real one unless a test moves time.</param>
    public static async Task<FakeDiscordApi> StartAsync(string botToken, string applicationId, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(botToken);
        ArgumentException.ThrowIfNullOrEmpty(applicationId);

        var app = LoopbackServer.Build();
        var fake = new FakeDiscordApi(app, botToken, applicationId, clock ?? TimeProvider.System);
        fake.Map(app);
        fake.AddChannel(DiscordEvents.Channel, 0);
        await app.StartAsync();

        fake.ApiBaseUrl = new Uri(LoopbackServer.AddressOf(app) + Prefix + "/");
        return fake;
    }

    /// <summary>Forgets every enforced nonce, as Discord does a few minutes after each post, without moving the fake's clock.</summary>
    public void ForgetNonces()
    {
        lock (_gate)
        {
            _messagesByNonce.Clear();
        }
    }

    /// <summary>Messages posted to one channel (thread), in order; a nonce repeat is not recorded twice.</summary>
    public IReadOnlyList<PostedMessage> Messages(string channelId)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.ChannelId == channelId)];
        }
    }

    /// <summary>
    /// Makes an interaction known, as if Discord had just delivered it: its callback is due within 3 seconds (on the
    /// fake's clock) of this call, and its token then serves the webhook routes for 15 minutes.
    /// </summary>
    /// <param name="answeredInline">
    /// The interaction went to the bot's HTTP endpoint, which answered in its reply: Discord saw that answer, this
    /// fake cannot, so the webhook routes are open at once.
    /// </param>
    public void RegisterInteraction(string id, string token, string? channelId = null, bool answeredInline = false)
    {
        var interaction = new RegisteredInteraction(id, token, channelId ?? "1000000000000000002", _clock.GetUtcNow()) { Acknowledged = answeredInline };
        lock (_gate)
        {
            _interactionsById[id] = interaction;
            _interactionsByToken[token] = interaction;
        }
    }

    /// <summary>
    /// Someone writes a message in a channel, as in the Discord client: it is kept for <c>GET
    /// /channels/{channel}/messages</c>, and returned as the gateway's <c>MESSAGE_CREATE</c> would carry it (with
    /// <c>guild_id</c>), for a test to dispatch when the bot is connected.
    /// </summary>
    public JsonObject WriteMessage(string channelId, string authorId, string content)
    {
        lock (_gate)
        {
            var message = new JsonObject
            {
                ["id"] = NextSnowflake(),
                ["channel_id"] = channelId,
                ["type"] = 0,
                ["content"] = content,
                ["author"] = new JsonObject { ["id"] = authorId, ["username"] = $"user-{authorId[^4..]}", ["discriminator"] = "0" },
                ["embeds"] = new JsonArray(),
                ["components"] = new JsonArray(),
                ["timestamp"] = _clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            };
            _history.Add(message);
            var created = message.DeepClone().AsObject();
            created["guild_id"] = GuildId;
            return created;
        }
    }

    /// <summary>
    /// A channel <c>GET /channels/{channel}</c> knows: <paramref name="type"/> 0 for a text channel, 11 or 12 for a
    /// thread of <paramref name="parentId"/>. Threads the bot creates are added by themselves.
    /// </summary>
    public void AddChannel(string id, int type, string? parentId = null)
    {
        var channel = new JsonObject { ["id"] = id, ["type"] = type, ["guild_id"] = GuildId, ["name"] = $"channel-{id}" };
        if (parentId is not null)
        {
            channel["parent_id"] = parentId;
        }

        lock (_gate)
        {
            _channels[id] = channel;
        }
    }

    /// <summary>A channel or thread deleted by someone in Discord: posting there is refused with 10003 Unknown Channel.</summary>
    public void DeleteChannel(string channelId)
    {
        lock (_gate)
        {
            _deletedChannels.Add(channelId);
        }
    }

    /// <summary>
    /// A message deleted by someone in Discord: it is no longer read back, and editing it or starting a thread on it
    /// is refused with 10008 Unknown Message. <see cref="Messages"/> still lists it, as a post that was made.
    /// </summary>
    public void DeleteMessage(string messageId)
    {
        lock (_gate)
        {
            _messageAnswers.Remove(messageId);
            _history.RemoveAll(m => (string?)m["id"] == messageId);
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> matching requests with 429, <c>Retry-After</c> and the JSON body
    /// Discord sends; until the wait is over the server keeps refusing (every non-exempt route when global, the same
    /// route and major parameter otherwise), so a client that does not wait is seen in <see cref="RequestLog"/>.
    /// </summary>
    public void RateLimitNext(int count, double retryAfterSeconds, bool global = false, Func<HttpRequest, bool>? when = null)
    {
        lock (_gate)
        {
            _scripts.Add(new ScriptedFailure(count, when, 429, retryAfterSeconds, global));
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> matching requests with an error: a server error (500) unless told,
    /// or a refusal such as 403 with Discord's <paramref name="code"/> 50001 Missing Access.
    /// </summary>
    public void FailNext(int count = 1, int status = 500, Func<HttpRequest, bool>? when = null, int code = 0, string? message = null)
    {
        lock (_gate)
        {
            _scripts.Add(new ScriptedFailure(count, when, status, 0, false) { Code = code, Message = message });
        }
    }

    /// <summary>
    /// The next message posted to <c>POST /channels/{channel}/messages</c> whose body <paramref name="matches"/> is
    /// created as usual (posted, its nonce remembered) but its HTTP answer is never sent, as when the caller dies
    /// after Discord took the post and before it could read the answer. The task completes once that message is
    /// created.
    /// </summary>
    public Task HoldAnswerAfterAccepting(Func<JsonObject, bool> matches)
    {
        var withheld = new WithheldAnswer(matches);
        lock (_gate)
        {
            _withheld.Add(withheld);
        }

        return withheld.Taken.Task;
    }

    /// <summary>Sets a route's bucket, e.g. <c>("POST /channels/{channel}/messages", 1, 0.5)</c>: one request per half second per channel.</summary>
    public void SetRouteLimit(string route, int limit, double windowSeconds)
    {
        lock (_gate)
        {
            _routeLimits[route] = (limit, TimeSpan.FromSeconds(windowSeconds));
        }
    }

    /// <summary>A request predicate for the hooks: true when the request is for <paramref name="route"/>, e.g. <c>"GET /users/@me"</c>.</summary>
    public static Func<HttpRequest, bool> RouteIs(string route) =>
        request => request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<RouteRule>()?.Name == route;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }

    private void Map(WebApplication web)
    {
        web.UseRouting();
        web.Use(PipelineAsync);

        Route(web, "GET", "/gateway/bot", null, MessageAt.None, false, GatewayBot);
        Route(web, "GET", "/users/@me", null, MessageAt.None, false, _ => Json(200, BotUser()));
        Route(web, "PUT", "/applications/{application}/commands", DiscordSpec.BulkCommands, MessageAt.None, false, Commands);
        Route(web, "PUT", "/applications/{application}/guilds/{guild}/commands", DiscordSpec.BulkCommands, MessageAt.None, false, Commands);
        Route(web, "POST", "/channels/{channel}/messages", DiscordSpec.MessageCreate, MessageAt.Root, false, CreateMessage);
        Route(web, "PATCH", "/channels/{channel}/messages/{message}", DiscordSpec.MessageEdit, MessageAt.Root, false, EditMessage);
        Route(web, "GET", "/channels/{channel}", null, MessageAt.None, false, GetChannel);
        Route(web, "GET", "/channels/{channel}/messages", null, MessageAt.None, false, ListMessages);
        Route(web, "DELETE", "/channels/{channel}", null, MessageAt.None, false, DeleteChannel);
        Route(web, "POST", "/channels/{channel}/threads", DiscordSpec.ThreadWithoutMessage, MessageAt.None, false, StartThread);
        Route(web, "POST", "/channels/{channel}/messages/{message}/threads", DiscordSpec.ThreadWithMessage, MessageAt.None, false, StartThreadFromMessage);
        Route(web, "POST", "/users/@me/channels", DiscordSpec.DirectMessageChannel, MessageAt.None, false, OpenDirectMessage);
        Route(web, "PUT", "/channels/{thread}/thread-members/{user}", null, MessageAt.None, false, AddThreadMember);
        Route(web, "PUT", "/channels/{channel}/messages/{message}/reactions/{emoji}/@me", null, MessageAt.None, false, AddReaction);
        Route(web, "POST", "/interactions/{id}/{token}/callback", DiscordSpec.InteractionCallback, MessageAt.CallbackData, true, Callback);
        Route(web, "PATCH", "/webhooks/{application}/{token}/messages/@original", DiscordSpec.OriginalEdit, MessageAt.Root, true, EditOriginal);
        Route(web, "POST", "/webhooks/{application}/{token}", DiscordSpec.Followup, MessageAt.Root, true, Followup);
    }

    private static void Route(WebApplication web, string method, string template, string? schema, MessageAt messageAt, bool tokenRoute, Func<HttpContext, Answer> handler)
    {
        var rule = new RouteRule($"{method} {template}", schema, messageAt, tokenRoute);
        web.MapMethods(Prefix + template, [method], async context =>
            {
                var answer = handler(context);
                if (answer.Withheld)
                {
                    await WithholdAsync(context);
                    return;
                }

                context.Response.StatusCode = answer.Status;
                if (answer.Body is not null)
                {
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(answer.Body.ToJsonString(), context.RequestAborted);
                }
            })
            .WithMetadata(rule);
    }

    /// <summary>Keeps the request waiting until its caller goes away (or this server stops), then drops the connection unanswered.</summary>
    private static async Task WithholdAsync(HttpContext context)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        await new TaskCompletionSource().Task.WaitAsync(gone.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        context.Abort();
    }

    /// <summary>Checks every request the way Discord does before it reaches a route's handler, and logs it.</summary>
    private async Task PipelineAsync(HttpContext context, RequestDelegate next)
    {
        var arrived = _clock.GetUtcNow();
        var request = context.Request;
        var rule = context.GetEndpoint()?.Metadata.GetMetadata<RouteRule>();
        var name = rule?.Name ?? $"{request.Method} (no such route)";
        try
        {
            var refusal = await CheckAsync(context, rule, arrived);
            if (refusal is not null)
            {
                context.Response.StatusCode = refusal.Status;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(refusal.Body!.ToJsonString(), context.RequestAborted);
                return;
            }

            await next(context);
        }
        finally
        {
            var entry = new FakeRequest(
                request.Method,
                name,
                context.Response.StatusCode,
                arrived,
                request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
                request.Headers.UserAgent.ToString());
            lock (_gate)
            {
                _requestLog.Add(entry);
            }
        }
    }

    private async Task<Answer?> CheckAsync(HttpContext context, RouteRule? rule, DateTimeOffset now)
    {
        var request = context.Request;
        if (!request.Headers.UserAgent.ToString().StartsWith("DiscordBot (", StringComparison.Ordinal))
        {
            return Error(400, 0, "User-Agent must be 'DiscordBot ($url, $versionNumber)'.");
        }

        if (rule is null)
        {
            Violate($"{request.Method} {request.Path}: no such route");
            return Error(404, 0, "404: Not Found");
        }

        if (!rule.TokenRoute && request.Headers.Authorization.ToString() != "Bot " + _botToken)
        {
            var (status, code, message) = TokenRefusal;
            return Error(status, code, message);
        }

        var major = MajorParameter(context);
        var limited = RateLimit(context, rule, major, now);
        if (limited is not null)
        {
            return limited;
        }

        if (rule.Schema is null)
        {
            return null;
        }

        var problems = new List<string>();
        string text;
        List<UploadedFile> files = [];
        if (rule.Schema is DiscordSpec.Followup or DiscordSpec.OriginalEdit
            && request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
        {
            (text, files) = await ReadUploadAsync(request, problems, context.RequestAborted);
        }
        else
        {
            using (var reader = new StreamReader(request.Body))
            {
                text = await reader.ReadToEndAsync(context.RequestAborted);
            }

            if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            {
                problems.Add($"Content-Type is '{request.ContentType}', not application/json");
            }
        }

        JsonNode? body = null;
        try
        {
            body = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            problems.Add("body is not JSON: " + e.Message);
        }

        if (body is not null)
        {
            problems.AddRange(DiscordSpec.Validate(rule.Schema, text));
            problems.AddRange(StricterRules(rule, body));
            problems.AddRange(AttachmentRules(body, files));
        }

        if (problems.Count > 0)
        {
            Violate($"{rule.Name}: {string.Join("; ", problems)}");
            return new Answer(400, new JsonObject
            {
                ["code"] = 50035,
                ["message"] = "Invalid Form Body",
                ["errors"] = new JsonArray([.. problems.Select(p => JsonValue.Create(p))]),
            });
        }

        context.Items[typeof(JsonNode)] = body;
        context.Items[typeof(UploadedFile)] = files;
        return null;
    }

    /// <summary>
    /// Discord's "Uploading Files": a <c>multipart/form-data</c> body whose <c>payload_json</c> part holds the JSON
    /// body and whose <c>files[n]</c> parts hold the files; nothing else is read.
    /// </summary>
    private static async Task<(string PayloadJson, List<UploadedFile> Files)> ReadUploadAsync(HttpRequest request, List<string> problems, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var payload = form["payload_json"].ToString();
        if (payload.Length == 0)
        {
            problems.Add("a multipart body without a payload_json part");
        }

        problems.AddRange(form.Keys.Where(k => k != "payload_json").Select(k => $"an unknown form field '{k}'"));
        var files = new List<UploadedFile>();
        foreach (var file in form.Files)
        {
            var match = System.Text.RegularExpressions.Regex.Match(file.Name, @"^files\[(\d+)\]$");
            if (!match.Success)
            {
                problems.Add($"a file part named '{file.Name}', not files[n]");
                continue;
            }

            using var bytes = new MemoryStream();
            await file.CopyToAsync(bytes, cancellationToken);
            files.Add(new UploadedFile(match.Groups[1].Value, file.FileName, file.ContentType, bytes.ToArray()));
        }

        if (files.Count == 0)
        {
            problems.Add("a multipart body without any files[n] part");
        }

        return (payload.Length == 0 ? "{}" : payload, files);
    }

    /// <summary>Every attachment entry names a files[n] part by its id, with the same file name, and every file has its entry.</summary>
    private static IEnumerable<string> AttachmentRules(JsonNode body, List<UploadedFile> files)
    {
        var entries = ((body as JsonObject)?["attachments"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(a => (Id: a["id"]?.ToString(), Filename: a["filename"]?.ToString())).ToList();
        foreach (var entry in entries)
        {
            var file = files.FirstOrDefault(f => f.Id == entry.Id);
            if (file is null)
            {
                yield return $"attachments name id {entry.Id}, which no files[{entry.Id}] part carries";
            }
            else if (entry.Filename is not null && entry.Filename != file.FileName)
            {
                yield return $"attachment {entry.Id} is named '{entry.Filename}' but its part is '{file.FileName}'";
            }
        }

        foreach (var file in files.Where(f => entries.All(e => e.Id != f.Id)))
        {
            yield return $"files[{file.Id}] has no entry in attachments";
        }
    }

    /// <summary>What Discord enforces and its OpenAPI document does not say: no unknown fields, 2000 characters, allowed_mentions.</summary>
    private static IEnumerable<string> StricterRules(RouteRule rule, JsonNode body)
    {
        if (rule.Schema == DiscordSpec.BulkCommands)
        {
            foreach (var command in body as JsonArray ?? [])
            {
                foreach (var problem in UnknownFields(command as JsonObject, "ApplicationCommandUpdateRequest", "command"))
                {
                    yield return problem;
                }
            }

            yield break;
        }

        if (body is not JsonObject obj)
        {
            yield return "the body is not an object";
            yield break;
        }

        if (rule.MessageAt == MessageAt.CallbackData)
        {
            foreach (var problem in UnknownFields(obj, ["type", "data"], "callback"))
            {
                yield return problem;
            }

            var type = obj["type"] is JsonValue t && t.TryGetValue<int>(out var n) ? n : 0;
            var dataSchema = type switch
            {
                4 or 5 => "IncomingWebhookInteractionRequest",
                6 or 7 => "IncomingWebhookUpdateForInteractionCallbackRequestPartial",
                9 => "ModalInteractionCallbackRequestData",
                _ => null,
            };
            if (obj["data"] is JsonObject data && dataSchema is not null)
            {
                foreach (var problem in UnknownFields(data, dataSchema, "data"))
                {
                    yield return problem;
                }

                if (type is 4 or 7)
                {
                    foreach (var problem in MessageRules(data))
                    {
                        yield return problem;
                    }
                }
            }

            yield break;
        }

        foreach (var problem in UnknownFields(obj, rule.Schema!, "body"))
        {
            yield return problem;
        }

        if (rule.MessageAt == MessageAt.Root)
        {
            foreach (var problem in MessageRules(obj))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<string> UnknownFields(JsonObject? obj, string schema, string where) =>
        UnknownFields(obj, DiscordSpec.PropertiesOf(schema), where);

    private static IEnumerable<string> UnknownFields(JsonObject? obj, IEnumerable<string> known, string where)
    {
        var allowed = known.ToHashSet(StringComparer.Ordinal);
        return (obj ?? []).Select(p => p.Key).Where(k => !allowed.Contains(k)).Select(k => $"{where} has an unknown field '{k}'");
    }

    private static IEnumerable<string> MessageRules(JsonObject message)
    {
        var content = message["content"] is JsonValue c && c.TryGetValue<string>(out var s) ? s : null;
        if (content is not null && content.Length > ContentLimit)
        {
            yield return $"content has {content.Length} characters, more than {ContentLimit}";
        }

        var hasEmbeds = message["embeds"] is JsonArray { Count: > 0 };
        if ((!string.IsNullOrEmpty(content) || hasEmbeds) && message["allowed_mentions"] is null)
        {
            yield return "a message with content or embeds has no allowed_mentions (echoed text could ping people)";
        }
    }

    private Answer? RateLimit(HttpContext context, RouteRule rule, string major, DateTimeOffset now)
    {
        var key = rule.Name + "\n" + major;
        lock (_gate)
        {
            if (!rule.TokenRoute && _globalBlockedUntil > now)
            {
                return TooManyRequests(context, (_globalBlockedUntil - now).TotalSeconds, global: true, bucket: null);
            }

            if (_routeBlockedUntil.TryGetValue(key, out var until) && until > now)
            {
                return TooManyRequests(context, (until - now).TotalSeconds, global: false, bucket: BucketHash(rule.Name));
            }

            var script = _scripts.FirstOrDefault(s => s.Remaining > 0 && (s.When is null || s.When(context.Request)));
            if (script is not null)
            {
                script.Remaining--;
                if (script.Status != 429)
                {
                    return Error(script.Status, script.Code, script.Message ?? (script.Status >= 500 ? "500: Internal Server Error" : $"{script.Status}: Refused"));
                }

                var blockedUntil = now + TimeSpan.FromSeconds(script.RetryAfterSeconds);
                if (script.Global)
                {
                    _globalBlockedUntil = blockedUntil;
                }
                else
                {
                    _routeBlockedUntil[key] = blockedUntil;
                }

                return TooManyRequests(context, script.RetryAfterSeconds, script.Global, script.Global ? null : BucketHash(rule.Name));
            }

            var (limit, window) = _routeLimits.TryGetValue(rule.Name, out var configured) ? configured : (50, TimeSpan.FromSeconds(1));
            if (!_buckets.TryGetValue(key, out var bucket) || bucket.ResetAt <= now)
            {
                bucket = new BucketWindow { ResetAt = now + window };
                _buckets[key] = bucket;
            }

            var resetAfter = (bucket.ResetAt - now).TotalSeconds;
            if (bucket.Used >= limit)
            {
                return TooManyRequests(context, resetAfter, global: false, BucketHash(rule.Name));
            }

            bucket.Used++;
            var headers = context.Response.Headers;
            headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = (limit - bucket.Used).ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = Seconds(bucket.ResetAt.ToUnixTimeMilliseconds() / 1000.0);
            headers["X-RateLimit-Reset-After"] = Seconds(resetAfter);
            headers["X-RateLimit-Bucket"] = BucketHash(rule.Name);
            return null;
        }
    }

    private static Answer TooManyRequests(HttpContext context, double retryAfter, bool global, string? bucket)
    {
        var headers = context.Response.Headers;
        headers.RetryAfter = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Scope"] = global ? "global" : "user";
        if (global)
        {
            headers["X-RateLimit-Global"] = "true";
        }
        else if (bucket is not null)
        {
            headers["X-RateLimit-Bucket"] = bucket;
            headers["X-RateLimit-Remaining"] = "0";
            headers["X-RateLimit-Reset-After"] = Seconds(retryAfter);
        }

        return new Answer(429, new JsonObject
        {
            ["message"] = "You are being rate limited.",
            ["retry_after"] = Math.Round(retryAfter, 3, MidpointRounding.AwayFromZero),
            ["global"] = global,
        });
    }

    private string BucketHash(string route)
    {
        if (!_bucketHashes.TryGetValue(route, out var hash))
        {
            hash = (_bucketHashes.Count + 1).ToString("x8", CultureInfo.InvariantCulture) + "c0ffee";
            _bucketHashes[route] = hash;
        }

        return hash;
    }

    private static string Seconds(double seconds) =>
        (Math.Ceiling(seconds * 1000) / 1000).ToString("0.###", CultureInfo.InvariantCulture);

    private static string MajorParameter(HttpContext context)
    {
        var values = context.Request.RouteValues;
        foreach (var name in new[] { "channel", "thread", "guild", "token", "id", "application" })
        {
            if (values.TryGetValue(name, out var value) && value is not null)
            {
                return name == "token" ? $"{values["application"]}/{value}" : value.ToString()!;
            }
        }

        return string.Empty;
    }

    private Answer GatewayBot(HttpContext context) => Json(200, new JsonObject
    {
        ["url"] = GatewayUrl,
        ["shards"] = 1,
        ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = 999, ["reset_after"] = 0, ["max_concurrency"] = 1 },
    });

    private Answer Commands(HttpContext context)
    {
        var guild = context.Request.RouteValues["guild"] as string;
        if ((string?)context.Request.RouteValues["application"] != _applicationId)
        {
            return Error(403, 20012, "You are not authorized to perform this action on this application");
        }

        var commands = Body(context).AsArray();
        var echoed = new JsonArray();
        lock (_gate)
        {
            foreach (var command in commands)
            {
                var copy = command!.DeepClone().AsObject();
                copy["id"] = NextSnowflake();
                copy["application_id"] = _applicationId;
                copy["version"] = NextSnowflake();
                if (guild is not null)
                {
                    copy["guild_id"] = guild;
                }

                echoed.Add(copy);
            }

            _commandRegistrations.Add(new CommandRegistration(guild, commands.DeepClone().AsArray()));
        }

        return Json(200, echoed);
    }

    private Answer CreateMessage(HttpContext context)
    {
        var channel = (string)context.Request.RouteValues["channel"]!;
        var body = Body(context).AsObject();
        lock (_gate)
        {
            if (_deletedChannels.Contains(channel))
            {
                return Error(404, 10003, "Unknown Channel");
            }

            var nonce = body["nonce"]?.ToJsonString();
            var enforced = body["enforce_nonce"] is JsonValue e && e.TryGetValue<bool>(out var b) && b;
            if (enforced && nonce is not null && _messagesByNonce.TryGetValue((channel, nonce), out var first)
                && _clock.GetUtcNow() - DateTimeOffset.Parse((string)first["timestamp"]!, CultureInfo.InvariantCulture) < NonceWindow)
            {
                return Json(200, first.DeepClone());
            }

            var id = NextSnowflake();
            var answer = MessageAnswer(id, channel, body, webhookId: null);
            _messages.Add(new PostedMessage(id, channel, body.DeepClone().AsObject()));
            _history.Add(answer);
            _messageAnswers[id] = answer;
            if (enforced && nonce is not null)
            {
                _messagesByNonce[(channel, nonce)] = answer;
            }

            if (_withheld.FirstOrDefault(w => w.Matches(body)) is { } withheld)
            {
                _withheld.Remove(withheld);
                withheld.Taken.TrySetResult();
                return new Answer(200, null) { Withheld = true };
            }

            return Json(200, answer.DeepClone());
        }
    }

    private Answer EditMessage(HttpContext context)
    {
        var channel = (string)context.Request.RouteValues["channel"]!;
        var message = (string)context.Request.RouteValues["message"]!;
        var body = Body(context).AsObject();
        lock (_gate)
        {
            if (!_messageAnswers.TryGetValue(message, out var existing) || (string?)existing["channel_id"] != channel)
            {
                return Error(404, 10008, "Unknown Message");
            }

            foreach (var (field, value) in body)
            {
                existing[field] = value?.DeepClone();
            }

            _edits.Add(new MessageEditRecord(channel, message, body.DeepClone().AsObject()));
            return Json(200, existing.DeepClone());
        }
    }

    private Answer StartThread(HttpContext context)
    {
        var channel = (string)context.Request.RouteValues["channel"]!;
        var body = Body(context).AsObject();
        var type = body["type"] is JsonValue t && t.TryGetValue<int>(out var n) ? n : 12;
        if (type == 12 && !PrivateThreadsAllowed)
        {
            return Error(403, 50001, "Missing Access");
        }

        lock (_gate)
        {
            var id = NextSnowflake();
            var name = (string?)body["name"] ?? string.Empty;
            _threads.Add(new CreatedThread(id, channel, type, name, body.DeepClone().AsObject()));
            var thread = new JsonObject
            {
                ["id"] = id,
                ["type"] = type,
                ["guild_id"] = GuildId,
                ["parent_id"] = channel,
                ["name"] = name,
                ["owner_id"] = BotUserId,
            };
            _channels[id] = thread;
            return Json(200, thread.DeepClone());
        }
    }

    /// <summary>
    /// A public thread on a message, as Discord makes one: its id is the message's, and a message holds one thread,
    /// so a second try is refused with 400 and code 160004.
    /// </summary>
    private Answer StartThreadFromMessage(HttpContext context)
    {
        var channel = (string)context.Request.RouteValues["channel"]!;
        var message = (string)context.Request.RouteValues["message"]!;
        var body = Body(context).AsObject();
        lock (_gate)
        {
            if (_deletedChannels.Contains(channel))
            {
                return Error(404, 10003, "Unknown Channel");
            }

            if (!_messageAnswers.TryGetValue(message, out var starter) || (string?)starter["channel_id"] != channel)
            {
                return Error(404, 10008, "Unknown Message");
            }

            if (_threads.Any(t => t.Id == message))
            {
                return Error(400, 160004, "A thread has already been created for this message");
            }

            var name = (string?)body["name"] ?? string.Empty;
            var type = _channels.TryGetValue(channel, out var parent) && (int?)parent["type"] == 5 ? 10 : 11;
            _threads.Add(new CreatedThread(message, channel, type, name, body.DeepClone().AsObject()));
            var thread = new JsonObject
            {
                ["id"] = message,
                ["type"] = type,
                ["guild_id"] = GuildId,
                ["parent_id"] = channel,
                ["name"] = name,
                ["owner_id"] = BotUserId,
            };
            _channels[message] = thread;
            return Json(200, thread.DeepClone());
        }
    }

    /// <summary>The bot's direct-message channel with a user: made on first use, the same one after.</summary>
    private Answer OpenDirectMessage(HttpContext context)
    {
        var body = Body(context).AsObject();
        if ((string?)body["recipient_id"] is not { } user)
        {
            Violate("POST /users/@me/channels: no recipient_id");
            return Error(400, 50035, "Invalid Form Body");
        }

        lock (_gate)
        {
            if (!_directChannels.TryGetValue(user, out var id))
            {
                id = NextSnowflake();
                _directChannels[user] = id;
                _channels[id] = new JsonObject { ["id"] = id, ["type"] = 1 };
            }

            return Json(200, new JsonObject
            {
                ["id"] = id,
                ["type"] = 1,
                ["recipients"] = new JsonArray(new JsonObject { ["id"] = user, ["username"] = $"user-{user[^4..]}", ["discriminator"] = "0" }),
            });
        }
    }

    private Answer GetChannel(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["channel"]!;
        lock (_gate)
        {
            return !_deletedChannels.Contains(id) && _channels.TryGetValue(id, out var channel)
                ? Json(200, channel.DeepClone())
                : Error(404, 10003, "Unknown Channel");
        }
    }

    /// <summary>
    /// Discord's reading of a channel: <c>limit</c> 1–100 (50 unless given); with <c>after</c>, the earliest messages
    /// after that id, otherwise (or with <c>before</c>) the latest; listed newest first either way, without guild_id,
    /// and without the nonce, which Discord hands back only in the answer to the post and its gateway event.
    /// </summary>
    private Answer ListMessages(HttpContext context)
    {
        var channel = (string)context.Request.RouteValues["channel"]!;
        var query = context.Request.Query;
        var limit = 50;
        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            Violate($"GET /channels/{{channel}}/messages: limit '{limitText}' is not 1-100");
            return Error(400, 50035, "Invalid Form Body");
        }

        ulong? after = null, before = null;
        foreach (var (name, value) in new[] { ("after", (string?)query["after"]), ("before", (string?)query["before"]) })
        {
            if (value is null)
            {
                continue;
            }

            if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                Violate($"GET /channels/{{channel}}/messages: {name} '{value}' is not a snowflake");
                return Error(400, 50035, "Invalid Form Body");
            }

            if (name == "after")
            {
                after = id;
            }
            else
            {
                before = id;
            }
        }

        lock (_gate)
        {
            if (_deletedChannels.Contains(channel) || !_channels.ContainsKey(channel))
            {
                return Error(404, 10003, "Unknown Channel");
            }

            var inChannel = _history.Where(m => (string?)m["channel_id"] == channel).Select(m => (Id: ulong.Parse((string)m["id"]!, CultureInfo.InvariantCulture), Message: m));
            var chosen = after is { } a
                ? inChannel.Where(m => m.Id > a && (before is not { } b1 || m.Id < b1)).OrderBy(m => m.Id).Take(limit)
                : inChannel.Where(m => before is not { } b2 || m.Id < b2).OrderByDescending(m => m.Id).Take(limit);
            return Json(200, new JsonArray([.. chosen.OrderByDescending(m => m.Id).Select(m => WithoutNonce(m.Message))]));
        }
    }

    private static JsonObject WithoutNonce(JsonObject message)
    {
        var read = message.DeepClone().AsObject();
        read.Remove("nonce");
        return read;
    }

    private Answer DeleteChannel(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["channel"]!;
        lock (_gate)
        {
            if (_deletedChannels.Contains(id) || !_channels.TryGetValue(id, out var channel))
            {
                return Error(404, 10003, "Unknown Channel");
            }

            _deletedChannels.Add(id);
            return Json(200, channel.DeepClone());
        }
    }

    private Answer AddReaction(HttpContext context)
    {
        var channel = (string)context.Request.RouteValues["channel"]!;
        var message = (string)context.Request.RouteValues["message"]!;
        var emoji = Uri.UnescapeDataString((string)context.Request.RouteValues["emoji"]!);
        lock (_gate)
        {
            if (_deletedChannels.Contains(channel))
            {
                return Error(404, 10003, "Unknown Channel");
            }

            if (!ReactionsAllowed)
            {
                return Error(403, 50013, "Missing Permissions");
            }

            _reactions.Add(new ReactionAdded(channel, message, emoji));

            // Read back with the message, as Discord lists a message's reactions: the bot's own say "me".
            if (_history.FirstOrDefault(m => (string?)m["id"] == message && (string?)m["channel_id"] == channel) is { } written)
            {
                var reactions = written["reactions"] as JsonArray ?? [];
                written["reactions"] = reactions;
                if (reactions.FirstOrDefault(r => (string?)r?["emoji"]?["name"] == emoji) is not JsonObject existing)
                {
                    reactions.Add(new JsonObject { ["count"] = 1, ["me"] = true, ["emoji"] = new JsonObject { ["id"] = null, ["name"] = emoji } });
                }
                else if (existing["me"]?.GetValue<bool>() != true)
                {
                    existing["count"] = existing["count"]!.GetValue<int>() + 1;
                    existing["me"] = true;
                }
            }
        }

        return new Answer(204, null);
    }

    private Answer AddThreadMember(HttpContext context)
    {
        var thread = (string)context.Request.RouteValues["thread"]!;
        var user = (string)context.Request.RouteValues["user"]!;
        lock (_gate)
        {
            if (!_threads.Any(t => t.Id == thread) || _deletedChannels.Contains(thread))
            {
                return Error(404, 10003, "Unknown Channel");
            }

            _threadMembers.Add(new ThreadMemberAdded(thread, user));
        }

        return new Answer(204, null);
    }

    private Answer Callback(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var token = (string)context.Request.RouteValues["token"]!;
        var body = Body(context).AsObject();
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (!_interactionsById.TryGetValue(id, out var interaction) || interaction.Token != token)
            {
                return Error(404, 10062, "Unknown interaction");
            }

            if (interaction.Acknowledged)
            {
                return Error(400, 40060, "Interaction has already been acknowledged.");
            }

            if (now - interaction.SentAt > InteractionDeadline)
            {
                return Error(404, 10062, "Unknown interaction");
            }

            interaction.Acknowledged = true;
            _callbacks.Add(new InteractionCallbackRecord(id, token, body.DeepClone().AsObject()));
        }

        return new Answer(204, null);
    }

    private Answer EditOriginal(HttpContext context)
    {
        var body = Body(context).AsObject();
        lock (_gate)
        {
            if (Webhook(context) is not { } interaction)
            {
                return Error(404, 10015, "Unknown Webhook");
            }

            interaction.OriginalId ??= NextSnowflake();
            _originalEdits.Add(new WebhookMessageRecord(interaction.Token, interaction.OriginalId, body.DeepClone().AsObject()) { Files = Files(context) });
            return Json(200, MessageAnswer(interaction.OriginalId, interaction.ChannelId, body, _applicationId));
        }
    }

    private Answer Followup(HttpContext context)
    {
        var body = Body(context).AsObject();
        lock (_gate)
        {
            if (Webhook(context) is not { } interaction)
            {
                return Error(404, 10015, "Unknown Webhook");
            }

            var id = NextSnowflake();
            _followups.Add(new WebhookMessageRecord(interaction.Token, id, body.DeepClone().AsObject()) { Files = Files(context) });
            return Json(200, MessageAnswer(id, interaction.ChannelId, body, _applicationId));
        }
    }

    /// <summary>The interaction whose token the webhook route carries, if it is acknowledged and still fresh.</summary>
    private RegisteredInteraction? Webhook(HttpContext context)
    {
        var application = (string?)context.Request.RouteValues["application"];
        var token = (string?)context.Request.RouteValues["token"];
        return application == _applicationId
            && token is not null
            && _interactionsByToken.TryGetValue(token, out var interaction)
            && interaction.Acknowledged
            && _clock.GetUtcNow() - interaction.SentAt <= InteractionTokenLifetime
                ? interaction
                : null;
    }

    private JsonObject MessageAnswer(string id, string channel, JsonObject body, string? webhookId)
    {
        var answer = new JsonObject
        {
            ["id"] = id,
            ["channel_id"] = channel,
            ["type"] = 0,
            ["content"] = body["content"]?.DeepClone() ?? string.Empty,
            ["author"] = BotUser(),
            ["embeds"] = body["embeds"]?.DeepClone() ?? new JsonArray(),
            ["components"] = body["components"]?.DeepClone() ?? new JsonArray(),
            ["timestamp"] = _clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        };
        if (body["nonce"] is { } nonce)
        {
            answer["nonce"] = nonce.DeepClone();
        }

        if (webhookId is not null)
        {
            answer["webhook_id"] = webhookId;
        }

        return answer;
    }

    private JsonObject BotUser() => new()
    {
        ["id"] = BotUserId,
        ["username"] = BotUsername,
        ["discriminator"] = "0",
        ["bot"] = true,
    };

    /// <summary>A snowflake from the real _clock, strictly increasing.</summary>
    private string NextSnowflake()
    {
        var fromClock = (_clock.GetUtcNow() - DiscordEpoch).Ticks / TimeSpan.TicksPerMillisecond << 22;
        _lastSnowflake = Math.Max(_lastSnowflake + 1, fromClock);
        return _lastSnowflake.ToString(CultureInfo.InvariantCulture);
    }

    private void Violate(string violation)
    {
        lock (_gate)
        {
            _violations.Add(violation);
        }
    }

    private static JsonNode Body(HttpContext context) => (JsonNode)context.Items[typeof(JsonNode)]!;

    private static List<UploadedFile> Files(HttpContext context) => (List<UploadedFile>)context.Items[typeof(UploadedFile)]!;

    private static Answer Json(int status, JsonNode body) => new(status, body);

    private static Answer Error(int status, int code, string message) =>
        new(status, new JsonObject { ["message"] = message, ["code"] = code });

    private sealed record Answer(int Status, JsonNode? Body)
    {
        /// <summary>The request was carried out, but no answer is sent: see <see cref="HoldAnswerAfterAccepting"/>.</summary>
        public bool Withheld { get; init; }
    }

    private sealed class WithheldAnswer(Func<JsonObject, bool> matches)
    {
        public Func<JsonObject, bool> Matches { get; } = matches;

        public TaskCompletionSource Taken { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private enum MessageAt
    {
        None,
        Root,
        CallbackData,
    }

    private sealed record RouteRule(string Name, string? Schema, MessageAt MessageAt, bool TokenRoute);

    private sealed class ScriptedFailure(int count, Func<HttpRequest, bool>? when, int status, double retryAfterSeconds, bool global)
    {
        public int Remaining { get; set; } = count;

        public Func<HttpRequest, bool>? When { get; } = when;

        public int Status { get; } = status;

        public double RetryAfterSeconds { get; } = retryAfterSeconds;

        public bool Global { get; } = global;

        public int Code { get; init; }

        public string? Message { get; init; }
    }

    private sealed class BucketWindow
    {
        public int Used { get; set; }

        public DateTimeOffset ResetAt { get; init; }
    }

    private sealed class RegisteredInteraction(string id, string token, string channelId, DateTimeOffset sentAt)
    {
        public string Id { get; } = id;

        public string Token { get; } = token;

        public string ChannelId { get; } = channelId;

        public DateTimeOffset SentAt { get; } = sentAt;

        public bool Acknowledged { get; set; }

        public string? OriginalId { get; set; }
    }
}

/// <summary>A message posted to <c>POST /channels/{channel}/messages</c>: the body as sent and the id assigned.</summary>
public sealed record PostedMessage(string Id, string ChannelId, JsonObject Body);

public sealed record MessageEditRecord(string ChannelId, string MessageId, JsonObject Body);

public sealed record CreatedThread(string Id, string ParentId, int Type, string Name, JsonObject Body);

public sealed record ThreadMemberAdded(string ThreadId, string UserId);

public sealed record ReactionAdded(string ChannelId, string MessageId, string Emoji);

public sealed record InteractionCallbackRecord(string InteractionId, string Token, JsonObject Body);

/// <summary>A follow-up (<c>POST /webhooks/{app}/{token}</c>) or an edit of the original response; <see cref="MessageId"/> is the message's id.</summary>
public sealed record WebhookMessageRecord(string Token, string MessageId, JsonObject Body)
{
    /// <summary>The files sent with it as <c>multipart/form-data</c>; the body is then its <c>payload_json</c>.</summary>
    public IReadOnlyList<UploadedFile> Files { get; init; } = [];
}

/// <summary>A <c>files[n]</c> part of an upload: <see cref="Id"/> is its n.</summary>
public sealed record UploadedFile(string Id, string FileName, string? ContentType, byte[] Content);

/// <summary>A bulk overwrite of commands: <see cref="GuildId"/> is null for the global set.</summary>
public sealed record CommandRegistration(string? GuildId, JsonArray Commands);

/// <summary>
/// One request as the fake saw it: <see cref="Route"/> is the method and template, e.g.
/// <c>POST /channels/{channel}/messages</c>; <see cref="ArrivedAt"/> is the time it arrived on the fake's clock.
/// </summary>
public sealed record FakeRequest(string Method, string Route, int Status, DateTimeOffset ArrivedAt, string? Authorization, string UserAgent);
