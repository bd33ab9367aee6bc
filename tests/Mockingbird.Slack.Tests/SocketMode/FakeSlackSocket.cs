using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.SocketMode;

/// <summary>An ack the fake received: the envelope, the payload sent with it (JSON), the socket, and the time since the envelope went out.</summary>
public sealed record FakeAck(string EnvelopeId, string? PayloadJson, int Connection, TimeSpan SinceSent);

/// <summary>One envelope frame the fake sent: which envelope, on which socket, and which retry it was (0 for the first).</summary>
public sealed record FakeDelivery(string EnvelopeId, string Type, int Connection, int RetryAttempt);

/// <summary>Something that happened to a socket, in the order it happened: opened, hello, disconnect, closed, dropped.</summary>
public sealed record FakeSocketEvent(string Kind, int Connection);

/// <summary>
/// Slack's Socket Mode on a loopback port, over a real WebSocket. Each URL from <see cref="NextConnectionUrl"/> carries a
/// ticket that works once; every socket gets <c>hello</c>; envelopes go to a live socket and must be acknowledged by
/// id within 3 seconds. An <c>events_api</c> envelope nobody acknowledges in time is sent again on a live socket with
/// <c>retry_attempt</c> + 1 and <c>retry_reason: "timeout"</c>, as Slack does. Anything a client does that Slack would
/// not accept lands in <see cref="Violations"/>. Slack's deadlines and the hello delay run on the clock it is given, so a
/// test on a fake clock decides when they pass.
/// </summary>
public sealed class FakeSlackSocket : IAsyncDisposable
{
    public const string AppId = "A0FAKEAPP01";

    /// <summary>Slack's deadline for an ack.</summary>
    public static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(3);

    private const int MaxRetries = 3;

    private readonly WebApplication _app;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _records = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<string> _violations = [];
    private readonly List<FakeAck> _acks = [];
    private readonly List<FakeDelivery> _deliveries = [];
    private readonly List<FakeSocketEvent> _events = [];
    private readonly HashSet<string> _issuedTickets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedTickets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Envelope> _envelopes = new(StringComparer.Ordinal);
    private readonly List<Connection> _live = [];
    private readonly Queue<Envelope> _undelivered = new();
    private readonly List<Task> _redeliveries = [];
    private readonly TimeProvider _time;
    private int _connections;
    private int _refusals;
    private int _envelopeCounter;
    private int _ticketCounter;

    private FakeSlackSocket(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    /// <summary>ws://127.0.0.1:port/</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>How long a new socket waits (on the clock) before its hello; lets a test send envelopes while a replacement is opening.</summary>
    public TimeSpan HelloDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Live sockets Slack lets the app hold; one more is refused with <c>disconnect</c> (<c>too_many_websockets</c>)
    /// and closed, never counted live nor sent an envelope.
    /// </summary>
    public int ConnectionCap { get; set; } = 10;

    /// <summary>Whether a refused socket is sent <c>hello</c> before its <c>disconnect</c> (both orders are reported of Slack).</summary>
    public bool RefusalSaysHelloFirst { get; set; }

    /// <summary>The reason a refused socket's <c>disconnect</c> gives.</summary>
    public string RefusalReason { get; set; } = "too_many_websockets";

    /// <summary>Sockets refused as one too many so far.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>
    /// Run between looks while waiting for sockets: moves a fake clock on by a small step, so that the client's stagger
    /// and backoff pass without the test knowing how long they are.
    /// </summary>
    public Action? Tick { get; set; }

    /// <summary>Sockets accepted so far (each numbered from 0 in the order they connected).</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connections);

    /// <summary>Every socket accepted so far has been closed or dropped.</summary>
    public bool EverySocketEnded => Events.Count(e => e.Kind is "closed" or "dropped") == ConnectionsOpened;

    /// <summary>Sockets that have had their hello and are not closed or dropped.</summary>
    public int LiveConnections
    {
        get
        {
            lock (_records)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>Every URL handed out so far (to check none reaches a log).</summary>
    public IReadOnlyList<string> IssuedUrls
    {
        get
        {
            lock (_records)
            {
                return [.. _issuedTickets.Select(ticket => TicketUrl(ticket).ToString())];
            }
        }
    }

    public IReadOnlyList<string> Violations => Snapshot(_violations);

    public IReadOnlyList<FakeAck> Acks => Snapshot(_acks);

    public IReadOnlyList<FakeDelivery> Deliveries => Snapshot(_deliveries);

    public IReadOnlyList<FakeSocketEvent> Events => Snapshot(_events);

    /// <param name="time">Slack's clock: the ack deadline and the hello delay run on it.</param>
    public static async Task<FakeSlackSocket> StartAsync(TimeProvider time, CancellationToken cancellationToken = default)
    {
        var app = LoopbackServer.Build();
        var fake = new FakeSlackSocket(app, time);
        app.UseWebSockets();
        app.Run(fake.AcceptAsync);
        await app.StartAsync(cancellationToken);

        fake.BaseUrl = new Uri("ws" + LoopbackServer.AddressOf(app)["http".Length..] + "/");
        return fake;
    }

    /// <summary>What <c>apps.connections.open</c> returns: a fresh URL whose ticket works for one connection.</summary>
    public Uri NextConnectionUrl()
    {
        string ticket = $"ticket-{Interlocked.Increment(ref _ticketCounter)}-{Guid.NewGuid():N}";
        lock (_records)
        {
            _issuedTickets.Add(ticket);
        }

        return TicketUrl(ticket);
    }

    /// <summary>
    /// Sends an envelope on socket <paramref name="connection"/>, or with -1 on a live one (sockets Slack has asked to
    /// disconnect last; if none is live, on the next that says hello). Returns the envelope id.
    /// </summary>
    public async Task<string> SendEnvelopeAsync(string type, JsonNode payload, bool acceptsResponsePayload = false, int connection = -1)
    {
        var envelope = NewEnvelope(type, payload, acceptsResponsePayload);
        await DeliverAsync(envelope, connection);
        return envelope.Id;
    }

    /// <summary>
    /// Sends an envelope on a socket, lets the client's ack get lost in the network (waits for it, then throws it away),
    /// and kills that socket without a close frame. For <c>events_api</c> Slack then sends the envelope again after
    /// <see cref="AckDeadline"/>, although the client already has it.
    /// </summary>
    public async Task<string> SendEnvelopeThenDropAsync(string type, JsonNode payload, int connection)
    {
        var envelope = NewEnvelope(type, payload, acceptsResponsePayload: false);
        var target = Find(connection);
        target.Deaf = true;
        await DeliverAsync(envelope, connection);
        await Poll.UntilAsync(() => target.LostAck.Task.IsCompleted, $"the client's ack on socket {connection}, to be lost with it");
        Drop(target);
        return envelope.Id;
    }

    /// <summary>Sends an envelope already sent once again, with the same id, on another socket (at-least-once delivery).</summary>
    public async Task RedeliverAsync(string envelopeId, int connection)
    {
        Envelope envelope;
        lock (_records)
        {
            envelope = _envelopes[envelopeId];
        }

        await SendToAsync(Find(connection), envelope);
    }

    /// <summary>Sends <c>disconnect</c> with a reason to socket <paramref name="connection"/> (default: the oldest live one).</summary>
    public async Task SendDisconnectAsync(string reason, int? connection = null)
    {
        var target = connection is { } number ? Find(number) : Oldest();
        target.Leaving = true;
        Record(new FakeSocketEvent("disconnect", target.Number));
        await TrySendAsync(target, Disconnect(reason));
    }

    /// <summary>Kills socket <paramref name="connection"/> (default: the oldest live one) with no close frame, as a network failure would.</summary>
    public Task DropAsync(int? connection = null)
    {
        Drop(connection is { } number ? Find(number) : Oldest());
        return Task.CompletedTask;
    }

    /// <summary>Waits until <paramref name="count"/> acks have arrived in all.</summary>
    public Task WaitForAcksAsync(int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Acks.Count >= count, $"{count} acks (have {Acks.Count})", timeout);

    /// <summary>Waits until exactly <paramref name="count"/> sockets are live, moving the clock on with <see cref="Tick"/>.</summary>
    public Task WaitForLiveConnectionsAsync(int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => LiveConnections == count, $"{count} live sockets (have {LiveConnections})", timeout, between: Tick);

    /// <summary>The index of an event in <see cref="Events"/>, or -1.</summary>
    public int IndexOf(string kind, int connection)
    {
        var events = Events;
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i].Kind == kind && events[i].Connection == connection)
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] redeliveries;
        lock (_records)
        {
            foreach (var envelope in _envelopes.Values)
            {
                envelope.Deadline?.Dispose();
            }

            redeliveries = [.. _redeliveries];
        }

        await Task.WhenAll(redeliveries).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _app.StopAsync();
        await _app.DisposeAsync();
        _gate.Dispose();
        _stopping.Dispose();
    }

    private Uri TicketUrl(string ticket) => new(BaseUrl, $"link/?ticket={ticket}&app_id={AppId}");

    private Envelope NewEnvelope(string type, JsonNode payload, bool acceptsResponsePayload)
    {
        int number = Interlocked.Increment(ref _envelopeCounter);
        var envelope = new Envelope(
            $"{number:D4}-{Guid.NewGuid():N}",
            type,
            payload.ToJsonString(),
            acceptsResponsePayload);
        lock (_records)
        {
            _envelopes[envelope.Id] = envelope;
        }

        return envelope;
    }

    private async Task DeliverAsync(Envelope envelope, int connection)
    {
        Connection? target;
        await _gate.WaitAsync();
        try
        {
            lock (_records)
            {
                target = connection >= 0
                    ? _live.FirstOrDefault(live => live.Number == connection) ?? throw new InvalidOperationException($"Socket {connection} is not live.")
                    : _live.Where(live => !live.Deaf).OrderBy(live => live.Leaving).FirstOrDefault();
                if (target is null)
                {
                    envelope.Queued = true;
                    _undelivered.Enqueue(envelope);
                }
            }

            if (target is not null)
            {
                await SendToAsync(target, envelope);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task SendToAsync(Connection target, Envelope envelope)
    {
        int attempt;
        lock (_records)
        {
            attempt = envelope.RetryAttempt;
            int delivery = ++envelope.Deliveries;
            envelope.Queued = false;
            envelope.SentAt = _time.GetTimestamp();
            _deliveries.Add(new FakeDelivery(envelope.Id, envelope.Type, target.Number, attempt));

            // Each delivery has its own deadline; the clock starts when it goes out, not while it waits for a socket.
            envelope.Deadline?.Dispose();
            envelope.Deadline = _time.CreateTimer(_ => OnAckDeadline(envelope, delivery), null, AckDeadline, Timeout.InfiniteTimeSpan);
        }

        var frame = new JsonObject
        {
            ["envelope_id"] = envelope.Id,
            ["type"] = envelope.Type,
            ["accepts_response_payload"] = envelope.AcceptsResponsePayload,
            ["payload"] = JsonNode.Parse(envelope.PayloadJson),
        };
        if (envelope.Type == "events_api")
        {
            frame["retry_attempt"] = attempt;
            frame["retry_reason"] = attempt == 0 ? string.Empty : "timeout";
        }

        await TrySendAsync(target, frame.ToJsonString());
    }

    /// <summary>
    /// Slack's side of the 3-second rule for one delivery: events come back on a live socket; anything else is a failure
    /// the user would see. Runs on the clock's thread (inside a fake clock's Advance), so the redelivery goes out apart.
    /// </summary>
    private void OnAckDeadline(Envelope envelope, int delivery)
    {
        lock (_records)
        {
            if (envelope.Acked || envelope.Deliveries != delivery || _stopping.IsCancellationRequested)
            {
                return; // acknowledged, or sent again meanwhile and its own deadline counts
            }

            if (envelope.Type != "events_api")
            {
                _violations.Add($"{envelope.Type} envelope {envelope.Id} was not acknowledged within {AckDeadline.TotalSeconds} s");
                return;
            }

            if (envelope.RetryAttempt >= MaxRetries)
            {
                _violations.Add($"events_api envelope {envelope.Id} was never acknowledged");
                return;
            }

            envelope.RetryAttempt++;
            _redeliveries.Add(Task.Run(() => DeliverAsync(envelope, -1)));
        }
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || context.Request.Path != "/link/")
        {
            Violate($"request to '{context.Request.Path}' that is not a WebSocket to /link/");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        string? ticket = context.Request.Query["ticket"];
        lock (_records)
        {
            string? refusal = ticket is null || !_issuedTickets.Contains(ticket) ? "a ticket that was never issued"
                : !_usedTickets.Add(ticket) ? "a ticket that was already used"
                : null;
            if (refusal is not null)
            {
                _violations.Add($"a socket was opened with {refusal}");
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(Interlocked.Increment(ref _connections) - 1, socket, context);
        Record(new FakeSocketEvent("opened", connection.Number));
        bool clientClosed = false;
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var hello = Task.CompletedTask;
        try
        {
            // Read while the hello is held back, as Slack does: a client may give up and close before it comes.
            if (HelloDelay > TimeSpan.Zero)
            {
                hello = SayHelloLaterAsync(connection, HelloDelay, leaving.Token);
            }
            else
            {
                await SayHelloAsync(connection);
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
                    clientClosed = true;
                    Leave(connection, "closed");
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await connection.SendLock.WaitAsync();
                        try
                        {
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        }
                        finally
                        {
                            connection.SendLock.Release();
                        }
                    }

                    break;
                }

                OnFrame(connection, result.MessageType, buffer.WrittenMemory);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client (or a test hook) dropped the socket.
        }
        finally
        {
            await leaving.CancelAsync();
            await hello;
            if (!clientClosed)
            {
                Leave(connection, "dropped");
            }
        }
    }

    private async Task SayHelloLaterAsync(Connection connection, TimeSpan delay, CancellationToken leaving)
    {
        try
        {
            await Task.Delay(delay, _time, leaving);
        }
        catch (OperationCanceledException)
        {
            return; // the socket went first
        }

        await SayHelloAsync(connection);
    }

    private async Task SayHelloAsync(Connection connection)
    {
        Envelope[] waiting;
        await _gate.WaitAsync();
        try
        {
            int count;
            lock (_records)
            {
                if (connection.Gone)
                {
                    return;
                }

                if (_live.Count >= ConnectionCap)
                {
                    count = -1;
                    waiting = [];
                }
                else
                {
                    _live.Add(connection);
                    count = _live.Count;
                    waiting = [.. _undelivered];
                    _undelivered.Clear();
                }
            }

            if (count < 0)
            {
                await RefuseAsync(connection);
                return;
            }

            Record(new FakeSocketEvent("hello", connection.Number));
            await TrySendAsync(connection, Hello(count));
            foreach (var envelope in waiting)
            {
                await SendToAsync(connection, envelope);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Hello(int numConnections) => new JsonObject
    {
        ["type"] = "hello",
        ["num_connections"] = numConnections,
        ["debug_info"] = new JsonObject { ["host"] = "applink-fake", ["build_number"] = 1, ["approximate_connection_time"] = 18060 },
        ["connection_info"] = new JsonObject { ["app_id"] = AppId },
    }.ToJsonString();

    private static string Disconnect(string reason) => new JsonObject
    {
        ["type"] = "disconnect",
        ["reason"] = reason,
        ["debug_info"] = new JsonObject { ["host"] = "applink-fake" },
    }.ToJsonString();

    /// <summary>Refuses a socket past the cap: (hello,) disconnect, then Slack's side of the close.</summary>
    private async Task RefuseAsync(Connection connection)
    {
        Interlocked.Increment(ref _refusals);
        Record(new FakeSocketEvent("refused", connection.Number));
        if (RefusalSaysHelloFirst)
        {
            await TrySendAsync(connection, Hello(ConnectionCap + 1));
        }

        await TrySendAsync(connection, Disconnect(RefusalReason));
        await connection.SendLock.WaitAsync();
        try
        {
            if (connection.Socket.State == WebSocketState.Open)
            {
                await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // The client went first.
        }
        finally
        {
            connection.SendLock.Release();
        }
    }

    private void OnFrame(Connection connection, WebSocketMessageType type, ReadOnlyMemory<byte> utf8)
    {
        if (connection.Deaf)
        {
            connection.LostAck.TrySetResult(); // lost with the socket
            return;
        }

        if (type != WebSocketMessageType.Text)
        {
            Violate($"socket {connection.Number} sent a binary frame");
            return;
        }

        JsonObject? frame;
        try
        {
            frame = JsonNode.Parse(utf8.Span) as JsonObject;
        }
        catch (JsonException)
        {
            Violate($"socket {connection.Number} sent a frame that is not JSON");
            return;
        }

        if (frame?["envelope_id"] is not JsonValue idValue || !idValue.TryGetValue(out string? envelopeId))
        {
            Violate($"socket {connection.Number} sent a frame without a string envelope_id");
            return;
        }

        foreach (var property in frame)
        {
            if (property.Key is not ("envelope_id" or "payload"))
            {
                Violate($"socket {connection.Number} sent an ack with an unexpected property '{property.Key}'");
            }
        }

        var payload = frame["payload"];
        lock (_records)
        {
            if (!_envelopes.TryGetValue(envelopeId, out var envelope))
            {
                _violations.Add($"socket {connection.Number} acknowledged unknown envelope {envelopeId}");
                return;
            }

            var since = _time.GetElapsedTime(envelope.SentAt);
            _acks.Add(new FakeAck(envelopeId, payload?.ToJsonString(), connection.Number, since));
            envelope.Acks++;
            envelope.Acked = true;
            if (envelope.Acks > envelope.Deliveries)
            {
                _violations.Add($"envelope {envelopeId} was acknowledged {envelope.Acks} times but delivered {envelope.Deliveries} times");
            }

            if (since > AckDeadline)
            {
                _violations.Add($"envelope {envelopeId} was acknowledged after {since.TotalMilliseconds:F0} ms");
            }

            if (payload is not null && !envelope.AcceptsResponsePayload)
            {
                _violations.Add($"envelope {envelopeId} does not accept a response payload but its ack carried one");
            }

            if (payload is not null and not JsonObject)
            {
                _violations.Add($"envelope {envelopeId} was acknowledged with a payload that is not an object");
            }
        }
    }

    private void Drop(Connection connection)
    {
        connection.Deaf = true;
        Leave(connection, "dropped");
        connection.Context.Abort();
    }

    private void Leave(Connection connection, string how)
    {
        lock (_records)
        {
            if (_live.Remove(connection) || !connection.Gone)
            {
                connection.Gone = true;
                _events.Add(new FakeSocketEvent(how, connection.Number));
            }
        }
    }

    private Connection Find(int number)
    {
        lock (_records)
        {
            return _live.FirstOrDefault(live => live.Number == number) ?? throw new InvalidOperationException($"Socket {number} is not live.");
        }
    }

    private Connection Oldest()
    {
        lock (_records)
        {
            return _live.OrderBy(live => live.Number).FirstOrDefault() ?? throw new InvalidOperationException("No socket is live.");
        }
    }

    /// <summary>Sends a frame; a socket that already went away is not an error (Slack sends events again).</summary>
    private static async Task TrySendAsync(Connection connection, string frame)
    {
        await connection.SendLock.WaitAsync();
        try
        {
            if (connection.Socket.State != WebSocketState.Open)
            {
                return;
            }

            await connection.Socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Dropped.
        }
        finally
        {
            connection.SendLock.Release();
        }
    }

    private void Record(FakeSocketEvent socketEvent)
    {
        lock (_records)
        {
            _events.Add(socketEvent);
        }
    }

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

    private sealed class Envelope(string id, string type, string payloadJson, bool acceptsResponsePayload)
    {
        public string Id { get; } = id;

        public string Type { get; } = type;

        public string PayloadJson { get; } = payloadJson;

        public bool AcceptsResponsePayload { get; } = acceptsResponsePayload;

        public int RetryAttempt { get; set; }

        public int Deliveries { get; set; }

        public int Acks { get; set; }

        public bool Acked { get; set; }

        /// <summary>The clock's timestamp of the latest delivery.</summary>
        public long SentAt { get; set; }

        /// <summary>The latest delivery's ack deadline.</summary>
        public ITimer? Deadline { get; set; }

        /// <summary>Waiting for a socket to say hello.</summary>
        public bool Queued { get; set; }
    }

    private sealed class Connection(int number, WebSocket socket, HttpContext context)
    {
        public int Number { get; } = number;

        public WebSocket Socket { get; } = socket;

        public HttpContext Context { get; } = context;

        public SemaphoreSlim SendLock { get; } = new(1, 1);

        /// <summary>Slack asked it to disconnect; envelopes go elsewhere when another socket is live.</summary>
        public bool Leaving { get; set; }

        /// <summary>Being dropped: whatever the client sends on it is lost.</summary>
        public bool Deaf { get; set; }

        public bool Gone { get; set; }

        /// <summary>Completes when a frame arrived while <see cref="Deaf"/>.</summary>
        public TaskCompletionSource LostAck { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
