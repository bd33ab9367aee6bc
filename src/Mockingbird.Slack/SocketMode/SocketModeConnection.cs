using System.Buffers;
using System.Net.WebSockets;
using Mockingbird.Platforms;

namespace Mockingbird.Slack.SocketMode;

/// <summary>
/// One Socket Mode WebSocket: serialised sends, whole-message receives, and the signal that Slack (or the idle check)
/// wants it replaced. Cancelling <see cref="Lifetime"/> aborts the socket.
/// </summary>
internal sealed class SocketModeConnection : IDisposable
{
    /// <summary>Envelopes are a few kilobytes; anything past this is not Slack talking.</summary>
    private const int MaxReceiveBytes = 4 * 1024 * 1024;

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _received = new(16 * 1024);
    private readonly TaskCompletionSource<string> _replacement = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closing;
    private int _open;

    public SocketModeConnection(int number, TimeSpan keepAliveInterval, TimeSpan keepAliveTimeout)
    {
        Number = number;
        // Pings at the WebSocket level; with a timeout set, a missing pong aborts the socket, which the receive loop
        // sees as a drop. Slack answers pings (its own SDKs rely on it).
        _socket.Options.KeepAliveInterval = keepAliveInterval;
        _socket.Options.KeepAliveTimeout = keepAliveTimeout;
    }

    /// <summary>Counts connections in this process, for logs (the URL carries a ticket and is never logged).</summary>
    public int Number { get; }

    public CancellationTokenSource Lifetime { get; } = new();

    /// <summary>The receive loop; completes when the socket is closed or lost.</summary>
    public Task Receiving { get; set; } = Task.CompletedTask;

    /// <summary>Completes with a reason once Slack sent <c>disconnect</c> or the socket went quiet for too long.</summary>
    public Task<string> ReplacementRequested => _replacement.Task;

    /// <summary>This side has started closing the socket; frames still arriving are processed, failures are expected.</summary>
    public bool IsClosing => Volatile.Read(ref _closing) == 1;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public bool RequestReplacement(string reason) => _replacement.TrySetResult(reason);

    /// <summary>Marks the connection open (after hello); true the first time.</summary>
    public bool MarkOpen() => Interlocked.Exchange(ref _open, 1) == 0;

    /// <summary>Marks the connection no longer open; true only for the call that changed it.</summary>
    public bool MarkGone() => Interlocked.CompareExchange(ref _open, 2, 1) == 1;

    public Task ConnectAsync(Uri uri, CancellationToken cancellationToken) => _socket.ConnectAsync(uri, cancellationToken);

    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
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

    /// <summary>
    /// The next whole text message, valid until the next call; null when Slack closed the socket (see
    /// <see cref="CloseStatus"/>).
    /// </summary>
    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancellationToken)
    {
        return await WebSocketMessages.ReceiveTextAsync(_socket, _received, MaxReceiveBytes, cancellationToken);
    }

    /// <summary>Sends a close frame without waiting for the answer; failures are ignored, the socket is being given up.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        Volatile.Write(ref _closing, 1);
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeoutSource = new CancellationTokenSource(timeout);
        try
        {
            await _sendLock.WaitAsync(timeoutSource.Token);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeoutSource.Token);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Nothing left to tell Slack.
        }
    }

    public void Dispose()
    {
        Lifetime.Dispose();
        _socket.Dispose();
        _sendLock.Dispose();
    }
}
