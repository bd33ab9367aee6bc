using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms;
using Mockingbird.Platforms.Sockets;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;

namespace Mockingbird.Slack.SocketMode;

/// <summary>
/// Slack Socket Mode: holds <see cref="SlackOptions.SocketConnections"/> WebSockets to Slack and hands every envelope
/// to <see cref="ISlackEnvelopeHandler"/> off the receive loop; the envelope is acknowledged on the socket it came in
/// on once the handler has recorded it, and left unacknowledged (so Slack sends it again) when it could not be. A
/// <c>disconnect</c> frame gets its replacement opened before the old socket is closed; a lost socket, or one Slack
/// refused as one too many, is reopened with backoff. If Slack refuses the app-level token it stops for good with one
/// error line; <see cref="Stopped"/> tells the host.
/// </summary>
public sealed partial class SlackSocketMode : BackgroundService, IPlatformConnection
{
    /// <summary>
    /// Envelopes being received at once, and, apart, their work after the ack running at once; past either, an
    /// envelope waits its turn off the receive loop.
    /// </summary>
    public const int MaxConcurrentHandlers = 64;

    /// <summary>Socket Mode connections Slack lets one app hold at once; a socket past it is refused.</summary>
    public const int SlackConnectionCap = 10;

    /// <summary>
    /// The <c>disconnect</c> reason for a socket past <see cref="SlackConnectionCap"/>: it is not to be replaced at once,
    /// or the app stampedes Slack with sockets that are refused in turn.
    /// </summary>
    private const string TooManyWebsockets = "too_many_websockets";

    /// <summary>How long an envelope id is remembered to drop a repeated delivery.</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromMinutes(10);

    /// <summary><c>apps.connections.open</c> errors that no retry will fix: the app-level token itself is wrong.</summary>
    private static readonly HashSet<string> FatalOpenErrors = new(StringComparer.Ordinal)
    {
        "invalid_auth",
        "not_authed",
        "not_allowed_token_type",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "missing_scope",
    };

    /// <summary>Slack's limit on an ack: past it, the user has seen an error and an event is on its way again.</summary>
    private static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(3);

    private readonly ISlackWebApi _web;
    private readonly SlackOptions _options;
    private readonly ISlackEnvelopeHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackSocketMode> _logger;
    private readonly RecentEnvelopes _recent;

    private readonly TaskCompletionSource<SocketModeStopReason> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ReconnectingSocket _socket;

    /// <summary>Work after the ack runs in slots of its own, apart from the receiving bounded by the socket's.</summary>
    private readonly HandlerSlots _workSlots = new(MaxConcurrentHandlers);

    /// <summary>Envelopes whose durable part is still running, completing with whether they were acknowledged.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<bool>> _receiving = new(StringComparer.Ordinal);

    private int _connectionNumbers;
    private long _envelopesReceived;
    private long _duplicatesDropped;
    private long _envelopesHandled;
    private int _fatalReported;

    public SlackSocketMode(
        ISlackWebApi web,
        IOptions<SlackOptions> options,
        ISlackEnvelopeHandler handler,
        TimeProvider time,
        ILogger<SlackSocketMode> logger,
        ReconnectingSocketOptions? socketOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _web = web;
        _options = options.Value;
        _handler = handler;
        _time = time;
        _logger = logger;
        _recent = new RecentEnvelopes(time, DuplicateWindow);
        // Slack's own timings unless a test gives others (backoff, hello, drain and close).
        socketOptions ??= new ReconnectingSocketOptions { ReconnectMaxDelay = TimeSpan.FromSeconds(30), HelloTimeout = TimeSpan.FromSeconds(10), HandlerSlots = MaxConcurrentHandlers };
        _socket = new ReconnectingSocket(socketOptions, time);
    }

    /// <summary>The second and later connections open this long after the first one is up, not all at once.</summary>
    public TimeSpan ConnectionStagger { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>WebSocket pings this often; a pong missing for <see cref="KeepAliveTimeout"/> marks the socket dead.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A socket on which no frame at all arrived for this long is replaced (the new one first, so nothing is missed).
    /// Pongs do not count (the WebSocket client does not surface them), so this is a backstop behind the keep-alive,
    /// and long enough that a quiet workspace does not turn into a stream of <c>apps.connections.open</c> calls.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Sockets that said <c>hello</c> and are not closed yet (briefly one more while one is being replaced).</summary>
    public int OpenConnections => _socket.OpenConnections;

    /// <summary>Sockets that said <c>hello</c> since the start.</summary>
    public int ConnectionsOpened => _socket.ConnectionsOpened;

    /// <summary>Envelopes received (each delivery counts, repeats included); every one was acknowledged.</summary>
    public long EnvelopesReceived => Interlocked.Read(ref _envelopesReceived);

    /// <summary>Deliveries of an envelope id already seen: acknowledged, not handled again.</summary>
    public long DuplicatesDropped => Interlocked.Read(ref _duplicatesDropped);

    /// <summary>Handler calls that finished, whether or not they threw.</summary>
    public long EnvelopesHandled => Interlocked.Read(ref _envelopesHandled);

    /// <summary>True while at least one socket is open.</summary>
    public bool IsConnected => _socket.IsConnected;

    string IPlatformConnection.Name => "slack-socket-mode";

    /// <summary>
    /// Completes when Socket Mode stops: <see cref="SocketModeStopReason.IsFatal"/> when Slack refused the app-level
    /// token, otherwise because the host stopped it.
    /// </summary>
    public Task<SocketModeStopReason> Stopped => _stopped.Task;

    /// <summary>
    /// Completes once at least one socket has said <c>hello</c>; throws <see cref="InvalidOperationException"/> if Socket
    /// Mode has stopped.
    /// </summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) => _socket.WaitUntilConnectedAsync(cancellationToken);

    private TimeSpan CloseTimeout => _socket.Options.CloseTimeout;

    public override void Dispose()
    {
        base.Dispose();
        _socket.Dispose();
        _workSlots.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Transport != SlackTransport.SocketMode)
        {
            return; // Slack POSTs to the HTTP endpoint instead.
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        int count = Math.Max(1, _options.SocketConnections);
        var slots = new Task<SocketModeStopReason>[count];
        for (int slot = 0; slot < count; slot++)
        {
            int index = slot;
            slots[slot] = Task.Run(() => RunSlotAsync(index, run.Token), CancellationToken.None);
        }

        SocketModeStopReason reason;
        var first = await Task.WhenAny(slots);
        await run.CancelAsync();
        try
        {
            reason = await first;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            reason = new SocketModeStopReason(null, "The host stopped Socket Mode.");
        }
#pragma warning disable CA1031 // The host must see a stopped Socket Mode, not an unhandled exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The type only: a message could quote a payload.
            Log.SocketModeFailed(_logger, ex.GetType().Name);
            reason = new SocketModeStopReason(null, $"Socket Mode failed with {ex.GetType().Name}.");
        }

        // The other slots close their sockets on the way out.
        await ((Task)Task.WhenAll(slots)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        _socket.MarkStopped("Slack Socket Mode has stopped.");
        if (await _socket.DrainHandlersAsync() is > 0 and var abandoned)
        {
            Log.HandlersAbandoned(_logger, abandoned);
        }

        _stopped.TrySetResult(reason);
    }

    /// <summary>
    /// Keeps one socket open for as long as Socket Mode runs. Returns only for a fatal stop; throws when cancelled.
    /// </summary>
    private async Task<SocketModeStopReason> RunSlotAsync(int slot, CancellationToken cancellationToken)
    {
        if (slot > 0)
        {
            // Open the others once the first works, a little apart: a refused token then costs one call, not many.
            await WaitUntilConnectedAsync(cancellationToken);
            await Task.Delay(ConnectionStagger * slot, _time, cancellationToken);
        }

        SocketModeConnection? connection = null;
        // One backoff per slot, so that refusals for too many sockets keep growing it across connections that said
        // hello; it starts again once a connection ends any other way, or was kept for longer than the longest pause.
        var backoff = _socket.NewBackoff();
        try
        {
            var opened = await EstablishAsync(slot, backoff, delayFirst: false, cancellationToken);
            if (opened.Fatal is { } fatal)
            {
                return fatal;
            }

            connection = opened.Connection!;
            var openedAt = _time.GetTimestamp();
            while (true)
            {
                await Task.WhenAny(connection.Receiving, connection.ReplacementRequested).WaitAsync(cancellationToken);
                bool asked = connection.ReplacementRequested.IsCompleted;
                bool refused = asked && connection.ReplacementRequested.Result == TooManyWebsockets;
                if (!asked || refused || connection.Receiving.IsCompleted)
                {
                    await RetireAsync(connection);
                    connection = null;
                }

                if (!refused || _time.GetElapsedTime(openedAt) >= _socket.Options.ReconnectMaxDelay)
                {
                    backoff.Reset();
                }

                // Lost, closed by Slack unasked, or refused as one socket too many: back off first. Asked to move: go at once.
                opened = await EstablishAsync(slot, backoff, delayFirst: !asked || refused, cancellationToken);
                if (opened.Fatal is { } stop)
                {
                    return stop;
                }

                if (connection is not null)
                {
                    // The replacement said hello; only now let the old one go, so no envelope falls in between.
                    await RetireAsync(connection);
                }

                connection = opened.Connection!;
                openedAt = _time.GetTimestamp();
            }
        }
        finally
        {
            if (connection is not null)
            {
                await RetireAsync(connection);
            }
        }
    }

    /// <summary>Opens a socket and waits for its hello, retrying with backoff until it works or Slack refuses the token.</summary>
    private async Task<Established> EstablishAsync(int slot, ReconnectBackoff backoff, bool delayFirst, CancellationToken cancellationToken)
    {
        bool delay = delayFirst;
        while (true)
        {
            if (delay)
            {
                var wait = backoff.Next();
                Log.Reconnecting(_logger, slot, wait.TotalMilliseconds);
                await Task.Delay(wait, _time, cancellationToken);
            }

            delay = true;
            Uri url;
            try
            {
                url = await _web.OpenSocketConnectionAsync(cancellationToken);
            }
            catch (SlackApiException ex) when (FatalOpenErrors.Contains(ex.Error))
            {
                if (Interlocked.Exchange(ref _fatalReported, 1) == 0)
                {
                    Log.AppTokenRejected(_logger, ex.Error);
                }

                return new Established(null, new SocketModeStopReason(
                    ex.Error,
                    $"Slack rejected Slack:AppToken ({ex.Error}); Socket Mode will not reconnect."));
            }
            catch (SlackApiException ex)
            {
                Log.OpenFailed(_logger, slot, ex.Error);
                continue;
            }
#pragma warning disable CA1031 // Anything but a refused token is worth another try after a pause.
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                Log.OpenFailed(_logger, slot, ex.GetType().Name);
                continue;
            }

            var connection = new SocketModeConnection(Interlocked.Increment(ref _connectionNumbers), KeepAliveInterval, KeepAliveTimeout, _time);
            try
            {
                await connection.ConnectAsync(url, _socket.Options.HelloTimeout, cancellationToken);
                var (numConnections, refusal) = await ReceiveHelloAsync(connection, cancellationToken);
                if (refusal is not null)
                {
                    LogRefusal(connection.Number, refusal);
                    await connection.CloseRefusedAsync((int)WebSocketCloseStatus.NormalClosure, CloseTimeout);
                    connection.Dispose();
                    continue;
                }

                _socket.MarkConnected(connection);
                Log.Connected(_logger, connection.Number, slot, numConnections);
                connection.Receiving = Task.Run(() => ReceiveLoopAsync(connection), CancellationToken.None);
                return new Established(connection, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                connection.Dispose();
                throw;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or InvalidDataException or JsonException or OperationCanceledException or HttpRequestException)
            {
                Log.ConnectFailed(_logger, connection.Number, ex.GetType().Name);
                connection.Dispose();
            }
        }
    }

    /// <summary>
    /// Waits for the first frame: <c>hello</c>, with the <c>num_connections</c> it reports, or a <c>disconnect</c>
    /// refusing the socket before it was counted, with its reason.
    /// </summary>
    private async Task<(int? NumConnections, string? Refusal)> ReceiveHelloAsync(SocketModeConnection connection, CancellationToken cancellationToken)
    {
        var received = await connection.ReceiveFirstAsync(_socket.Options.HelloTimeout, CloseTimeout, cancellationToken);
        if (received is not { } utf8)
        {
            throw new IOException("Slack closed the socket before hello.");
        }

        var frame = JsonSerializer.Deserialize(utf8.Span, SlackJson.Default.SocketFrame);
        return frame?.Type switch
        {
            "hello" => (frame.NumConnections, null),
            "disconnect" => (null, frame.Reason ?? "unknown"),
            _ => throw new InvalidDataException("Slack's first frame was not hello."),
        };
    }

    private void LogRefusal(int connection, string reason)
    {
        if (reason == TooManyWebsockets)
        {
            Log.TooManySockets(_logger, connection, SlackConnectionCap);
        }
        else
        {
            Log.RefusedBeforeHello(_logger, connection, reason);
        }
    }

    private async Task ReceiveLoopAsync(SocketModeConnection connection)
    {
        var token = connection.Lifetime.Token;
        using var idle = _time.CreateTimer(
            state => ((SocketModeConnection)state!).RequestReplacement("idle"),
            connection,
            IdleTimeout,
            Timeout.InfiniteTimeSpan);
        try
        {
            while (true)
            {
                var received = await connection.ReceiveTextAsync(token);
                if (received is not { } utf8)
                {
                    if (!connection.IsClosing)
                    {
                        Log.ClosedBySlack(_logger, connection.Number, (int?)connection.CloseStatus);
                    }

                    await connection.CloseAsync((int)WebSocketCloseStatus.NormalClosure, null, CloseTimeout);
                    return;
                }

                idle.Change(IdleTimeout, Timeout.InfiniteTimeSpan);
                SocketFrame? frame;
                try
                {
                    frame = JsonSerializer.Deserialize(utf8.Span, SlackJson.Default.SocketFrame);
                }
                catch (JsonException)
                {
                    // Neither the text nor the exception message: either could quote what a user typed.
                    Log.MalformedFrame(_logger, connection.Number, utf8.Length);
                    continue;
                }

                if (frame is null)
                {
                    Log.MalformedFrame(_logger, connection.Number, utf8.Length);
                    continue;
                }

                if (frame.Type == "disconnect")
                {
                    string reason = frame.Reason ?? "unknown";
                    if (reason == TooManyWebsockets)
                    {
                        Log.TooManySockets(_logger, connection.Number, SlackConnectionCap);
                    }
                    else
                    {
                        Log.DisconnectRequested(_logger, connection.Number, reason);
                    }

                    connection.RequestReplacement(reason);
                }
                else if (frame.EnvelopeId is { Length: > 0 })
                {
                    await OnEnvelopeAsync(connection, frame, token);
                }
                else if (frame.Type != "hello")
                {
                    Log.UnknownFrame(_logger, connection.Number, frame.Type ?? "untyped");
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
            if (!connection.IsClosing && !token.IsCancellationRequested)
            {
                Log.ConnectionLost(_logger, connection.Number, ex.GetType().Name);
            }
        }
        finally
        {
            _socket.MarkDisconnected(connection);
        }
    }

    /// <summary>
    /// Hands a new envelope to the handler, which acknowledges it on this socket once its durable part is done; a
    /// repeat is acknowledged at once, unless its first delivery is still being received (that one's ack will say).
    /// </summary>
    private async Task OnEnvelopeAsync(SocketModeConnection connection, SocketFrame frame, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _envelopesReceived);
        var envelope = new SlackEnvelope(
            frame.EnvelopeId!,
            frame.Type ?? string.Empty,
            frame.Payload ?? default,
            frame.AcceptsResponsePayload ?? false,
            frame.RetryAttempt,
            string.IsNullOrEmpty(frame.RetryReason) ? null : frame.RetryReason);

        // Marked as being received before anything else, then remembered: a repeat on another socket meanwhile waits
        // for this delivery's ack, and one after it is dropped, so the handler runs once however Slack repeats it.
        var receiving = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        while (!_receiving.TryAdd(envelope.EnvelopeId, receiving))
        {
            if (_receiving.TryGetValue(envelope.EnvelopeId, out var first))
            {
                // Acknowledged here too once the first delivery is recorded; not at all if it cannot be.
                Interlocked.Increment(ref _duplicatesDropped);
                Log.Duplicate(_logger, connection.Number, envelope.Type, envelope.EnvelopeId, envelope.RetryAttempt ?? 0);
                connection.Track(AcknowledgeWhenRecordedAsync(connection, envelope, first.Task));
                return;
            }

            // The first delivery finished just now: whether this one is a repeat is for the check below.
        }

        if (!_recent.TryRemember(envelope.EnvelopeId))
        {
            Received(envelope.EnvelopeId, receiving, acknowledged: true);
            Interlocked.Increment(ref _duplicatesDropped);
            Log.Duplicate(_logger, connection.Number, envelope.Type, envelope.EnvelopeId, envelope.RetryAttempt ?? 0);
            await AcknowledgeAsync(connection, envelope, null, cancellationToken);
            return;
        }

        if (envelope.Type is not ("events_api" or "slash_commands" or "interactive"))
        {
            Received(envelope.EnvelopeId, receiving, acknowledged: true);
            await AcknowledgeAsync(connection, envelope, null, cancellationToken);
            Log.UnknownEnvelope(_logger, connection.Number, envelope.Type, envelope.EnvelopeId);
            return;
        }

        StartHandler(connection, envelope, receiving);
    }

    private async Task AcknowledgeWhenRecordedAsync(SocketModeConnection connection, SlackEnvelope envelope, Task<bool> recorded)
    {
        if (await recorded)
        {
            await AcknowledgeAsync(connection, envelope, null, AckToken(connection));
        }
    }

    private async Task AcknowledgeAsync(SocketModeConnection connection, SlackEnvelope envelope, JsonElement? payload, CancellationToken cancellationToken)
    {
        var response = envelope.AcceptsResponsePayload && payload is { ValueKind: not JsonValueKind.Undefined } ? payload : null;
        try
        {
            await connection.SendTextAsync(AckFrame(envelope.EnvelopeId, response), cancellationToken);
            Log.Acknowledged(_logger, connection.Number, envelope.Type, envelope.EnvelopeId, envelope.RetryAttempt ?? 0, response is not null);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Slack sends it again (events) or the user sees a timeout; the envelope id stops a second handling.
            Log.AckFailed(_logger, connection.Number, envelope.EnvelopeId, ex.GetType().Name);
        }
    }

    private static byte[] AckFrame(string envelopeId, JsonElement? payload)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("envelope_id", envelopeId);
            if (payload is { } value)
            {
                writer.WritePropertyName("payload");
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void StartHandler(SocketModeConnection connection, SlackEnvelope envelope, TaskCompletionSource<bool> receiving)
    {
        connection.Track(receiving.Task);
        _socket.StartHandler(() => RunHandlerAsync(connection, envelope, receiving));
    }

    private async Task RunHandlerAsync(SocketModeConnection connection, SlackEnvelope envelope, TaskCompletionSource<bool> receiving)
    {
        try
        {
            var stopping = _socket.HandlersStopping;
            var receipt = await _socket.Slots.RunAsync(() => ReceiveAndAcknowledgeAsync(connection, envelope, receiving), stopping);

            // Slow work after the ack must not hold up the acks of the envelopes behind it: it runs after the slot is released.
            if (receipt.Then is { } then)
            {
                await _workSlots.RunAsync(() => then(stopping), stopping);
            }
        }
        catch (OperationCanceledException) when (_socket.HandlersStopping.IsCancellationRequested)
        {
            // Shutting down.
        }
#pragma warning disable CA1031 // One failing envelope must not stop the ones after it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The type only: the message may echo what a user typed.
            Log.HandlerFailed(_logger, envelope.Type, envelope.EnvelopeId, ex.GetType().Name);
        }
        finally
        {
            Interlocked.Increment(ref _envelopesHandled);
        }
    }

    /// <summary>The durable part: the handler records the envelope, then its ack goes out (or, when it could not be recorded, none).</summary>
    private async Task<SlackReceipt> ReceiveAndAcknowledgeAsync(SocketModeConnection connection, SlackEnvelope envelope, TaskCompletionSource<bool> receiving)
    {
        try
        {
            var receipt = await ReceiveAsync(envelope);
            if (receipt.Outcome == SlackReceiptOutcome.NotRecorded)
            {
                // No ack: Slack delivers it again, and that delivery must be handled, not dropped as a repeat.
                _recent.Forget(envelope.EnvelopeId);
                Log.NotRecorded(_logger, envelope.Type, envelope.EnvelopeId, envelope.RetryAttempt ?? 0);
            }
            else
            {
                await AcknowledgeAsync(connection, envelope, receipt.Outcome == SlackReceiptOutcome.Accepted ? receipt.ResponsePayload : null, AckToken(connection));
            }

            Received(envelope.EnvelopeId, receiving, receipt.Outcome != SlackReceiptOutcome.NotRecorded);
            return receipt;
        }
        finally
        {
            Received(envelope.EnvelopeId, receiving, acknowledged: false);
        }
    }

    /// <summary>Ends this delivery's receiving, and only its own: a later delivery of the same id may be under way.</summary>
    private void Received(string envelopeId, TaskCompletionSource<bool> receiving, bool acknowledged)
    {
        _receiving.TryRemove(KeyValuePair.Create(envelopeId, receiving));
        receiving.TrySetResult(acknowledged);
    }

    private async Task<SlackReceipt> ReceiveAsync(SlackEnvelope envelope)
    {
        try
        {
            var receipt = await _handler.ReceiveAsync(envelope, _socket.HandlersStopping);
            if (receipt.Outcome == SlackReceiptOutcome.Malformed)
            {
                Log.MalformedEnvelope(_logger, envelope.Type, envelope.EnvelopeId);
            }

            return receipt;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_socket.HandlersStopping.IsCancellationRequested)
        {
            // A plain ack: the same envelope again would fail the same way, and without one Slack shows the user an error.
            Log.ReceiveFailed(_logger, envelope.Type, envelope.EnvelopeId, ex.GetType().Name);
            return SlackReceipt.Nothing;
        }
    }

    private static CancellationToken AckToken(SocketModeConnection connection)
    {
        try
        {
            return connection.Lifetime.Token;
        }
        catch (ObjectDisposedException)
        {
            // Retired while the envelope was being received: the ack cannot go out, and Slack will send it again.
            return new CancellationToken(canceled: true);
        }
    }

    /// <summary>Closes a socket (a close frame, then a short wait for Slack's answer) and forgets it.</summary>
    private async Task RetireAsync(SocketModeConnection connection)
    {
        if (!connection.Receiving.IsCompleted)
        {
            // An envelope is acknowledged on the socket that brought it, and nothing may be sent after a close frame;
            // Slack sends an event again but never a command or a click, so those acks go out first. Recording is
            // bounded well inside Slack's ack deadline, which bounds this wait too.
            await connection.AcknowledgedAsync(AckDeadline, _time);

            // Frames already on their way are still read and acknowledged until Slack answers the close.
            await connection.CloseAndAbortAsync((int)WebSocketCloseStatus.NormalClosure, null, connection.Receiving, CloseTimeout);
        }

        await connection.Lifetime.CancelAsync();
        await connection.Receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.MarkDisconnected(connection);
        Log.Closed(_logger, connection.Number);
        connection.Dispose();
    }

    /// <summary>An open socket, or the reason to stop for good.</summary>
    private readonly record struct Established(SocketModeConnection? Connection, SocketModeStopReason? Fatal);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Slack Socket Mode connection #{Connection} open (slot {Slot}; Slack counts {NumConnections} connections)")]
        public static partial void Connected(ILogger logger, int connection, int slot, int? numConnections);

        [LoggerMessage(2, LogLevel.Information, "Slack asked connection #{Connection} to disconnect ({Reason}); opening its replacement first")]
        public static partial void DisconnectRequested(ILogger logger, int connection, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Slack Socket Mode connection #{Connection} lost ({ErrorType}); reconnecting")]
        public static partial void ConnectionLost(ILogger logger, int connection, string errorType);

        [LoggerMessage(4, LogLevel.Information, "Slack closed Socket Mode connection #{Connection} with status {CloseStatus}")]
        public static partial void ClosedBySlack(ILogger logger, int connection, int? closeStatus);

        [LoggerMessage(5, LogLevel.Debug, "Reopening Socket Mode slot {Slot} in {DelayMs:F0} ms")]
        public static partial void Reconnecting(ILogger logger, int slot, double delayMs);

        [LoggerMessage(6, LogLevel.Error, "Slack rejected Slack:AppToken ({Error}): create an app-level token with connections:write on the app's Basic Information page. Socket Mode will not reconnect.")]
        public static partial void AppTokenRejected(ILogger logger, string error);

        [LoggerMessage(7, LogLevel.Warning, "apps.connections.open failed for slot {Slot} ({Error}); retrying")]
        public static partial void OpenFailed(ILogger logger, int slot, string error);

        [LoggerMessage(8, LogLevel.Warning, "Socket Mode connection #{Connection} could not be opened ({ErrorType}); retrying")]
        public static partial void ConnectFailed(ILogger logger, int connection, string errorType);

        [LoggerMessage(9, LogLevel.Debug, "Acknowledged {EnvelopeType} envelope {EnvelopeId} on connection #{Connection} (retry {RetryAttempt}, response payload: {WithPayload})")]
        public static partial void Acknowledged(ILogger logger, int connection, string envelopeType, string envelopeId, int retryAttempt, bool withPayload);

        [LoggerMessage(10, LogLevel.Warning, "Could not acknowledge envelope {EnvelopeId} on connection #{Connection} ({ErrorType})")]
        public static partial void AckFailed(ILogger logger, int connection, string envelopeId, string errorType);

        [LoggerMessage(11, LogLevel.Debug, "Dropped repeated {EnvelopeType} envelope {EnvelopeId} on connection #{Connection} (retry {RetryAttempt}); acknowledged again")]
        public static partial void Duplicate(ILogger logger, int connection, string envelopeType, string envelopeId, int retryAttempt);

        [LoggerMessage(12, LogLevel.Error, "The handler of {EnvelopeType} envelope {EnvelopeId} failed with {ErrorType}")]
        public static partial void HandlerFailed(ILogger logger, string envelopeType, string envelopeId, string errorType);

        [LoggerMessage(13, LogLevel.Error, "Receiving {EnvelopeType} envelope {EnvelopeId} failed with {ErrorType}; sent a plain ack")]
        public static partial void ReceiveFailed(ILogger logger, string envelopeType, string envelopeId, string errorType);

        [LoggerMessage(20, LogLevel.Warning, "{EnvelopeType} envelope {EnvelopeId} (retry {RetryAttempt}) could not be recorded; not acknowledged, so Slack sends it again")]
        public static partial void NotRecorded(ILogger logger, string envelopeType, string envelopeId, int retryAttempt);

        [LoggerMessage(21, LogLevel.Warning, "{EnvelopeType} envelope {EnvelopeId} is not in a shape the bot reads; acknowledged and dropped")]
        public static partial void MalformedEnvelope(ILogger logger, string envelopeType, string envelopeId);

        [LoggerMessage(14, LogLevel.Warning, "Connection #{Connection} received a frame of {Bytes} bytes that is not a Socket Mode frame; ignored")]
        public static partial void MalformedFrame(ILogger logger, int connection, int bytes);

        [LoggerMessage(15, LogLevel.Debug, "Connection #{Connection} received a {FrameType} frame; ignored")]
        public static partial void UnknownFrame(ILogger logger, int connection, string frameType);

        [LoggerMessage(16, LogLevel.Warning, "Acknowledged {EnvelopeType} envelope {EnvelopeId} on connection #{Connection}, a type this bot does not handle")]
        public static partial void UnknownEnvelope(ILogger logger, int connection, string envelopeType, string envelopeId);

        [LoggerMessage(17, LogLevel.Debug, "Socket Mode connection #{Connection} closed")]
        public static partial void Closed(ILogger logger, int connection);

        [LoggerMessage(18, LogLevel.Warning, "{Count} envelope handlers were still running at shutdown; cancelling them")]
        public static partial void HandlersAbandoned(ILogger logger, int count);

        [LoggerMessage(19, LogLevel.Critical, "Slack Socket Mode failed with {ErrorType} and stopped")]
        public static partial void SocketModeFailed(ILogger logger, string errorType);

        [LoggerMessage(22, LogLevel.Warning, "Slack refused Socket Mode connection #{Connection} as one too many (too_many_websockets): an app may hold {Cap} at once, counting every process that runs with this app token (Slack:SocketConnections each) and sockets of a process that was killed until Slack drops them; retrying with a growing pause")]
        public static partial void TooManySockets(ILogger logger, int connection, int cap);

        [LoggerMessage(23, LogLevel.Warning, "Slack disconnected Socket Mode connection #{Connection} before its hello ({Reason}); retrying")]
        public static partial void RefusedBeforeHello(ILogger logger, int connection, string reason);
    }
}
