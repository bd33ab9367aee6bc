using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms;
using Mockingbird.Discord.Rest;
using Mockingbird.Platforms.Sockets;

namespace Mockingbird.Discord.Gateway;

/// <summary>
/// The Discord gateway v10 connection (JSON, no compression): identifies, heartbeats, resumes after drops and hands
/// <c>INTERACTION_CREATE</c>, <c>MESSAGE_CREATE</c>, and each <c>READY</c> and <c>RESUMED</c> (without READY's data) to
/// <see cref="IGatewayDispatchHandler"/>. Close codes Discord
/// calls fatal stop it for good with one error line; <see cref="Stopped"/> tells the host.
/// </summary>
public sealed partial class DiscordGateway : BackgroundService, IPlatformConnection
{
    /// <summary>GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT: interactions need no intent; thread answers need message content.</summary>
    public const int Intents = Guilds | GuildMessages | MessageContent;

    /// <summary>Handler calls running at once; dispatches past this wait their turn off the receive loop.</summary>
    public const int MaxConcurrentHandlers = 64;

    /// <summary>The close code this client uses when it means to resume (anything but 1000/1001 keeps the session).</summary>
    internal const int ReconnectCloseCode = 4000;

    private const int Guilds = 1 << 0;
    private const int GuildMessages = 1 << 9;
    private const int MessageContent = 1 << 15;
    private const long NoSequence = -1;
    private const int ResumeAttemptsBeforeIdentify = 3;

    /// <summary>Discord asks for a beat about every 41 seconds; an interval past this is not Discord talking.</summary>
    private static readonly TimeSpan MaxHeartbeatInterval = TimeSpan.FromMinutes(10);

    private readonly IDiscordRest _rest;
    private readonly DiscordOptions _options;
    private readonly IGatewayDispatchHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordGateway> _logger;

    private readonly TaskCompletionSource<GatewayStopReason> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stateLock = new();
    private readonly ReconnectingSocket _socket;
    private readonly HandlerSlots _interactionSlots;
    private readonly Dictionary<string, HandlerChain> _handlerChains = new(StringComparer.Ordinal);

    private string? _gatewayUrl;
    private string? _sessionId;
    private string? _resumeUrl;
    private long _sequence = NoSequence;
    private int _sessionsEstablished;
    private readonly GatewaySessions _sessions;
    private GatewayConnection? _live;

    public DiscordGateway(
        IDiscordRest rest,
        IOptions<DiscordOptions> options,
        IGatewayDispatchHandler handler,
        TimeProvider time,
        ILogger<DiscordGateway> logger,
        GatewaySessions? sessions = null,
        ReconnectingSocketOptions? socketOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sessions = sessions ?? new GatewaySessions();
        _rest = rest;
        _options = options.Value;
        _handler = handler;
        _time = time;
        _logger = logger;
        // Discord's own timings unless a test gives others (backoff, hello, drain and close).
        socketOptions ??= new ReconnectingSocketOptions { ReconnectMaxDelay = TimeSpan.FromSeconds(60), HelloTimeout = TimeSpan.FromSeconds(30), HandlerSlots = MaxConcurrentHandlers };
        _socket = new ReconnectingSocket(socketOptions, time);
        _interactionSlots = new HandlerSlots(socketOptions.HandlerSlots);
    }

    /// <summary>Discord asks for a random 1–5 s wait before identifying again after an invalid session.</summary>
    public TimeSpan ReidentifyMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReidentifyMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The bot's own user id, known from the first READY.</summary>
    public string? CurrentUserId { get; private set; }

    /// <summary>The application id READY reported.</summary>
    public string? ApplicationId { get; private set; }

    /// <summary>True between READY (or RESUMED) and the loss of that connection.</summary>
    public bool IsConnected => _socket.IsConnected;

    string IPlatformConnection.Name => "discord-gateway";

    /// <summary>How many times a session was established (each READY and each RESUMED counts one).</summary>
    public int SessionsEstablished => Volatile.Read(ref _sessionsEstablished);

    /// <summary>
    /// Completes when the gateway stops: <see cref="GatewayStopReason.IsFatal"/> after a close code Discord says never to
    /// reconnect after, otherwise because the host stopped it.
    /// </summary>
    public Task<GatewayStopReason> Stopped => _stopped.Task;

    internal string? SessionId
    {
        get
        {
            lock (_stateLock)
            {
                return _sessionId;
            }
        }
    }

    /// <summary>A heartbeat on the current connection has gone out and its ACK has not come back yet.</summary>
    internal bool AwaitingHeartbeatAck => Volatile.Read(ref _live)?.AwaitingAck ?? false;

    internal long? LastSequence => Volatile.Read(ref _sequence) is var sequence and not NoSequence ? sequence : null;

    /// <summary>
    /// Completes once the gateway is connected (READY or RESUMED on the current socket); throws
    /// <see cref="InvalidOperationException"/> if the gateway has stopped.
    /// </summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) => _socket.WaitUntilConnectedAsync(cancellationToken);

    private TimeSpan CloseTimeout => _socket.Options.CloseTimeout;

    public override void Dispose()
    {
        base.Dispose();
        _socket.Dispose();
        _interactionSlots.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        GatewayStopReason reason;
        try
        {
            reason = await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            reason = new GatewayStopReason(null, "The host stopped the gateway.");
        }
#pragma warning disable CA1031 // The host must see a stopped gateway, not an unhandled exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The type only: a message could quote a payload.
            Log.GatewayFailed(_logger, ex.GetType().Name);
            reason = new GatewayStopReason(null, $"The gateway failed with {ex.GetType().Name}.");
        }

        _socket.MarkStopped("The Discord gateway has stopped.");
        if (await _socket.DrainHandlersAsync() is > 0 and var abandoned)
        {
            Log.HandlersAbandoned(_logger, abandoned);
        }

        _stopped.TrySetResult(reason);
    }

    private async Task<GatewayStopReason> RunAsync(CancellationToken stoppingToken)
    {
        var backoff = _socket.NewBackoff();
        int failedResumes = 0;
        while (true)
        {
            stoppingToken.ThrowIfCancellationRequested();
            bool resume;
            string url;
            lock (_stateLock)
            {
                resume = _sessionId is not null && _resumeUrl is not null;
                url = _resumeUrl ?? string.Empty;
            }

            ConnectionOutcome outcome;
            if (!resume)
            {
                ForgetSession();
                var gatewayUrl = await GetGatewayUrlAsync(stoppingToken);
                outcome = gatewayUrl is null
                    ? new ConnectionOutcome(GatewayNextStep.Identify, null, false)
                    : await RunConnectionAsync(GatewayPayloads.ConnectUri(gatewayUrl), resume: false, stoppingToken);
            }
            else
            {
                outcome = await RunConnectionAsync(GatewayPayloads.ConnectUri(url), resume: true, stoppingToken);
            }

            stoppingToken.ThrowIfCancellationRequested();

            if (outcome.Established)
            {
                backoff.Reset();
                failedResumes = 0;
            }

            var delay = backoff.Next();
            switch (outcome.Next)
            {
                case GatewayNextStep.Stop:
                    int code = outcome.CloseCode ?? 0;
                    string reason = GatewayCloseCodes.FatalReason(code);
                    Log.FatalClose(_logger, code, reason);
                    return new GatewayStopReason(code, reason);

                case GatewayNextStep.Identify:
                    ForgetSession();
                    var reidentify = RandomBetween(ReidentifyMinDelay, ReidentifyMaxDelay);
                    delay = reidentify > delay ? reidentify : delay;
                    break;

                case GatewayNextStep.Resume when resume && !outcome.Established:
                    // The resume host may be gone for good, or up and not serving (no Hello, no RESUMED); after a few
                    // tries start a new session instead.
                    if (++failedResumes >= ResumeAttemptsBeforeIdentify)
                    {
                        Log.ResumeAbandoned(_logger, failedResumes);
                        ForgetSession();
                        failedResumes = 0;
                    }

                    break;
            }

            Log.Reconnecting(_logger, delay.TotalMilliseconds);
            await Task.Delay(delay, _time, stoppingToken);
        }
    }

    /// <summary>
    /// The gateway URL, asked for before every new session: each Identify spends one of the day's session starts, and
    /// Discord's answer says how many are left (and how long to wait when none are). When asking fails, the URL
    /// from last time still works; null only when there has never been one (the caller backs off).
    /// </summary>
    private async Task<string?> GetGatewayUrlAsync(CancellationToken stoppingToken)
    {
        try
        {
            var info = await _rest.GetGatewayBotAsync(stoppingToken);
            if (info.SessionStartLimit is { Remaining: <= 0, ResetAfter: > 0 } limit)
            {
                var wait = TimeSpan.FromMilliseconds(limit.ResetAfter);
                Log.SessionStartLimitReached(_logger, wait.TotalSeconds);
                await Task.Delay(wait, _time, stoppingToken);
            }

            _gatewayUrl = info.Url;
            return _gatewayUrl;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.GatewayUrlFailed(_logger, ex.GetType().Name);
            return _gatewayUrl;
        }
    }

    private async Task<ConnectionOutcome> RunConnectionAsync(Uri uri, bool resume, CancellationToken stoppingToken)
    {
        using var connection = new GatewayConnection(_time);
        Volatile.Write(ref _live, connection);
        bool established = false;
        Task heartbeat = Task.CompletedTask;

        // Shutting down closes with 1000: the session ends and Discord shows the bot offline at once.
        using var shutdown = stoppingToken.Register(() => _ = CloseForShutdownAsync(connection));
        try
        {
            Log.Connecting(_logger, uri.Host, resume);
            await connection.ConnectAsync(uri, _socket.Options.HelloTimeout, stoppingToken);

            var hello = await ReceiveHelloAsync(connection, stoppingToken);
            if (hello is not { } interval)
            {
                return ClosedOutcome(connection, established);
            }

            heartbeat = RunHeartbeatAsync(connection, interval);
            await connection.SendAsync(resume ? ResumePayload() : IdentifyPayload(), connection.Lifetime.Token);

            while (true)
            {
                var frame = await connection.ReceiveAsync(connection.Lifetime.Token);
                if (frame is not { } payload)
                {
                    await connection.AcknowledgeCloseAsync(ReconnectCloseCode, CloseTimeout);
                    return ClosedOutcome(connection, established);
                }

                switch (payload.Op)
                {
                    case GatewayOpcodes.Dispatch:
                        established |= OnDispatch(connection, payload);
                        break;

                    case GatewayOpcodes.Heartbeat:
                        // Asked for by the server: it does not start a wait for an ACK, or an ACK still in flight
                        // when the scheduled beat comes would look like a dead connection.
                        await connection.SendAsync(GatewayPayloads.Heartbeat(LastSequence), connection.Lifetime.Token);
                        break;

                    case GatewayOpcodes.HeartbeatAck:
                        connection.AwaitingAck = false;
                        break;

                    case GatewayOpcodes.Reconnect:
                        Log.ReconnectRequested(_logger);
                        await connection.CloseAsync(ReconnectCloseCode, "reconnect requested", CloseTimeout);
                        return new ConnectionOutcome(GatewayNextStep.Resume, null, established);

                    case GatewayOpcodes.InvalidSession:
                        bool resumable = payload.Data.ValueKind == JsonValueKind.True;
                        Log.InvalidSession(_logger, resumable);
                        await connection.CloseAsync(ReconnectCloseCode, "invalid session", CloseTimeout);
                        return new ConnectionOutcome(resumable ? GatewayNextStep.Resume : GatewayNextStep.Identify, null, established);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (connection.IsZombie)
        {
            return new ConnectionOutcome(GatewayNextStep.Resume, null, established);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or InvalidDataException or JsonException or OperationCanceledException or HttpRequestException)
        {
            // A drop without a close code: the session is still resumable.
            Log.ConnectionLost(_logger, ex.GetType().Name);
            return new ConnectionOutcome(GatewayNextStep.Resume, null, established);
        }
        finally
        {
            await connection.Lifetime.CancelAsync();
            await heartbeat;
            _socket.MarkDisconnected(connection);
            Interlocked.CompareExchange(ref _live, null, connection);
        }
    }

    private async Task<TimeSpan?> ReceiveHelloAsync(GatewayConnection connection, CancellationToken stoppingToken)
    {
        var frame = await connection.ReceiveHelloAsync(_socket.Options.HelloTimeout, CloseTimeout, stoppingToken);
        if (frame is not { } hello)
        {
            await connection.AcknowledgeCloseAsync(ReconnectCloseCode, CloseTimeout);
            return null;
        }

        if (hello.Op != GatewayOpcodes.Hello
            || hello.Data.ValueKind != JsonValueKind.Object
            || !hello.Data.TryGetProperty("heartbeat_interval", out var intervalElement)
            || intervalElement.ValueKind != JsonValueKind.Number
            || !intervalElement.TryGetDouble(out double milliseconds)
            || milliseconds <= 0
            || milliseconds > MaxHeartbeatInterval.TotalMilliseconds)
        {
            throw new InvalidDataException("The gateway's first payload was not a Hello with a heartbeat interval.");
        }

        return TimeSpan.FromMilliseconds(milliseconds);
    }

    private ConnectionOutcome ClosedOutcome(GatewayConnection connection, bool established)
    {
        int? code = connection.CloseCode;
        Log.ClosedByGateway(_logger, code);
        return new ConnectionOutcome(GatewayCloseCodes.NextStep(code), code, established);
    }

    /// <summary>Handles op 0; true when it established the session (READY or RESUMED).</summary>
    private bool OnDispatch(GatewayConnection connection, GatewayFrame frame)
    {
        if (frame.Sequence is long sequence)
        {
            Volatile.Write(ref _sequence, sequence);
        }

        switch (frame.Type)
        {
            case "READY":
                OnReady(connection, frame.Data);
                // The handler hears of it (to catch up on what the gateway will not replay), not of READY's guild list.
                StartHandler(new GatewayDispatch(frame.Type, default, frame.Sequence ?? 0));
                return true;

            case "RESUMED":
                MarkConnected(connection);
                Log.Resumed(_logger, LastSequence);
                StartHandler(new GatewayDispatch(frame.Type, frame.Data, frame.Sequence ?? 0));
                return true;

            case "INTERACTION_CREATE" or "MESSAGE_CREATE":
                StartHandler(new GatewayDispatch(frame.Type, frame.Data, frame.Sequence ?? 0));
                return false;

            default:
                return false;
        }
    }

    private void OnReady(GatewayConnection connection, JsonElement data)
    {
        string? sessionId = StringProperty(data, "session_id");
        string? resumeUrl = StringProperty(data, "resume_gateway_url");
        string? userId = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("user", out var user) ? StringProperty(user, "id") : null;
        string? applicationId = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("application", out var application)
            ? StringProperty(application, "id")
            : null;

        lock (_stateLock)
        {
            _sessionId = sessionId;
            // Without a resume URL Discord's advice is the cached gateway URL.
            _resumeUrl = resumeUrl ?? _gatewayUrl;
        }

        CurrentUserId = userId ?? CurrentUserId;
        ApplicationId = applicationId ?? ApplicationId;
        MarkConnected(connection);
        Log.Ready(_logger, CurrentUserId ?? "unknown", _options.ShardId, _options.ShardCount);
    }

    private void MarkConnected(GatewayConnection connection)
    {
        Interlocked.Increment(ref _sessionsEstablished);
        _sessions.Began();
        _socket.MarkConnected(connection);
    }

    private void ForgetSession()
    {
        lock (_stateLock)
        {
            _sessionId = null;
            _resumeUrl = null;
        }

        Volatile.Write(ref _sequence, NoSequence);
    }

    private byte[] IdentifyPayload() =>
        GatewayPayloads.Identify(_options.BotToken, Intents, _options.ShardId, _options.ShardCount);

    private byte[] ResumePayload()
    {
        string sessionId;
        lock (_stateLock)
        {
            sessionId = _sessionId ?? throw new InvalidOperationException("There is no session to resume.");
        }

        return GatewayPayloads.Resume(_options.BotToken, sessionId, LastSequence);
    }

    private async Task RunHeartbeatAsync(GatewayConnection connection, TimeSpan interval)
    {
        var token = connection.Lifetime.Token;
        try
        {
            // The first beat is spread over the interval so that many clients reconnecting at once do not beat together.
            await Task.Delay(interval * Random.Shared.NextDouble(), _time, token);
            while (true)
            {
                if (connection.AwaitingAck)
                {
                    Log.Zombie(_logger, interval.TotalMilliseconds);
                    connection.IsZombie = true;
                    // Aborting sends no close frame, so Discord keeps the session for the resume.
                    await connection.Lifetime.CancelAsync();
                    return;
                }

                await SendHeartbeatAsync(connection, token);
                await Task.Delay(interval, _time, token);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            if (connection.IsClosing || token.IsCancellationRequested)
            {
                return; // this side closed the socket; the receive loop is already finishing
            }

            // The receive loop sees the same broken socket and reconnects; make sure it wakes up.
            Log.HeartbeatFailed(_logger, ex.GetType().Name);
            connection.IsZombie = true;
            await connection.Lifetime.CancelAsync();
        }
    }

    private Task SendHeartbeatAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        connection.AwaitingAck = true;
        return connection.SendAsync(GatewayPayloads.Heartbeat(LastSequence), cancellationToken);
    }

    // The receive loop ends (and aborts the socket) when the gateway answers the close; stop waiting for that after a while.
    private Task CloseForShutdownAsync(GatewayConnection connection) =>
        connection.CloseAndAbortAsync((int)WebSocketCloseStatus.NormalClosure, "shutting down", connection.Aborted, CloseTimeout);

    private void StartHandler(GatewayDispatch dispatch)
    {
        // Messages of one channel stay in order (an answer typed in two messages); different channels run side by
        // side. An interaction never waits behind anything: Discord wants its first response within 3 seconds.
        // Session starts queue behind each other, so one catch-up runs at a time.
        string key = dispatch.Type switch
        {
            // By its own id: sequence numbers start again with every new session.
            "INTERACTION_CREATE" => $"interaction:{StringProperty(dispatch.Data, "id") ?? dispatch.Sequence.ToString(CultureInfo.InvariantCulture)}",
            "READY" or "RESUMED" => "session",
            _ => StringProperty(dispatch.Data, "channel_id") ?? string.Empty,
        };
        lock (_handlerChains)
        {
            _handlerChains.TryGetValue(key, out var chain);
            var previous = chain?.Tail ?? Task.CompletedTask;
            var task = _socket.StartHandler(() => RunHandlerAsync(previous, dispatch, key));
            _handlerChains[key] = new HandlerChain(task, (chain?.Pending ?? 0) + 1);
        }
    }

    private async Task RunHandlerAsync(Task previous, GatewayDispatch dispatch, string key)
    {
        try
        {
            await previous;
            var stopping = _socket.HandlersStopping;
            // Interactions have slots of their own: a first response due within 3 seconds must not wait for a slot
            // held by a slow message turn (an LLM judging, a Discord REST call backing off).
            var slots = dispatch.Type == "INTERACTION_CREATE" ? _interactionSlots : _socket.Slots;
            await slots.RunAsync(() => _handler.HandleAsync(dispatch, stopping), stopping);
        }
        catch (OperationCanceledException) when (_socket.HandlersStopping.IsCancellationRequested)
        {
            // Shutting down.
        }
#pragma warning disable CA1031 // One failing dispatch must not stop the ones after it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The type only: the message may echo what a user typed.
            Log.HandlerFailed(_logger, dispatch.Type, dispatch.Sequence, ex.GetType().Name);
        }
        finally
        {
            lock (_handlerChains)
            {
                var chain = _handlerChains[key];
                if (chain.Pending <= 1)
                {
                    _handlerChains.Remove(key);
                }
                else
                {
                    _handlerChains[key] = chain with { Pending = chain.Pending - 1 };
                }
            }
        }
    }

    private static TimeSpan RandomBetween(TimeSpan min, TimeSpan max) =>
        max <= min ? min : min + ((max - min) * Random.Shared.NextDouble());

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>How a connection ended and what comes next.</summary>
    /// <param name="Established">READY or RESUMED arrived on it.</param>
    private readonly record struct ConnectionOutcome(GatewayNextStep Next, int? CloseCode, bool Established);

    private sealed record HandlerChain(Task Tail, int Pending);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Connecting to the Discord gateway at {Host} (resume: {Resume})")]
        public static partial void Connecting(ILogger logger, string host, bool resume);

        [LoggerMessage(2, LogLevel.Information, "Discord gateway ready as user {UserId} on shard {ShardId} of {ShardCount}")]
        public static partial void Ready(ILogger logger, string userId, int shardId, int shardCount);

        [LoggerMessage(3, LogLevel.Information, "Discord gateway session resumed at sequence {Sequence}")]
        public static partial void Resumed(ILogger logger, long? sequence);

        [LoggerMessage(4, LogLevel.Information, "Discord asked the gateway to reconnect; resuming")]
        public static partial void ReconnectRequested(ILogger logger);

        [LoggerMessage(5, LogLevel.Warning, "Discord invalidated the gateway session (resumable: {Resumable})")]
        public static partial void InvalidSession(ILogger logger, bool resumable);

        [LoggerMessage(6, LogLevel.Warning, "No heartbeat ACK from Discord within {IntervalMs} ms; reconnecting to resume")]
        public static partial void Zombie(ILogger logger, double intervalMs);

        [LoggerMessage(7, LogLevel.Warning, "Discord gateway connection lost ({ErrorType}); reconnecting to resume")]
        public static partial void ConnectionLost(ILogger logger, string errorType);

        [LoggerMessage(8, LogLevel.Information, "Discord closed the gateway connection with code {CloseCode}")]
        public static partial void ClosedByGateway(ILogger logger, int? closeCode);

        [LoggerMessage(9, LogLevel.Debug, "Reconnecting to the Discord gateway in {DelayMs:F0} ms")]
        public static partial void Reconnecting(ILogger logger, double delayMs);

        [LoggerMessage(10, LogLevel.Error, "{Reason} The gateway will not reconnect (close code {CloseCode}).")]
        public static partial void FatalClose(ILogger logger, int closeCode, string reason);

        [LoggerMessage(11, LogLevel.Error, "The handler of {DispatchType} #{Sequence} failed with {ErrorType}")]
        public static partial void HandlerFailed(ILogger logger, string dispatchType, long sequence, string errorType);

        [LoggerMessage(12, LogLevel.Warning, "Could not get the gateway URL from Discord ({ErrorType}); retrying")]
        public static partial void GatewayUrlFailed(ILogger logger, string errorType);

        [LoggerMessage(13, LogLevel.Warning, "No gateway sessions left to start today; waiting {Seconds:F0} s as Discord says")]
        public static partial void SessionStartLimitReached(ILogger logger, double seconds);

        [LoggerMessage(14, LogLevel.Warning, "Sending a heartbeat failed ({ErrorType}); reconnecting")]
        public static partial void HeartbeatFailed(ILogger logger, string errorType);

        [LoggerMessage(15, LogLevel.Warning, "Resuming failed {Attempts} times in a row; starting a new session")]
        public static partial void ResumeAbandoned(ILogger logger, int attempts);

        [LoggerMessage(16, LogLevel.Warning, "{Count} dispatch handlers were still running at shutdown; cancelling them")]
        public static partial void HandlersAbandoned(ILogger logger, int count);

        [LoggerMessage(17, LogLevel.Critical, "The Discord gateway failed with {ErrorType} and stopped")]
        public static partial void GatewayFailed(ILogger logger, string errorType);
    }
}
