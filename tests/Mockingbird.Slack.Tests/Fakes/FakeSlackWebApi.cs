using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.Fakes;

/// <summary>
/// A Slack Web API server on 127.0.0.1 that speaks the real protocol for the methods the bot calls: bearer tokens
/// (the app-level token only for <c>apps.connections.open</c>), refusals as HTTP 200 <c>ok: false</c>, bodies checked
/// against Slack's published description and the Block Kit limits it misses, threads that must name their parent,
/// trigger ids good for 3 seconds and one use, message metadata kept and read back by <c>conversations.replies</c>
/// (form fields only, paginated), and scripted 429s and 5xx. Everything it is sent is recorded.
/// </summary>
public sealed class FakeSlackWebApi : IAsyncDisposable
{
    public const string BotUserId = "UBOT";
    public const string BotId = "BBOT";
    public const string TeamId = "T1";

    private const string Prefix = "/api/";

    /// <summary>Where upload URLs point: Slack's upload host, which this fake serves beside the API.</summary>
    private const string UploadPrefix = "/upload/v1/";
    private static readonly TimeSpan TriggerLifetime = TimeSpan.FromSeconds(3);

    /// <summary>Methods that read form fields only: Slack answers a JSON body with <c>invalid_arguments</c>.</summary>
    private static readonly HashSet<string> FormOnly = new(StringComparer.Ordinal)
    {
        "conversations.replies", "conversations.history", "conversations.info", "conversations.members", "users.info",
        "files.getUploadURLExternal", "files.completeUploadExternal",
    };

    /// <summary>
    /// The external upload methods, which Slack's published description (2021) predates: their arguments as the
    /// methods' reference pages list them, required ones apart.
    /// </summary>
    private static readonly Dictionary<string, MethodParameters> UploadMethods = new(StringComparer.Ordinal)
    {
        ["files.getUploadURLExternal"] = new(
            new HashSet<string>(["filename", "length", "alt_txt", "snippet_type"], StringComparer.Ordinal),
            new HashSet<string>(["filename", "length"], StringComparer.Ordinal)),
        ["files.completeUploadExternal"] = new(
            new HashSet<string>(["files", "channel_id", "channels", "thread_ts", "initial_comment", "blocks"], StringComparer.Ordinal),
            new HashSet<string>(["files"], StringComparer.Ordinal)),
    };

    private readonly WebApplication _app;
    private readonly string _botToken;
    private readonly string _appToken;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();

    private readonly List<RecordedMessage> _messages = [];
    private readonly HashSet<(string Channel, string Ts)> _deleted = [];
    private readonly List<RecordedEphemeral> _ephemerals = [];
    private readonly List<RecordedUpdate> _updates = [];
    private readonly List<RecordedView> _views = [];
    private readonly List<(string Channel, string Ts, string Name)> _reactions = [];
    private readonly List<string> _violations = [];
    private readonly List<RecordedRequest> _requestLog = [];
    private readonly Dictionary<string, Trigger> _triggers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkspaceUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkspaceChannel> _channels = new(StringComparer.Ordinal);
    private readonly List<ScriptedFailure> _scripts = [];
    private readonly Dictionary<string, DateTimeOffset> _blockedUntil = new(StringComparer.Ordinal);
    private readonly List<(string Warning, string? Method)> _pendingWarnings = [];
    private readonly Dictionary<string, PendingUpload> _pendingUploads = new(StringComparer.Ordinal);
    private readonly List<RecordedUpload> _uploads = [];
    private readonly List<(string Method, string Error)> _refusals = [];
    private int _lastFileId;
    // Real timestamps are the time of posting: the bot reads a message's age from its ts.
    private long _lastTsMicros;
    private int _lastViewId;
    private (string Method, Func<string, bool> Matches, TaskCompletionSource Taken)? _hold;

    private FakeSlackWebApi(WebApplication app, string botToken, string appToken, TimeProvider clock)
    {
        _clock = clock;
        _lastTsMicros = clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        _app = app;
        _botToken = botToken;
        _appToken = appToken;
    }

    /// <summary>Where the client should point <c>Slack:ApiBaseUrl</c>: <c>http://127.0.0.1:{port}/api/</c>.</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>What <c>apps.connections.open</c> answers as <c>url</c>, asked afresh each call (a fake Socket Mode server sets its own).</summary>
    public Func<string> SocketUrl { get; set; } = () => "wss://127.0.0.1:1/link/?ticket=fake";

    /// <summary>Channels the bot is not a member of: posting there answers <c>not_in_channel</c>.</summary>
    public IReadOnlySet<string> ChannelsWithoutBot { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Channels made read-only (only admins post there): posting answers <c>restricted_action_read_only_channel</c>.</summary>
    public IReadOnlySet<string> ReadOnlyChannels { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Every message posted with <c>chat.postMessage</c>, top-level and replies, in order.</summary>
    public IReadOnlyList<RecordedMessage> AllMessages => Snapshot(_messages);

    public IReadOnlyList<RecordedEphemeral> Ephemerals => Snapshot(_ephemerals);

    public IReadOnlyList<RecordedUpdate> Updates => Snapshot(_updates);

    public IReadOnlyList<RecordedView> Views => Snapshot(_views);

    /// <summary>Files shared by <c>files.completeUploadExternal</c>, with the bytes posted to their upload URL.</summary>
    public IReadOnlyList<RecordedUpload> Uploads => Snapshot(_uploads);

    /// <summary>Reactions the bot added: channel, message ts and emoji name.</summary>
    public IReadOnlyList<(string Channel, string Ts, string Name)> Reactions => Snapshot(_reactions);

    /// <summary>Every request real Slack would have refused as malformed (or that broke a documented rule); tests expect it empty.</summary>
    public IReadOnlyList<string> Violations => Snapshot(_violations);

    /// <summary>Every request, in arrival order, with the status and error it was answered.</summary>
    public IReadOnlyList<RecordedRequest> RequestLog => Snapshot(_requestLog);

    /// <param name="clock">The clock for arrival times, rate limits and trigger lifetimes; the real one unless a test moves time.</param>
    public static async Task<FakeSlackWebApi> StartAsync(string botToken, string appToken, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(botToken);
        ArgumentException.ThrowIfNullOrEmpty(appToken);

        var app = LoopbackServer.Build();
        var fake = new FakeSlackWebApi(app, botToken, appToken, clock ?? TimeProvider.System);
        app.MapPost(Prefix + "{method}", fake.HandleAsync);
        app.MapPost(UploadPrefix + "{fileId}", fake.UploadAsync);
        app.MapFallback(fake.UnknownRouteAsync);
        await app.StartAsync();

        fake.ApiBaseUrl = new Uri(LoopbackServer.AddressOf(app) + Prefix);
        return fake;
    }

    /// <summary>
    /// A message deleted by someone in Slack: it is no longer read back, updated, or replied to in its thread. One
    /// that had thread replies leaves a tombstone, as Slack's does: the history and the thread still show a message at
    /// its ts, with the subtype <c>tombstone</c> and none of its text. <see cref="Messages"/> still lists it, as a post
    /// that was made.
    /// </summary>
    public void DeleteMessage(string channel, string ts)
    {
        lock (_gate)
        {
            _deleted.Add((channel, ts));
        }
    }

    /// <summary>
    /// <paramref name="count"/> plain messages at the top of the channel, without blocks or metadata, as a busy
    /// channel's talk after the bot's last post; <see cref="Messages"/> lists them too.
    /// </summary>
    public void AddChatter(string channel, int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                var text = string.Create(CultureInfo.InvariantCulture, $"chatter {i}");
                _messages.Add(new RecordedMessage(channel, NextTs(), null, text, null, new JsonObject { ["channel"] = channel, ["text"] = text }));
            }
        }
    }

    /// <summary>A reply in the thread under <paramref name="parentTs"/>, as a member answering a round would post it.</summary>
    public void AddReply(string channel, string parentTs, string text)
    {
        lock (_gate)
        {
            _messages.Add(new RecordedMessage(channel, NextTs(), parentTs, text, null, new JsonObject { ["channel"] = channel, ["text"] = text, ["thread_ts"] = parentTs }));
        }
    }

    /// <summary>Messages posted to one channel, top-level and replies, in order.</summary>
    public IReadOnlyList<RecordedMessage> Messages(string channel)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.Channel == channel)];
        }
    }

    /// <summary>The replies in the thread under <paramref name="parentTs"/>, in order (the parent itself not included).</summary>
    public IReadOnlyList<RecordedMessage> Thread(string channel, string parentTs)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.Channel == channel && m.ThreadTs == parentTs)];
        }
    }

    /// <summary>
    /// A person, for <c>users.info</c>: an admin, an owner, or neither; of this workspace unless <paramref name="team"/>
    /// names another (someone met in a channel shared across organisations).
    /// </summary>
    public void AddUser(string id, bool admin = false, bool owner = false, string team = TeamId)
    {
        lock (_gate)
        {
            _users[id] = new WorkspaceUser(id, admin, owner, team);
        }
    }

    /// <summary>
    /// A channel, for <c>conversations.info</c> and <c>conversations.members</c>: who created it and who is in it
    /// (the bot is a member unless the channel is in <see cref="ChannelsWithoutBot"/>).
    /// </summary>
    public void AddChannel(string id, string creator, IEnumerable<string> members, bool archived = false)
    {
        lock (_gate)
        {
            _channels[id] = new WorkspaceChannel(id, creator, [.. members], archived);
        }
    }

    /// <summary>Makes a trigger id known, as if a user had just clicked: <c>views.open</c> may use it once within 3 seconds (real time).</summary>
    public void RegisterTrigger(string triggerId)
    {
        lock (_gate)
        {
            _triggers[triggerId] = new Trigger(_clock.GetUtcNow());
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> requests (for <paramref name="method"/>, or any) with HTTP 429,
    /// <c>Retry-After</c> and <c>{ok:false,error:"ratelimited"}</c>; until the wait is over the method keeps being
    /// refused the same way, so a client that does not wait is seen in <see cref="RequestLog"/>.
    /// </summary>
    public void RateLimitNext(int count, int retryAfterSeconds, string? method = null)
    {
        lock (_gate)
        {
            _scripts.Add(new ScriptedFailure(count, method, 429, retryAfterSeconds));
        }
    }

    /// <summary>Answers the next <paramref name="count"/> requests (for <paramref name="method"/>, or any) with a server error and a non-JSON body.</summary>
    public void FailNext(int count = 1, int status = 500, string? method = null)
    {
        lock (_gate)
        {
            _scripts.Add(new ScriptedFailure(count, method, status, 0));
        }
    }

    /// <summary>The next call of <paramref name="method"/> is refused with HTTP 200 <c>{ok:false, error}</c>, as Slack refuses.</summary>
    public void RefuseNext(string method, string error)
    {
        lock (_gate)
        {
            _refusals.Add((method, error));
        }
    }

    /// <summary>The next successful answer (for <paramref name="method"/>, or any) carries this warning code, as Slack adds e.g. <c>message_truncated</c>.</summary>
    public void WarnNext(string warning, string? method = null)
    {
        lock (_gate)
        {
            _pendingWarnings.Add((warning, method));
        }
    }

    /// <summary>
    /// The next <paramref name="method"/> call whose body matches is carried out (a message is posted) and then never
    /// answered, as when the caller dies between Slack accepting a call and hearing so. Completes once it is taken.
    /// </summary>
    public Task HoldAnswerAfterAccepting(string method, Func<string, bool> matches)
    {
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _hold = (method, matches, taken);
        }

        return taken.Task;
    }

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

    private async Task UnknownRouteAsync(HttpContext context)
    {
        Violate($"{context.Request.Method} {context.Request.Path}: Slack's Web API is POST /api/{{method}}");
        context.Response.StatusCode = 404;
        await context.Response.WriteAsync("Not Found", context.RequestAborted);
    }

    private async Task HandleAsync(HttpContext context, string method)
    {
        var arrived = _clock.GetUtcNow();
        string text;
        using (var reader = new StreamReader(context.Request.Body))
        {
            text = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var answer = Answer(context.Request, method, text, arrived);
        var response = context.Response;
        response.StatusCode = answer.Status;
        if (answer.RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        lock (_gate)
        {
            _requestLog.Add(new RecordedRequest(
                method,
                arrived,
                answer.Status,
                answer.Body?["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var isOk) && !isOk ? (string?)answer.Body["error"] : null,
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
                context.Request.ContentType));
        }

        TaskCompletionSource? held = null;
        lock (_gate)
        {
            if (_hold is { } hold && hold.Method == method && answer.Status == 200 && hold.Matches(text))
            {
                held = hold.Taken;
                _hold = null;
            }
        }

        if (held is not null)
        {
            held.SetResult();
            // Never answered: held until the caller goes away.
            await new TaskCompletionSource().Task.WaitAsync(context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        if (answer.Body is null)
        {
            response.ContentType = "text/plain";
            await response.WriteAsync("upstream connect error or disconnect/reset before headers", context.RequestAborted);
            return;
        }

        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(answer.Body.ToJsonString(), context.RequestAborted);
    }

    /// <summary>Decides the answer in the order Slack's front door would: outages, rate limits, token, body, then the method.</summary>
    private Reply Answer(HttpRequest request, string method, string text, DateTimeOffset now)
    {
        if (Scripted(method, now) is { } scripted)
        {
            return scripted;
        }

        var auth = Authenticate(request, method);
        if (auth is not null)
        {
            return Refuse(auth);
        }

        var warnings = new List<string>();
        var body = new JsonObject();
        if (text.Length > 0 && FormOnly.Contains(method))
        {
            var contentType = request.ContentType ?? string.Empty;
            if (!contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                return Violation(method, $"Content-Type is '{contentType}'; {method} reads form fields only", "invalid_arguments");
            }

            foreach (var (name, values) in QueryHelpers.ParseQuery(text))
            {
                body[name] = values.ToString();
            }
        }
        else if (text.Length > 0)
        {
            var contentType = request.ContentType ?? string.Empty;
            if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return Violation(method, $"Content-Type is '{contentType}'; the bot sends JSON", "invalid_arguments");
            }

            if (!contentType.Contains("charset=utf-8", StringComparison.OrdinalIgnoreCase))
            {
                warnings.Add("missing_charset");
            }

            try
            {
                body = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException)
            {
                return Violation(method, "body is not a JSON object", "invalid_json");
            }
        }

        if ((UploadMethods.TryGetValue(method, out var upload) ? upload : SlackSpec.Parameters(method)) is not { } parameters)
        {
            return Violation(method, "no such method in Slack's Web API", "unknown_method");
        }

        var problems = new List<string>();
        foreach (var (name, _) in body)
        {
            if (name == "token")
            {
                problems.Add("the token belongs in the Authorization header, not the body");
            }
            else if (!parameters.Declared.Contains(name))
            {
                problems.Add($"'{name}' is not a parameter of {method}");
            }
        }

        foreach (var name in parameters.Required.Where(name => body[name] is null || (body[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0)))
        {
            problems.Add($"'{name}' is required");
        }

        if (method == "chat.postMessage" && (body["text"] is not JsonValue t || !t.TryGetValue<string>(out var posted) || posted.Length == 0))
        {
            problems.Add("'text' is required: it is the notification and accessibility fallback for the blocks");
        }

        if (method == "conversations.open" && body["users"] is null && body["channel"] is null)
        {
            problems.Add("'users' or 'channel' is required");
        }

        // The stale description marks nothing required here; Slack's reference requires both.
        if (method == "conversations.replies" && (Text(body["channel"]) is not { Length: > 0 } || Text(body["ts"]) is not { Length: > 0 }))
        {
            problems.Add("'channel' and 'ts' are required");
        }

        // The stale description marks nothing required here either; Slack's reference requires these.
        if (method is "conversations.history" or "conversations.info" or "conversations.members" && Text(body["channel"]) is not { Length: > 0 })
        {
            problems.Add("'channel' is required");
        }

        if (method == "users.info" && Text(body["user"]) is not { Length: > 0 })
        {
            problems.Add("'user' is required");
        }

        if (method == "files.getUploadURLExternal" && Text(body["length"]) is { } length && (!long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) || bytes < 1))
        {
            problems.Add($"'length' is '{length}', not a positive number of bytes");
        }

        if (method == "files.completeUploadExternal")
        {
            problems.AddRange(CompletedFilesProblems(Text(body["files"])));
        }

        if (problems.Count > 0)
        {
            return Violation(method, string.Join("; ", problems), "invalid_arguments");
        }

        var blockProblems = method switch
        {
            "views.open" => BlockKitRules.CheckModal(body["view"]),
            _ when body["blocks"] is not null => BlockKitRules.CheckMessageBlocks(body["blocks"]),
            _ => [],
        };
        if (blockProblems.Count > 0)
        {
            return Violation(method, string.Join("; ", blockProblems), method == "views.open" ? "invalid_arguments" : "invalid_blocks");
        }

        lock (_gate)
        {
            var refusal = _refusals.FindIndex(r => r.Method == method);
            if (refusal >= 0)
            {
                var error = _refusals[refusal].Error;
                _refusals.RemoveAt(refusal);
                return Refuse(error);
            }
        }

        var reply = method switch
        {
            "auth.test" => Ok(new JsonObject
            {
                ["url"] = "https://fake-workspace.slack.com/",
                ["team"] = "Fake Workspace",
                ["user"] = "mockingbird",
                ["team_id"] = TeamId,
                ["user_id"] = BotUserId,
                ["bot_id"] = BotId,
            }),
            "apps.connections.open" => Ok(new JsonObject { ["url"] = SocketUrl() }),
            "chat.postMessage" => PostMessage(body),
            "chat.postEphemeral" => PostEphemeral(body),
            "chat.update" => Update(body),
            "views.open" => OpenView(body, now),
            "conversations.open" => OpenConversation(body),
            "conversations.replies" => ThreadReplies(body),
            "conversations.history" => History(body),
            "conversations.info" => ConversationInfo(body),
            "conversations.members" => ConversationMembers(body),
            "users.info" => UserInfo(body),
            "reactions.add" => AddReaction(body),
            "files.getUploadURLExternal" => GetUploadUrl(request, body),
            "files.completeUploadExternal" => CompleteUpload(body),
            _ => Violation(method, "a method this fake does not serve", "unknown_method"),
        };

        if (reply.Body is { } answer && (bool?)answer["ok"] == true)
        {
            lock (_gate)
            {
                var index = _pendingWarnings.FindIndex(w => w.Method is null || w.Method == method);
                if (index >= 0)
                {
                    warnings.Add(_pendingWarnings[index].Warning);
                    _pendingWarnings.RemoveAt(index);
                }
            }
        }

        if (warnings.Count > 0 && reply.Body is { } warned && (bool?)warned["ok"] == true)
        {
            warned["warning"] = string.Join(",", warnings);
            warned["response_metadata"] = new JsonObject { ["warnings"] = new JsonArray([.. warnings.Select(w => JsonValue.Create(w))]) };
        }

        return reply;
    }

    private Reply? Scripted(string method, DateTimeOffset now)
    {
        lock (_gate)
        {
            var script = _scripts.FirstOrDefault(s => s.Remaining > 0 && (s.Method is null || s.Method == method));
            if (script is not null)
            {
                script.Remaining--;
                if (script.Status != 429)
                {
                    return new Reply(script.Status, null);
                }

                var until = now + TimeSpan.FromSeconds(script.RetryAfterSeconds);
                if (!_blockedUntil.TryGetValue(method, out var current) || until > current)
                {
                    _blockedUntil[method] = until;
                }

                return RateLimited(script.RetryAfterSeconds);
            }

            if (_blockedUntil.TryGetValue(method, out var blocked) && blocked > now)
            {
                return RateLimited((int)Math.Ceiling((blocked - now).TotalSeconds));
            }

            return null;
        }
    }

    /// <summary>Null when the request carries the right token for the method; else Slack's error code.</summary>
    private string? Authenticate(HttpRequest request, string method)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length == "Bearer ".Length)
        {
            return "not_authed";
        }

        var token = header["Bearer ".Length..];
        var wantsAppToken = method == "apps.connections.open";
        if (token == (wantsAppToken ? _appToken : _botToken))
        {
            return null;
        }

        return token == _botToken || token == _appToken ? "not_allowed_token_type" : "invalid_auth";
    }

    private Reply PostMessage(JsonObject body)
    {
        var channel = (string)body["channel"]!;
        var threadTs = Text(body["thread_ts"]);
        if (body["metadata"] is { } metadata
            && (metadata is not JsonObject fields || Text(fields["event_type"]) is not { Length: > 0 } || fields["event_payload"] is not JsonObject))
        {
            return Violation("chat.postMessage", "metadata needs an 'event_type' and an 'event_payload' object", "invalid_metadata_format");
        }

        lock (_gate)
        {
            if (ChannelsWithoutBot.Contains(channel))
            {
                return Refuse("not_in_channel");
            }

            if (ReadOnlyChannels.Contains(channel))
            {
                return Refuse("restricted_action_read_only_channel");
            }

            if (threadTs is not null)
            {
                var parent = _messages.FirstOrDefault(m => m.Channel == channel && m.Ts == threadTs && !_deleted.Contains((channel, threadTs)));
                if (parent is null)
                {
                    return Refuse("thread_not_found");
                }

                if (parent.ThreadTs is not null)
                {
                    // thread_ts is the parent's ts; a reply's ts is the classic mistake.
                    ViolateLocked($"chat.postMessage: thread_ts {threadTs} names a reply, not the thread's parent {parent.ThreadTs}");
                    return Refuse("thread_not_found");
                }
            }

            var ts = NextTs();
            var recorded = new RecordedMessage(channel, ts, threadTs, (string)body["text"]!, Blocks(body["blocks"]), (JsonObject)body.DeepClone());
            _messages.Add(recorded);
            return Ok(new JsonObject { ["channel"] = channel, ["ts"] = ts, ["message"] = MessageJson(recorded, withMetadata: false) });
        }
    }

    /// <summary>
    /// One page of a thread, the parent first: replies after <c>oldest</c> when given, <c>limit</c> at a time (at
    /// most 1000) with an opaque <c>next_cursor</c>, each message's metadata only with <c>include_all_metadata</c>.
    /// </summary>
    private Reply ThreadReplies(JsonObject body)
    {
        var channel = Text(body["channel"])!;
        var ts = Text(body["ts"])!;
        var withMetadata = Text(body["include_all_metadata"]) is "true" or "1";
        var oldest = Text(body["oldest"]) is { } after ? TsValue(after) : null;
        var limit = int.TryParse(Text(body["limit"]), NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked > 0 ? Math.Min(asked, 1000) : 1000;
        var start = 0;
        if (Text(body["cursor"]) is { Length: > 0 } cursor && !TryReadCursor(cursor, out start))
        {
            return Refuse("invalid_cursor");
        }

        lock (_gate)
        {
            if (ChannelsWithoutBot.Contains(channel))
            {
                return Refuse("not_in_channel");
            }

            var parent = _messages.FirstOrDefault(m => m.Channel == channel && m.Ts == ts && m.ThreadTs is null && (!_deleted.Contains((channel, ts)) || HasRepliesLocked(m)));
            if (parent is null)
            {
                return Refuse("thread_not_found");
            }

            List<RecordedMessage> thread = [parent, .. _messages.Where(m => m.Channel == channel && m.ThreadTs == ts && (oldest is null || TsValue(m.Ts) > oldest))];
            var page = thread.Skip(start).Take(limit).ToList();
            var more = start + page.Count < thread.Count;
            return Ok(new JsonObject
            {
                ["messages"] = new JsonArray([.. page.Select(m => ReadBackLocked(m, withMetadata))]),
                ["has_more"] = more,
                ["response_metadata"] = new JsonObject { ["next_cursor"] = more ? Cursor(start + page.Count) : string.Empty },
            });
        }
    }

    /// <summary>
    /// One page of a channel's top-level messages, newest first as Slack returns them: those after <c>oldest</c>,
    /// <c>limit</c> at a time with an opaque <c>next_cursor</c>, metadata only with <c>include_all_metadata</c>.
    /// </summary>
    private Reply History(JsonObject body)
    {
        var channel = Text(body["channel"])!;
        var withMetadata = Text(body["include_all_metadata"]) is "true" or "1";
        var oldest = Text(body["oldest"]) is { } after ? TsValue(after) : null;
        var latest = Text(body["latest"]) is { } before ? TsValue(before) : null;
        var inclusive = Text(body["inclusive"]) is "true" or "1";
        var limit = int.TryParse(Text(body["limit"]), NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked > 0 ? Math.Min(asked, 1000) : 100;
        var start = 0;
        if (Text(body["cursor"]) is { Length: > 0 } cursor && !TryReadCursor(cursor, out start))
        {
            return Refuse("invalid_cursor");
        }

        lock (_gate)
        {
            if (ChannelsWithoutBot.Contains(channel))
            {
                return Refuse("not_in_channel");
            }

            // Slack's range: after oldest and before latest, each end included only with inclusive.
            var top = _messages
                .Where(m => m.Channel == channel && m.ThreadTs is null && (!_deleted.Contains((channel, m.Ts)) || HasRepliesLocked(m)))
                .Where(m => TsValue(m.Ts) is { } at
                    && (oldest is null || at > oldest || (inclusive && at == oldest))
                    && (latest is null || at < latest || (inclusive && at == latest)))
                .Reverse().ToList();
            var page = top.Skip(start).Take(limit).ToList();
            var more = start + page.Count < top.Count;
            return Ok(new JsonObject
            {
                ["messages"] = new JsonArray([.. page.Select(m => ReadBackLocked(m, withMetadata))]),
                ["has_more"] = more,
                ["response_metadata"] = new JsonObject { ["next_cursor"] = more ? Cursor(start + page.Count) : string.Empty },
            });
        }
    }

    private bool HasRepliesLocked(RecordedMessage message) =>
        _messages.Any(m => m.Channel == message.Channel && m.ThreadTs == message.Ts);

    /// <summary>A message as a read returns it: a deleted one still there only as its thread's tombstone.</summary>
    private JsonObject ReadBackLocked(RecordedMessage message, bool withMetadata) =>
        _deleted.Contains((message.Channel, message.Ts))
            ? new JsonObject
            {
                ["type"] = "message",
                ["subtype"] = "tombstone",
                ["user"] = "USLACKBOT",
                ["hidden"] = true,
                ["text"] = "This message was deleted.",
                ["ts"] = message.Ts,
                ["thread_ts"] = message.Ts,
                ["reply_count"] = _messages.Count(m => m.Channel == message.Channel && m.ThreadTs == message.Ts),
            }
            : MessageJson(message, withMetadata);

    private Reply ConversationInfo(JsonObject body)
    {
        var id = Text(body["channel"])!;
        lock (_gate)
        {
            if (id.StartsWith('D'))
            {
                return Ok(new JsonObject { ["channel"] = new JsonObject { ["id"] = id, ["is_im"] = true, ["is_channel"] = false, ["user"] = id[1..] } });
            }

            if (!_channels.TryGetValue(id, out var channel))
            {
                return Refuse("channel_not_found");
            }

            return Ok(new JsonObject
            {
                ["channel"] = new JsonObject
                {
                    ["id"] = id,
                    ["name"] = id.ToLowerInvariant(),
                    ["is_channel"] = true,
                    ["is_im"] = false,
                    ["is_mpim"] = false,
                    ["is_private"] = false,
                    ["is_archived"] = channel.Archived,
                    ["is_member"] = !ChannelsWithoutBot.Contains(id),
                    ["creator"] = channel.Creator,
                    ["created"] = 1_700_000_000,
                },
            });
        }
    }

    /// <summary>A channel's members, <c>limit</c> at a time (Slack's default 100, at most 1000) with an opaque <c>next_cursor</c>.</summary>
    private Reply ConversationMembers(JsonObject body)
    {
        var id = Text(body["channel"])!;
        var limit = int.TryParse(Text(body["limit"]), NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked > 0 ? Math.Min(asked, 1000) : 100;
        var start = 0;
        if (Text(body["cursor"]) is { Length: > 0 } cursor && !TryReadCursor(cursor, out start))
        {
            return Refuse("invalid_cursor");
        }

        lock (_gate)
        {
            if (!_channels.TryGetValue(id, out var channel))
            {
                return Refuse("channel_not_found");
            }

            List<string> members = [.. channel.Members, .. ChannelsWithoutBot.Contains(id) ? Array.Empty<string>() : [BotUserId]];
            var page = members.Skip(start).Take(limit).ToList();
            var more = start + page.Count < members.Count;
            return Ok(new JsonObject
            {
                ["members"] = new JsonArray([.. page.Select(m => JsonValue.Create(m))]),
                ["response_metadata"] = new JsonObject { ["next_cursor"] = more ? Cursor(start + page.Count) : string.Empty },
            });
        }
    }

    private Reply UserInfo(JsonObject body)
    {
        var id = Text(body["user"])!;
        lock (_gate)
        {
            if (!_users.TryGetValue(id, out var user))
            {
                return Refuse("user_not_found");
            }

            return Ok(new JsonObject
            {
                ["user"] = new JsonObject
                {
                    ["id"] = id,
                    ["team_id"] = user.Team,
                    ["name"] = id.ToLowerInvariant(),
                    ["deleted"] = false,
                    ["is_admin"] = user.Admin || user.Owner,
                    ["is_owner"] = user.Owner,
                    ["is_primary_owner"] = false,
                    ["is_bot"] = false,
                },
            });
        }
    }

    private static JsonObject MessageJson(RecordedMessage recorded, bool withMetadata)
    {
        var message = new JsonObject
        {
            ["type"] = "message",
            ["user"] = BotUserId,
            ["bot_id"] = BotId,
            ["text"] = recorded.Text,
            ["ts"] = recorded.Ts,
        };
        if (recorded.ThreadTs is not null)
        {
            message["thread_ts"] = recorded.ThreadTs;
        }

        if (recorded.Blocks is not null)
        {
            message["blocks"] = recorded.Blocks.DeepClone();
        }

        if (withMetadata && recorded.Body["metadata"] is { } metadata)
        {
            message["metadata"] = metadata.DeepClone();
        }

        return message;
    }

    private static decimal? TsValue(string ts) => decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string Cursor(int index) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"next_index:{index}"));

    private static bool TryReadCursor(string cursor, out int index)
    {
        index = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("next_index:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan("next_index:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out index);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private Reply PostEphemeral(JsonObject body)
    {
        var channel = (string)body["channel"]!;
        lock (_gate)
        {
            if (ChannelsWithoutBot.Contains(channel))
            {
                return Refuse("not_in_channel");
            }

            _ephemerals.Add(new RecordedEphemeral(channel, (string)body["user"]!, Text(body["text"]), Text(body["thread_ts"]), Blocks(body["blocks"]), (JsonObject)body.DeepClone()));
            return Ok(new JsonObject { ["message_ts"] = NextTs() });
        }
    }

    private Reply Update(JsonObject body)
    {
        var channel = (string)body["channel"]!;
        var ts = (string)body["ts"]!;
        lock (_gate)
        {
            if (!_messages.Any(m => m.Channel == channel && m.Ts == ts) || _deleted.Contains((channel, ts)))
            {
                return Refuse("message_not_found");
            }

            _updates.Add(new RecordedUpdate(channel, ts, Text(body["text"]), Blocks(body["blocks"]), (JsonObject)body.DeepClone()));
            return Ok(new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = Text(body["text"]) });
        }
    }

    private Reply AddReaction(JsonObject body)
    {
        var channel = (string)body["channel"]!;
        var ts = (string)body["timestamp"]!;
        var name = (string)body["name"]!;
        lock (_gate)
        {
            if (_reactions.Contains((channel, ts, name)))
            {
                return Refuse("already_reacted");
            }

            _reactions.Add((channel, ts, name));
            return Ok(new JsonObject());
        }
    }

    private Reply OpenView(JsonObject body, DateTimeOffset now)
    {
        var triggerId = (string)body["trigger_id"]!;
        var view = body["view"] is JsonValue text && text.TryGetValue<string>(out var json) ? JsonNode.Parse(json)!.AsObject() : body["view"]!.DeepClone().AsObject();
        lock (_gate)
        {
            if (!_triggers.TryGetValue(triggerId, out var trigger) || now - trigger.ClickedAt > TriggerLifetime)
            {
                return Refuse("expired_trigger_id");
            }

            if (trigger.Used)
            {
                return Refuse("exchanged_trigger_id");
            }

            trigger.Used = true;
            _views.Add(new RecordedView(triggerId, view));
            var id = "V" + (++_lastViewId).ToString("D8", CultureInfo.InvariantCulture);
            var opened = view.DeepClone().AsObject();
            opened["id"] = id;
            opened["team_id"] = TeamId;
            return Ok(new JsonObject { ["view"] = opened });
        }
    }

    /// <summary><c>files</c> is a JSON array of objects, each with the <c>id</c> of a file and optionally a <c>title</c>.</summary>
    private static IEnumerable<string> CompletedFilesProblems(string? files)
    {
        JsonArray? list = null;
        try
        {
            list = files is null ? null : JsonNode.Parse(files) as JsonArray;
        }
        catch (JsonException)
        {
        }

        if (list is null || list.Count == 0)
        {
            yield return "'files' is not a JSON array of {id, title}";
            yield break;
        }

        foreach (var file in list)
        {
            if (file is not JsonObject entry || Text(entry["id"]) is not { Length: > 0 })
            {
                yield return "an entry of 'files' has no 'id'";
            }
            else if (entry.Any(p => p.Key is not ("id" or "title")))
            {
                yield return "an entry of 'files' has a field other than 'id' and 'title'";
            }
        }
    }

    private Reply GetUploadUrl(HttpRequest request, JsonObject body)
    {
        lock (_gate)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"F{++_lastFileId:D8}");
            _pendingUploads[id] = new PendingUpload(Text(body["filename"])!, long.Parse(Text(body["length"])!, CultureInfo.InvariantCulture), Text(body["alt_txt"]));
            var url = $"{request.Scheme}://{request.Host}{UploadPrefix}{id}";
            return Ok(new JsonObject { ["upload_url"] = url, ["file_id"] = id });
        }
    }

    /// <summary>Slack's upload host: the bytes of a file whose URL was handed out, as raw bytes; it answers 200 with text.</summary>
    private async Task UploadAsync(HttpContext context, string fileId)
    {
        using var bytes = new MemoryStream();
        await context.Request.Body.CopyToAsync(bytes, context.RequestAborted);
        int status;
        lock (_gate)
        {
            _requestLog.Add(new RecordedRequest(
                "upload_url",
                _clock.GetUtcNow(),
                200,
                null,
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
                context.Request.ContentType));
            if (_pendingUploads.TryGetValue(fileId, out var pending) && pending.Bytes is null)
            {
                pending.Bytes = bytes.ToArray();
                status = 200;
            }
            else
            {
                ViolateLocked($"upload: {fileId} is not a file whose upload URL was handed out, or it was uploaded already");
                status = 404;
            }
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(status == 200 ? $"OK - {bytes.Length}" : "Not Found", context.RequestAborted);
    }

    private Reply CompleteUpload(JsonObject body)
    {
        var files = JsonNode.Parse(Text(body["files"])!)!.AsArray().Select(f => (Id: Text(f!["id"])!, Title: Text(f["title"]))).ToList();
        var channel = Text(body["channel_id"]);
        lock (_gate)
        {
            foreach (var (id, _) in files)
            {
                if (!_pendingUploads.TryGetValue(id, out var pending) || pending.Bytes is null)
                {
                    ViolateLocked($"files.completeUploadExternal: {id} was never uploaded");
                    return Refuse("file_not_found");
                }

                if (pending.Bytes.Length != pending.Length)
                {
                    ViolateLocked($"files.completeUploadExternal: {id} was announced as {pending.Length} bytes and {pending.Bytes.Length} were uploaded");
                    return Refuse("file_upload_size_mismatch");
                }
            }

            foreach (var (id, title) in files)
            {
                var pending = _pendingUploads[id];
                _pendingUploads.Remove(id);
                _uploads.Add(new RecordedUpload(id, pending.FileName, title, channel, pending.AltText, pending.Bytes!, Text(body["initial_comment"])));
            }

            return Ok(new JsonObject { ["files"] = new JsonArray([.. files.Select(f => new JsonObject { ["id"] = f.Id, ["title"] = f.Title ?? _uploads.Last(u => u.FileId == f.Id).FileName })]) });
        }
    }

    private static Reply OpenConversation(JsonObject body)
    {
        if (Text(body["channel"]) is { } existing)
        {
            return Ok(new JsonObject { ["channel"] = new JsonObject { ["id"] = existing } });
        }

        var users = Text(body["users"])!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var id = users.Length == 1 ? "D" + users[0] : "G" + string.Concat(users);
        return Ok(new JsonObject { ["channel"] = new JsonObject { ["id"] = id } });
    }

    /// <summary>
    /// Unique, increasing message timestamps in Slack's format, e.g. <c>1700000000.000100</c>: the clock's time, or just
    /// past the last one given when the clock has not moved on since.
    /// </summary>
    private string NextTs()
    {
        _lastTsMicros = Math.Max(_lastTsMicros + 100, _clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
        return string.Create(CultureInfo.InvariantCulture, $"{_lastTsMicros / 1_000_000}.{_lastTsMicros % 1_000_000:D6}");
    }

    private Reply Violation(string method, string problem, string error)
    {
        Violate($"{method}: {problem}");
        return Refuse(error);
    }

    private void Violate(string violation)
    {
        lock (_gate)
        {
            ViolateLocked(violation);
        }
    }

    private void ViolateLocked(string violation) => _violations.Add(violation);

    private static JsonArray? Blocks(JsonNode? blocks) => blocks switch
    {
        JsonArray array => (JsonArray)array.DeepClone(),
        JsonValue value when value.TryGetValue<string>(out var json) => JsonNode.Parse(json) as JsonArray,
        _ => null,
    };

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static Reply Ok(JsonObject fields)
    {
        var body = new JsonObject { ["ok"] = true };
        foreach (var (name, value) in fields.ToList())
        {
            fields.Remove(name);
            body[name] = value;
        }

        return new Reply(200, body);
    }

    private static Reply Refuse(string error) => new(200, new JsonObject { ["ok"] = false, ["error"] = error });

    private static Reply RateLimited(int retryAfterSeconds) =>
        new(429, new JsonObject { ["ok"] = false, ["error"] = "ratelimited" }, Math.Max(1, retryAfterSeconds));

    private sealed record Reply(int Status, JsonObject? Body, int? RetryAfterSeconds = null);

    private sealed class PendingUpload(string fileName, long length, string? altText)
    {
        public string FileName { get; } = fileName;

        public long Length { get; } = length;

        public string? AltText { get; } = altText;

        public byte[]? Bytes { get; set; }
    }

    private sealed class ScriptedFailure(int count, string? method, int status, int retryAfterSeconds)
    {
        public int Remaining { get; set; } = count;

        public string? Method { get; } = method;

        public int Status { get; } = status;

        public int RetryAfterSeconds { get; } = retryAfterSeconds;
    }

    private sealed record WorkspaceUser(string Id, bool Admin, bool Owner, string Team);

    private sealed record WorkspaceChannel(string Id, string Creator, IReadOnlyList<string> Members, bool Archived);

    private sealed class Trigger(DateTimeOffset clickedAt)
    {
        public DateTimeOffset ClickedAt { get; } = clickedAt;

        public bool Used { get; set; }
    }
}

/// <summary>A message posted with <c>chat.postMessage</c>: <see cref="ThreadTs"/> is the parent's ts for a reply, null at top level.</summary>
public sealed record RecordedMessage(string Channel, string Ts, string? ThreadTs, string Text, JsonArray? Blocks, JsonObject Body);

public sealed record RecordedEphemeral(string Channel, string User, string? Text, string? ThreadTs, JsonArray? Blocks, JsonObject Body);

/// <summary>A <c>chat.update</c> of the message <see cref="Ts"/> in <see cref="Channel"/>.</summary>
public sealed record RecordedUpdate(string Channel, string Ts, string? Text, JsonArray? Blocks, JsonObject Body);

/// <summary>A modal opened with <c>views.open</c>, as sent.</summary>
public sealed record RecordedView(string TriggerId, JsonObject View);

/// <summary>A file shared by <c>files.completeUploadExternal</c>: where (<see cref="Channel"/>, null when shared nowhere) and its bytes.</summary>
public sealed record RecordedUpload(string FileId, string FileName, string? Title, string? Channel, string? AltText, byte[] Content, string? InitialComment);

/// <summary>
/// One request as the fake saw it: the Web API method, the real time it arrived, the HTTP status and Slack error code
/// it was answered, and its <c>Authorization</c> and <c>Content-Type</c> headers.
/// </summary>
public sealed record RecordedRequest(string Method, DateTimeOffset ArrivedAt, int Status, string? Error, string? Authorization, string? ContentType);
