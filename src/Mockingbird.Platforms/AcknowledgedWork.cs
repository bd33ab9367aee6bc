using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mockingbird.Platforms;

/// <summary>
/// Work that goes on after a platform's request was acknowledged (chat platforms want an answer within 3 seconds,
/// the work can take longer). It is tracked so that shutting down waits for it, up to a grace period, instead of
/// dropping a candidate's command halfway.
/// </summary>
public sealed partial class AcknowledgedWork(TimeProvider time, ILogger<AcknowledgedWork> logger) : IAsyncDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public void Start(Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var task = Task.Run(() => work(_stopping.Token));
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(
            done =>
            {
                _running.TryRemove(done, out _);
                if (done.Exception is { } ex)
                {
                    Log.WorkFailed(logger, ex.InnerException?.GetType().Name ?? ex.GetType().Name);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Waits for the work in flight (tests use it for a quiet moment).</summary>
    public Task DrainAsync() => Task.WhenAll(_running.Keys);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DrainAsync().WaitAsync(Grace, time);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Each failure was logged where it happened.
        }

        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Work after an acknowledgement failed with {ErrorType}")]
        public static partial void WorkFailed(ILogger logger, string errorType);
    }
}
