using System.Buffers;
using System.Net.WebSockets;

namespace Mockingbird.Platforms.Sockets;

/// <summary>
/// One WebSocket to a platform: serialised text sends, whole-message receives, a close frame sent with a timeout.
/// Cancelling <see cref="Lifetime"/> aborts the socket without a close frame (Discord keeps a session resumable then).
/// A platform derives its connection from this to add its own per-connection state.
/// </summary>
public class PlatformSocket : IDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _received = new(16 * 1024);
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _maxReceiveBytes;
    private readonly TimeProvider _time;
    private int _closing;
    private int _open;

    /// <param name="maxReceiveBytes">A message past this is refused: it is not the platform talking.</param>
    /// <param name="time">The clock for the hello and close timeouts.</param>
    public PlatformSocket(int maxReceiveBytes, TimeProvider time)
    {
        _maxReceiveBytes = maxReceiveBytes;
        _time = time;
        Lifetime.Token.Register(state => ((TaskCompletionSource)state!).TrySetResult(), _aborted);
    }

    public CancellationTokenSource Lifetime { get; } = new();

    /// <summary>Completes once <see cref="Lifetime"/> is cancelled.</summary>
    public Task Aborted => _aborted.Task;

    /// <summary>This side has started closing the socket; failures after that are expected.</summary>
    public bool IsClosing => Volatile.Read(ref _closing) == 1;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>The close code the server sent, if it closed the socket with one.</summary>
    public int? CloseCode => _socket.CloseStatus is { } status && status != WebSocketCloseStatus.Empty ? (int)status : null;

    /// <summary>Headers, keep-alive and the like, set before <see cref="ConnectAsync"/>.</summary>
    protected ClientWebSocketOptions SocketOptions => _socket.Options;

    /// <summary>
    /// Opens the socket. An upgrade the server does not answer within <paramref name="timeout"/> is an
    /// <see cref="IOException"/>, as a lost connection is: a server that accepts and then says nothing must not hold
    /// the connection's slot for good.
    /// </summary>
    public async Task ConnectAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await _socket.ConnectAsync(uri, linked.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException
            && timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException("The server did not answer the WebSocket upgrade in time.");
        }
    }

    /// <summary>Sends one whole text message; sends from several threads go one at a time.</summary>
    public async Task SendTextAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// The next whole text message, valid until the next call; null when the server closed the socket (see
    /// <see cref="CloseCode"/>).
    /// </summary>
    public Task<ReadOnlyMemory<byte>?> ReceiveTextAsync(CancellationToken cancellationToken) =>
        WebSocketMessages.ReceiveTextAsync(_socket, _received, _maxReceiveBytes, cancellationToken);

    /// <summary>
    /// The first message (the platform's hello), or null when the server closed the socket first. One that does not
    /// come within <paramref name="timeout"/> is an <see cref="IOException"/>, as a lost connection is. Cancelled
    /// meanwhile, the socket is closed with a close frame (the server gets <paramref name="closeTimeout"/> to answer it)
    /// before the cancellation is thrown: a socket given up during its handshake says goodbye like any other.
    /// </summary>
    public async Task<ReadOnlyMemory<byte>?> ReceiveFirstAsync(TimeSpan timeout, TimeSpan closeTimeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var receiveCancellation = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, Lifetime.Token);

        // Not cancelled by the caller's token: cancelling a receive aborts the socket, and no close frame goes after that.
        var first = ReceiveTextAsync(receiveCancellation.Token);
        try
        {
            return await first.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CloseAndAbortAsync((int)WebSocketCloseStatus.NormalClosure, null, ReadUntilClosedAsync(first, receiveCancellation.Token), closeTimeout);
            throw;
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
        {
            throw new IOException("The server sent no hello in time.");
        }
    }

    /// <summary>
    /// Closes a socket the server refused in its first message, as <see cref="CloseAndAbortAsync"/> closes one in use:
    /// a close frame, what the server still sends read until its own close (for at most <paramref name="timeout"/>),
    /// then the abort.
    /// </summary>
    public Task CloseRefusedAsync(int code, TimeSpan timeout) =>
        CloseAndAbortAsync(code, null, ReadUntilClosedAsync(ReceiveTextAsync(Lifetime.Token), Lifetime.Token), timeout);

    /// <summary>Drops what the server still sends until its close frame, so that it is read rather than reset away.</summary>
    private async Task ReadUntilClosedAsync(Task<ReadOnlyMemory<byte>?> pending, CancellationToken cancellationToken)
    {
        try
        {
            while (await pending is not null)
            {
                pending = ReceiveTextAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException or InvalidDataException)
        {
            // The socket is being given up either way.
        }
    }

    /// <summary>Sends a close frame without waiting for the answer; failures are ignored, the socket is being given up.</summary>
    public async Task CloseAsync(int code, string? reason, TimeSpan timeout)
    {
        Volatile.Write(ref _closing, 1);
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeoutSource = new CancellationTokenSource(timeout, _time);
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
            // Nothing left to tell the server.
        }
    }

    /// <summary>Answers the server's close frame (with its own code, or <paramref name="fallbackCode"/>) so the handshake completes.</summary>
    public Task AcknowledgeCloseAsync(int fallbackCode, TimeSpan timeout) =>
        _socket.State == WebSocketState.CloseReceived ? CloseAsync(CloseCode ?? fallbackCode, string.Empty, timeout) : Task.CompletedTask;

    /// <summary>
    /// Sends a close frame, lets <paramref name="receiving"/> read what is still in flight until the server answers
    /// (for at most <paramref name="timeout"/>), then aborts the socket.
    /// </summary>
    public async Task CloseAndAbortAsync(int code, string? reason, Task receiving, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(receiving);
        try
        {
            await CloseAsync(code, reason, timeout);
            await receiving.WaitAsync(timeout, _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await Lifetime.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The connection is already gone.
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Marks the socket connected; true the first time.</summary>
    internal bool MarkOpen() => Interlocked.Exchange(ref _open, 1) == 0;

    /// <summary>Marks the socket no longer connected; true only for the call that changed it.</summary>
    internal bool MarkGone() => Interlocked.CompareExchange(ref _open, 2, 1) == 1;

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Lifetime.Dispose();
            _socket.Dispose();
            _sendLock.Dispose();
        }
    }
}
