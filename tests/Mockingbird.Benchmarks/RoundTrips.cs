using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Mockingbird.Benchmarks;

/// <summary>
/// Counts every command the host sends Redis, at the client, by the path that sent it: the answer request, the
/// judging worker's takes, sweeps and jobs, or anything else. Redis's own command stats cannot tell a command
/// the host sent from the same command run inside a script, so round trips are counted here with
/// StackExchange.Redis's profiler; the path flows with the async context (<see cref="Enter"/>).
/// </summary>
public sealed class RoundTrips : IAsyncDisposable
{
    private static readonly AsyncLocal<RedisPath> Current = new();

    private readonly ProfilingSession[] _sessions = [.. Enum.GetValues<RedisPath>().Select(path => new ProfilingSession(path))];
    private readonly Dictionary<string, long>[] _counts = [.. Enum.GetValues<RedisPath>().Select(_ => new Dictionary<string, long>(StringComparer.Ordinal))];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _draining;

    public RoundTrips(IConnectionMultiplexer redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        redis.RegisterProfiler(() => _sessions[(int)Current.Value]);
        _draining = DrainEveryWhileAsync(_stop.Token);
    }

    /// <summary>Commands sent from here on in this async flow (and the tasks it starts) count for <paramref name="path"/>; an async method's setting ends when it returns.</summary>
    public static void Enter(RedisPath path) => Current.Value = path;

    /// <summary>The path commands sent from this async flow count for.</summary>
    public static RedisPath Path => Current.Value;

    /// <summary>Commands per path since the last call, by command name; a command sent again (moved slot, reconnect) counts once more under "(resent)".</summary>
    public Dictionary<RedisPath, Dictionary<string, long>> TakeCounts()
    {
        lock (_gate)
        {
            Drain();
            var taken = Enum.GetValues<RedisPath>().ToDictionary(path => path, path => new Dictionary<string, long>(_counts[(int)path], StringComparer.Ordinal));
            foreach (var counts in _counts)
            {
                counts.Clear();
            }

            return taken;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _draining;
        _stop.Dispose();
    }

    // The profiler keeps every command until asked: draining often keeps the host's memory figure honest.
    private async Task DrainEveryWhileAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                lock (_gate)
                {
                    Drain();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private void Drain()
    {
        foreach (var session in _sessions)
        {
            var counts = _counts[(int)(RedisPath)session.UserToken!];
            foreach (var command in session.FinishProfiling())
            {
                var name = command.RetransmissionOf is null ? command.Command : "(resent)";
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
        }
    }
}

/// <summary>What the host was doing when it sent a command.</summary>
public enum RedisPath
{
    /// <summary>Starting interviews, set-up, reading a session after giving up on a turn.</summary>
    Other,

    /// <summary>The answer's request, from the platform's event to its acknowledgement.</summary>
    Request,

    /// <summary>The judging worker taking jobs announced by the queue.</summary>
    Take,

    /// <summary>The judging worker's timed sweep (reclaim and unannounced jobs), wherever it finds nothing too.</summary>
    Sweep,

    /// <summary>The judging worker's work on a job it took: reading the session if needed, the save, the completion.</summary>
    Worker,

    /// <summary>The chat layer's interview threads, asked on the answer's request (is this the candidate's thread?).</summary>
    RequestThread,

    /// <summary>The chat layer's interview threads, asked by the worker's post (where to post, and letting go at the end).</summary>
    WorkerThread,
}
