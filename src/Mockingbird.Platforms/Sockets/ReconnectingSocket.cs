namespace Mockingbird.Platforms.Sockets;

/// <summary>
/// What a platform's reconnecting WebSocket client needs whatever the platform: the backoff between attempts, the
/// handlers run off the receive loop in a bounded number of slots and drained on stop, and the connected signal
/// (<see cref="IsConnected"/>, <see cref="WaitUntilConnectedAsync"/>). The Discord gateway and Slack Socket Mode each
/// make one and bring their own protocol: what to send on connect, which frames mean what, when to give up.
/// </summary>
public sealed class ReconnectingSocket : IDisposable
{
    private readonly Lock _stateLock = new();
    private readonly HashSet<Task> _running = [];
    private readonly CancellationTokenSource _handlerStop = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openConnections;
    private int _connectionsOpened;

    public ReconnectingSocket(ReconnectingSocketOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Time = time;
        Slots = new HandlerSlots(options.HandlerSlots);
    }

    public ReconnectingSocketOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>Bounds the handlers started with <see cref="StartHandler"/> that run through it.</summary>
    public HandlerSlots Slots { get; }

    /// <summary>Cancelled once the handlers have been drained (or given up on) at stop.</summary>
    public CancellationToken HandlersStopping => _handlerStop.Token;

    /// <summary>True while at least one connection is marked connected.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_stateLock)
            {
                return _connected.Task.IsCompletedSuccessfully;
            }
        }
    }

    /// <summary>Connections marked connected and not yet lost (briefly two while one replaces another).</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Connections marked connected since the start.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>A fresh backoff for one reconnecting loop, from the current options.</summary>
    public ReconnectBackoff NewBackoff() => new(Options.ReconnectBaseDelay, Options.ReconnectMaxDelay);

    /// <summary>
    /// Completes once a connection is up; throws <see cref="InvalidOperationException"/> once the socket has stopped
    /// for good.
    /// </summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        Task connected;
        lock (_stateLock)
        {
            connected = _connected.Task;
        }

        return connected.WaitAsync(cancellationToken);
    }

    /// <summary>Counts <paramref name="socket"/> as connected; true the first time for that socket.</summary>
    public bool MarkConnected(PlatformSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!socket.MarkOpen())
        {
            return false;
        }

        Interlocked.Increment(ref _connectionsOpened);
        lock (_stateLock)
        {
            Interlocked.Increment(ref _openConnections);
            _connected.TrySetResult();
        }

        return true;
    }

    /// <summary>Stops counting <paramref name="socket"/>; the signal resets when no connection is left.</summary>
    public void MarkDisconnected(PlatformSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!socket.MarkGone())
        {
            return;
        }

        lock (_stateLock)
        {
            if (Interlocked.Decrement(ref _openConnections) == 0 && _connected.Task.IsCompletedSuccessfully)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Whoever waits for a connection from now on hears that none is coming.</summary>
    public void MarkStopped(string message)
    {
        lock (_stateLock)
        {
            var stopped = new InvalidOperationException(message);
            if (!_connected.TrySetException(stopped))
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _connected.SetException(stopped);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="handler"/> off the receive loop and keeps track of it until it ends, so that stopping can
    /// wait for it. The handler must not throw: one failing message must not stop the ones after it.
    /// </summary>
    public Task StartHandler(Func<Task> handler)
    {
        lock (_running)
        {
            var task = Task.Run(handler);
            _running.Add(task);
            _ = task.ContinueWith(
                (done, state) =>
                {
                    var running = (HashSet<Task>)state!;
                    lock (running)
                    {
                        running.Remove(done);
                    }
                },
                _running,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return task;
        }
    }

    /// <summary>
    /// Waits up to <see cref="ReconnectingSocketOptions.HandlerDrainTimeout"/> for the running handlers, then cancels
    /// <see cref="HandlersStopping"/>. Returns how many were still running when the wait was given up (0 when all ended).
    /// </summary>
    public async Task<int> DrainHandlersAsync()
    {
        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        int abandoned = 0;
        if (running.Length > 0)
        {
            try
            {
                await Task.WhenAll(running).WaitAsync(Options.HandlerDrainTimeout, Time);
            }
            catch (TimeoutException)
            {
                abandoned = running.Length;
            }
        }

        await _handlerStop.CancelAsync();
        return abandoned;
    }

    public void Dispose()
    {
        _handlerStop.Dispose();
        Slots.Dispose();
    }
}
