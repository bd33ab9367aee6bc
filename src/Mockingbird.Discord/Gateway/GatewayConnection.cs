using System.Buffers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Mockingbird.Platforms;

namespace Mockingbird.Discord.Gateway;

/// <summary>
/// One WebSocket to the gateway: serialised, size-checked and rate-limited sends, whole-message receives.
/// Cancelling <see cref="Lifetime"/> aborts the socket without a close frame, which keeps the session resumable.
/// </summary>
internal sealed class GatewayConnection : IDisposable
{
    /// <summary>READY in a large bot can run to megabytes; anything past this is not Discord talking.</summary>
    private const int MaxReceiveBytes = 64 * 1024 * 1024;

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly GatewaySendLimit _sendLimit;
    private readonly ArrayBufferWriter<byte> _received = new(16 * 1024);
    private int _awaitingAck;
    private int _zombie;
    private int _closing;

    public GatewayConnection(TimeProvider time)
    {
        _sendLimit = new GatewaySendLimit(time);
        _socket.Options.SetRequestHeader("User-Agent", DiscordUserAgent.Value);
    }

    public CancellationTokenSource Lifetime { get; } = new();

    /// <summary>A heartbeat went out and no ACK has come back yet.</summary>
    public bool AwaitingAck
    {
        get => Volatile.Read(ref _awaitingAck) == 1;
        set => Volatile.Write(ref _awaitingAck, value ? 1 : 0);
    }

    /// <summary>Set when the heartbeat found the connection dead (no ACK between two heartbeats).</summary>
    public bool IsZombie
    {
        get => Volatile.Read(ref _zombie) == 1;
        set => Volatile.Write(ref _zombie, value ? 1 : 0);
    }

    /// <summary>This side has started closing the socket; sends after that fail and mean nothing.</summary>
    public bool IsClosing => Volatile.Read(ref _closing) == 1;

    /// <summary>The close code the gateway sent, if it closed the socket with one.</summary>
    public int? CloseCode => _socket.CloseStatus is { } status && status != WebSocketCloseStatus.Empty ? (int)status : null;

    public Task ConnectAsync(Uri uri, CancellationToken cancellationToken) => _socket.ConnectAsync(uri, cancellationToken);

    /// <summary>Sends one frame; the buffer is zeroed afterwards since Identify and Resume hold the token.</summary>
    public async Task SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        try
        {
            if (frame.Length > GatewayPayloads.MaxFrameBytes)
            {
                throw new InvalidOperationException(
                    $"A gateway payload of {frame.Length} bytes exceeds Discord's {GatewayPayloads.MaxFrameBytes}-byte limit.");
            }

            await _sendLimit.WaitAsync(cancellationToken);
            await _sendLock.WaitAsync(cancellationToken);
            try
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(frame);
        }
    }

    /// <summary>The next whole payload, or null when the gateway closed the socket (see <see cref="CloseCode"/>).</summary>
    public async Task<GatewayFrame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var message = await WebSocketMessages.ReceiveTextAsync(_socket, _received, MaxReceiveBytes, cancellationToken);
        return message is { } text ? GatewayFrame.Parse(text) : null;
    }

    /// <summary>
    /// Sends a close frame without waiting for the answer. Any code but 1000/1001 keeps the session resumable.
    /// Failures are ignored: the socket is being given up either way.
    /// </summary>
    public async Task CloseAsync(int code, string reason, TimeSpan timeout)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        Volatile.Write(ref _closing, 1);
        using var timeoutSource = new CancellationTokenSource(timeout);
        try
        {
            await _sendLock.WaitAsync(timeoutSource.Token);
            try
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeoutSource.Token);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Nothing left to tell the gateway.
        }
    }

    /// <summary>Answers the gateway's close frame so the handshake completes.</summary>
    public Task AcknowledgeCloseAsync(TimeSpan timeout) =>
        _socket.State == WebSocketState.CloseReceived
            ? CloseAsync(CloseCode ?? DiscordGateway.ReconnectCloseCode, string.Empty, timeout)
            : Task.CompletedTask;

    public void Dispose()
    {
        Lifetime.Dispose();
        _socket.Dispose();
        _sendLock.Dispose();
    }
}
