using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.Gateway;

/// <summary>A heartbeat the fake received: the sequence the client sent and the last one the fake had sent it.</summary>
public sealed record FakeHeartbeat(int Connection, long? Sequence, long? LastSent);

/// <summary>An Identify the fake received. The token is not kept, only whether it matched.</summary>
public sealed record FakeIdentify(int Connection, long Intents, IReadOnlyList<int>? Shard, string? Os, string? Browser, string? Device, bool TokenMatched);

/// <summary>A Resume the fake received. The token is not kept, only whether it matched.</summary>
public sealed record FakeResume(int Connection, string? SessionId, long? Sequence, bool TokenMatched, bool Accepted);

/// <summary>How a client connection ended: the close code the client sent, or none when the socket just went away.</summary>
public sealed record FakeConnectionEnd(int Connection, int? ClientCloseCode);

/// <summary>
/// A Discord gateway v10 on a loopback port, speaking the real protocol over a real WebSocket: Hello, heartbeat ACKs,
/// Identify → READY, Resume → replay → RESUMED, op 7, op 9, close codes, and a per-session event log that replays
/// whatever the client missed, as Discord does. Frames the client sends are checked (JSON, integer op, ≤ 4096 bytes);
/// anything wrong lands in <see cref="Violations"/>.
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    public const string UserId = "1100000000000000001";
    public const string ApplicationId = "1100000000000000002";

    private readonly WebApplication _app;
    private readonly string _token;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _records = new();
    private readonly List<string> _violations = [];
    private readonly List<FakeHeartbeat> _heartbeats = [];
    private readonly List<FakeIdentify> _identifies = [];
    private readonly List<FakeResume> _resumes = [];
    private readonly List<FakeConnectionEnd> _ends = [];
    private readonly List<string> _userAgents = [];
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private Session? _current;
    private int _connections;
    private string? _helloInstead;
    private int _sessionsEstablished;
    private int _sessionCounter;
    private volatile bool _ackHeartbeats = true;

    private FakeGateway(WebApplication app, string token, TimeSpan heartbeatInterval)
    {
        _app = app;
        _token = token;
        HeartbeatInterval = heartbeatInterval;
    }

    /// <summary>ws://127.0.0.1:port/ — what <c>GET /gateway/bot</c> should return.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Sent in each Hello; changes apply to the next connection.</summary>
    public TimeSpan HeartbeatInterval { get; set; }

    /// <summary>Answer heartbeats with op 11. Off simulates a zombie connection.</summary>
    public bool AckHeartbeats
    {
        get => _ackHeartbeats;
        set => _ackHeartbeats = value;
    }

    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>Off: accept the upgrade and then say nothing (a host that is up but not serving).</summary>
    public bool SayHello { get; set; } = true;

    /// <summary>When set, sent once, in place of the next connection's Hello (a malformed one, say).</summary>
    public string? HelloInstead
    {
        get => Volatile.Read(ref _helloInstead);
        set => Volatile.Write(ref _helloInstead, value);
    }

    /// <summary>READY and RESUMED payloads sent so far.</summary>
    public int SessionsEstablished => Volatile.Read(ref _sessionsEstablished);

    /// <summary>The current session's id (null before the first Identify or after a non-resumable invalidation).</summary>
    public string? SessionId => _current?.Id;

    /// <summary>The last sequence number the current session assigned.</summary>
    public long LastSequence => _current?.Sequence ?? 0;

    public IReadOnlyList<string> Violations => Snapshot(_violations);

    public IReadOnlyList<FakeHeartbeat> Heartbeats => Snapshot(_heartbeats);

    public IReadOnlyList<FakeIdentify> Identifies => Snapshot(_identifies);

    public IReadOnlyList<FakeResume> Resumes => Snapshot(_resumes);

    public IReadOnlyList<FakeConnectionEnd> ConnectionEnds => Snapshot(_ends);

    /// <summary>The <c>User-Agent</c> of each WebSocket handshake, in order (empty when none was sent).</summary>
    public IReadOnlyList<string> UserAgents => Snapshot(_userAgents);

    public static async Task<FakeGateway> StartAsync(string botToken, TimeSpan? heartbeatInterval = null, CancellationToken cancellationToken = default)
    {
        var app = LoopbackServer.Build();
        var fake = new FakeGateway(app, botToken, heartbeatInterval ?? TimeSpan.FromMilliseconds(200));
        app.UseWebSockets();
        app.Run(fake.AcceptAsync);
        await app.StartAsync(cancellationToken);

        fake.Url = new Uri("ws" + LoopbackServer.AddressOf(app)["http".Length..] + "/");
        return fake;
    }

    /// <summary>
    /// Sends a dispatch with the next sequence number. With no client attached to the session it is only logged,
    /// and goes out when the client resumes.
    /// </summary>
    public async Task<long> DispatchAsync(string type, JsonNode data)
    {
        await _gate.WaitAsync();
        try
        {
            var session = _current ?? throw new InvalidOperationException("No session yet: wait for the client to identify.");
            long sequence = ++session.Sequence;
            string frame = DispatchFrame(type, data.ToJsonString(), sequence);
            session.Log.Add((sequence, type, frame));
            if (session.Live is { } connection)
            {
                await TrySendAsync(connection, frame, sequence);
            }

            return sequence;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Kills the client's socket with no close frame, as a network failure would.</summary>
    public Task DropAsync() => DetachAsync(connection =>
    {
        connection.Context.Abort();
        return Task.CompletedTask;
    });

    /// <summary>op 7: the client should reconnect and resume.</summary>
    public Task SendReconnectAsync() => DetachAsync(connection => TrySendAsync(connection, """{"op":7,"d":null,"s":null,"t":null}"""));

    /// <summary>op 9. Not resumable: the session is forgotten, so only a new Identify works.</summary>
    public Task InvalidateSessionAsync(bool resumable) => DetachAsync(connection =>
    {
        if (!resumable && _current is { } session)
        {
            _sessions.Remove(session.Id);
            _current = null;
        }

        return TrySendAsync(connection, resumable ? """{"op":9,"d":true,"s":null,"t":null}""" : """{"op":9,"d":false,"s":null,"t":null}""");
    });

    /// <summary>Closes the client's socket with a close code; 4007 and 4009 also end the session, as on Discord.</summary>
    public Task CloseAsync(int code, string reason) => DetachAsync(async connection =>
    {
        if (code is 4007 or 4009 && _current is { } session)
        {
            _sessions.Remove(session.Id);
            _current = null;
        }

        await CloseConnectionAsync(connection, code, reason);
    });

    /// <summary>Waits until READY or RESUMED has been sent <paramref name="count"/> times in all.</summary>
    public Task WaitForSessionsAsync(int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => SessionsEstablished >= count, $"{count} established sessions (have {SessionsEstablished})", timeout, between: Tick);

    /// <summary>
    /// Moves the client's fake clock on by one small step; waits for a reconnect call it between looks, so that the
    /// client's backoff passes without the test knowing how long it is.
    /// </summary>
    public Action? Tick { get; set; }

    /// <summary>Waits until the fake has received <paramref name="count"/> heartbeats in all.</summary>
    public Task WaitForHeartbeatsAsync(int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Heartbeats.Count >= count, $"{count} heartbeats (have {Heartbeats.Count})", timeout);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _gate.Dispose();
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        lock (_records)
        {
            _userAgents.Add(context.Request.Headers.UserAgent.ToString());
        }

        if (context.Request.Query["v"] != "10" || context.Request.Query["encoding"] != "json")
        {
            Violate($"connected with query '{context.Request.QueryString}', not v=10&encoding=json");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(Interlocked.Increment(ref _connections), socket, context);
        int? clientCloseCode = null;
        try
        {
            if (SayHello)
            {
                await TrySendAsync(connection, Interlocked.Exchange(ref _helloInstead, null) ?? $$"""{"op":10,"d":{"heartbeat_interval":{{(long)HeartbeatInterval.TotalMilliseconds}}},"s":null,"t":null}""");
            }

            var buffer = new ArrayBufferWriter<byte>(4096);
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.GetMemory(4096), context.RequestAborted);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    clientCloseCode = socket.CloseStatus is { } status ? (int)status : null;
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await connection.SendLock.WaitAsync();
                        try
                        {
                            await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        }
                        finally
                        {
                            connection.SendLock.Release();
                        }
                    }

                    break;
                }

                await OnFrameAsync(connection, result.MessageType, buffer.WrittenMemory);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client (or a test hook) dropped the connection.
        }
        finally
        {
            await _gate.WaitAsync();
            try
            {
                if (connection.Session is { } session && session.Live == connection)
                {
                    session.Live = null;
                }
            }
            finally
            {
                _gate.Release();
            }

            lock (_records)
            {
                _ends.Add(new FakeConnectionEnd(connection.Number, clientCloseCode));
            }
        }
    }

    private async Task OnFrameAsync(Connection connection, WebSocketMessageType type, ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Length > 4096)
        {
            Violate($"connection {connection.Number} sent a {utf8.Length}-byte frame (limit 4096)");
        }

        if (type != WebSocketMessageType.Text)
        {
            Violate($"connection {connection.Number} sent a binary frame");
            return;
        }

        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(utf8.Span);
        }
        catch (JsonException)
        {
            Violate($"connection {connection.Number} sent a frame that is not JSON");
            return;
        }

        if (payload is not JsonObject frame || frame["op"] is not JsonValue opValue || !opValue.TryGetValue(out int op))
        {
            Violate($"connection {connection.Number} sent a frame without an integer op");
            return;
        }

        switch (op)
        {
            case 1:
                await OnHeartbeatAsync(connection, frame["d"]);
                break;
            case 2:
                await OnIdentifyAsync(connection, frame["d"] as JsonObject);
                break;
            case 6:
                await OnResumeAsync(connection, frame["d"] as JsonObject);
                break;
            default:
                Violate($"connection {connection.Number} sent unexpected op {op}");
                break;
        }
    }

    private async Task OnHeartbeatAsync(Connection connection, JsonNode? data)
    {
        long? sequence = data is JsonValue value && value.TryGetValue(out long s) ? s : null;
        if (data is not null && sequence is null)
        {
            Violate($"connection {connection.Number} sent a heartbeat whose d is neither null nor an integer");
        }

        long? lastSent;
        await _gate.WaitAsync();
        try
        {
            lastSent = connection.LastSent;
            // A heartbeat can cross a dispatch in flight, so it may lag; it can never be ahead of what was sent.
            if (connection.Session is not null && sequence > (lastSent ?? 0))
            {
                Violate($"connection {connection.Number} heartbeat carried {sequence}, but only {lastSent} was sent");
            }
        }
        finally
        {
            _gate.Release();
        }

        lock (_records)
        {
            _heartbeats.Add(new FakeHeartbeat(connection.Number, sequence, lastSent));
        }

        if (AckHeartbeats && !connection.Silenced)
        {
            await TrySendAsync(connection, """{"op":11,"d":null,"s":null,"t":null}""");
        }
    }

    private async Task OnIdentifyAsync(Connection connection, JsonObject? data)
    {
        bool tokenMatched = data?["token"]?.GetValue<string>() == _token;
        var properties = data?["properties"] as JsonObject;
        var shard = (data?["shard"] as JsonArray)?.Select(node => node!.GetValue<int>()).ToArray();
        lock (_records)
        {
            _identifies.Add(new FakeIdentify(
                connection.Number,
                data?["intents"]?.GetValue<long>() ?? -1,
                shard,
                properties?["os"]?.GetValue<string>(),
                properties?["browser"]?.GetValue<string>(),
                properties?["device"]?.GetValue<string>(),
                tokenMatched));
        }

        if (!tokenMatched)
        {
            await CloseConnectionAsync(connection, 4004, "Authentication failed.");
            return;
        }

        await _gate.WaitAsync();
        try
        {
            if (connection.Session is not null)
            {
                Violate($"connection {connection.Number} identified twice");
            }

            var session = new Session($"session-{Interlocked.Increment(ref _sessionCounter)}");
            _sessions[session.Id] = session;
            _current = session;
            connection.Session = session;
            session.Live = connection;
            long sequence = ++session.Sequence;
            var ready = new JsonObject
            {
                ["v"] = 10,
                ["user"] = new JsonObject { ["id"] = UserId, ["username"] = "mockingbird", ["bot"] = true },
                ["guilds"] = new JsonArray(),
                ["session_id"] = session.Id,
                ["resume_gateway_url"] = Url.ToString(),
                ["application"] = new JsonObject { ["id"] = ApplicationId, ["flags"] = 0 },
            };
            string frame = DispatchFrame("READY", ready.ToJsonString(), sequence);
            session.Log.Add((sequence, "READY", frame));
            await TrySendAsync(connection, frame, sequence);
            Interlocked.Increment(ref _sessionsEstablished);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task OnResumeAsync(Connection connection, JsonObject? data)
    {
        bool tokenMatched = data?["token"]?.GetValue<string>() == _token;
        string? sessionId = data?["session_id"]?.GetValue<string>();
        long? sequence = data?["seq"] is JsonValue seq && seq.TryGetValue(out long s) ? s : null;

        await _gate.WaitAsync();
        try
        {
            bool accepted = tokenMatched && sessionId is not null && _sessions.TryGetValue(sessionId, out var session)
                && sequence is not null && sequence <= session.Sequence;
            lock (_records)
            {
                _resumes.Add(new FakeResume(connection.Number, sessionId, sequence, tokenMatched, accepted));
            }

            if (!accepted)
            {
                await TrySendAsync(connection, """{"op":9,"d":false,"s":null,"t":null}""");
                return;
            }

            session = _sessions[sessionId!];
            _current = session;
            connection.Session = session;
            session.Live = connection;
            foreach (var (logged, type, frame) in session.Log)
            {
                if (logged > sequence && type is not ("READY" or "RESUMED"))
                {
                    await TrySendAsync(connection, frame, logged);
                }
            }

            long resumed = ++session.Sequence;
            string resumedFrame = DispatchFrame("RESUMED", "{}", resumed);
            session.Log.Add((resumed, "RESUMED", resumedFrame));
            await TrySendAsync(connection, resumedFrame, resumed);
            Interlocked.Increment(ref _sessionsEstablished);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs a hook against the client attached to the current session and detaches it from the session.</summary>
    private async Task DetachAsync(Func<Connection, Task> hook)
    {
        await _gate.WaitAsync();
        try
        {
            var connection = _current?.Live ?? throw new InvalidOperationException("No client is attached to a session.");
            _current!.Live = null;
            // Stop acknowledging on the old socket, so a late heartbeat cannot keep it looking alive.
            connection.Silenced = true;
            await hook(connection);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task CloseConnectionAsync(Connection connection, int code, string reason)
    {
        await connection.SendLock.WaitAsync();
        try
        {
            await connection.Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // Already gone.
        }
        finally
        {
            connection.SendLock.Release();
        }
    }

    /// <summary>Sends a frame; a socket that already went away is not an error (the session replays later).</summary>
    private static async Task TrySendAsync(Connection connection, string frame, long? sequence = null)
    {
        await connection.SendLock.WaitAsync();
        try
        {
            if (connection.Socket.State != WebSocketState.Open)
            {
                return;
            }

            await connection.Socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);
            if (sequence is not null)
            {
                connection.LastSent = sequence;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Dropped: the session log still has the event.
        }
        finally
        {
            connection.SendLock.Release();
        }
    }

    private static string DispatchFrame(string type, string dataJson, long sequence) =>
        $$"""{"op":0,"d":{{dataJson}},"s":{{sequence}},"t":"{{type}}"}""";

    private void Violate(string violation)
    {
        lock (_records)
        {
            _violations.Add(violation);
        }
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_records)
        {
            return [.. list];
        }
    }

    private sealed class Session(string id)
    {
        public string Id { get; } = id;

        public long Sequence { get; set; }

        public List<(long Sequence, string Type, string Frame)> Log { get; } = [];

        /// <summary>The connection the session's events go to now; null while the client is away.</summary>
        public Connection? Live { get; set; }
    }

    private sealed class Connection(int number, WebSocket socket, HttpContext context)
    {
        public int Number { get; } = number;

        public WebSocket Socket { get; } = socket;

        public HttpContext Context { get; } = context;

        public SemaphoreSlim SendLock { get; } = new(1, 1);

        public Session? Session { get; set; }

        public long? LastSent { get; set; }

        public bool Silenced { get; set; }
    }
}
