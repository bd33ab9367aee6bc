using System.Security.Cryptography;
using Mockingbird.Platforms.Sockets;

namespace Mockingbird.Discord.Gateway;

/// <summary>
/// One WebSocket to the gateway: size-checked, rate-limited sends of frames that are zeroed afterwards, parsed
/// receives, and the heartbeat's state. Cancelling <see cref="PlatformSocket.Lifetime"/> aborts the socket without a
/// close frame, which keeps the session resumable.
/// </summary>
internal sealed class GatewayConnection : PlatformSocket
{
    /// <summary>READY in a large bot can run to megabytes; anything past this is not Discord talking.</summary>
    private const int MaxReceiveBytes = 64 * 1024 * 1024;

    private readonly GatewaySendLimit _sendLimit;
    private int _awaitingAck;
    private int _zombie;

    public GatewayConnection(TimeProvider time)
        : base(MaxReceiveBytes, time)
    {
        _sendLimit = new GatewaySendLimit(time);
        SocketOptions.SetRequestHeader("User-Agent", DiscordUserAgent.Value);
    }

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
            await SendTextAsync(frame, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(frame);
        }
    }

    /// <summary>The next whole payload, or null when the gateway closed the socket (see <see cref="PlatformSocket.CloseCode"/>).</summary>
    public async Task<GatewayFrame?> ReceiveAsync(CancellationToken cancellationToken) =>
        await ReceiveTextAsync(cancellationToken) is { } text ? GatewayFrame.Parse(text) : null;

    /// <summary>
    /// Hello, or null when the gateway closed the socket first; none within <paramref name="timeout"/> is an
    /// <see cref="IOException"/>, and cancelled meanwhile the socket is closed with a close frame.
    /// </summary>
    public async Task<GatewayFrame?> ReceiveHelloAsync(TimeSpan timeout, TimeSpan closeTimeout, CancellationToken cancellationToken) =>
        await ReceiveFirstAsync(timeout, closeTimeout, cancellationToken) is { } text ? GatewayFrame.Parse(text) : null;
}
