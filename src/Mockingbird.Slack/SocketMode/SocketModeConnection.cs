using System.Collections.Concurrent;
using Mockingbird.Platforms.Sockets;

namespace Mockingbird.Slack.SocketMode;

/// <summary>
/// One Socket Mode WebSocket, with its receive loop and the signal that Slack (or the idle check) wants it replaced.
/// Cancelling <see cref="PlatformSocket.Lifetime"/> aborts the socket.
/// </summary>
internal sealed class SocketModeConnection : PlatformSocket
{
    /// <summary>Envelopes are a few kilobytes; anything past this is not Slack talking.</summary>
    private const int MaxReceiveBytes = 4 * 1024 * 1024;

    private readonly TaskCompletionSource<string> _replacement = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Task, byte> _unacknowledged = new();

    public SocketModeConnection(int number, TimeSpan keepAliveInterval, TimeSpan keepAliveTimeout, TimeProvider time)
        : base(MaxReceiveBytes, time)
    {
        Number = number;
        // Pings at the WebSocket level; with a timeout set, a missing pong aborts the socket, which the receive loop
        // sees as a drop. Slack answers pings (its own SDKs rely on it).
        SocketOptions.KeepAliveInterval = keepAliveInterval;
        SocketOptions.KeepAliveTimeout = keepAliveTimeout;
    }

    /// <summary>Counts connections in this process, for logs (the URL carries a ticket and is never logged).</summary>
    public int Number { get; }

    /// <summary>The receive loop; completes when the socket is closed or lost.</summary>
    public Task Receiving { get; set; } = Task.CompletedTask;

    /// <summary>Completes with a reason once Slack sent <c>disconnect</c> or the socket went quiet for too long.</summary>
    public Task<string> ReplacementRequested => _replacement.Task;

    public bool RequestReplacement(string reason) => _replacement.TrySetResult(reason);

    /// <summary>
    /// Completes once no envelope this socket brought is still waiting for its ack (acknowledged, or left
    /// unacknowledged on purpose), or <paramref name="limit"/> has passed. An envelope that arrives meanwhile is
    /// waited for too: nothing may be sent after the close frame that follows.
    /// </summary>
    public async Task AcknowledgedAsync(TimeSpan limit, TimeProvider time)
    {
        if (_unacknowledged.IsEmpty)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(limit, time);
        while (!_unacknowledged.IsEmpty && !deadline.IsCancellationRequested)
        {
            await Task.WhenAll(_unacknowledged.Keys).WaitAsync(deadline.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Counts an envelope received on this socket until <paramref name="handled"/> completes.</summary>
    public void Track(Task handled)
    {
        _unacknowledged.TryAdd(handled, 0);
        _ = handled.ContinueWith(done => _unacknowledged.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
