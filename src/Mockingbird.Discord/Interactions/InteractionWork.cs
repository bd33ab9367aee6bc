using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mockingbird.Discord.Interactions;

/// <summary>
/// Work that continues after an interaction was acknowledged. It is tracked so that stopping the host waits for it
/// (up to the host's shutdown timeout) instead of dropping a candidate's command halfway.
/// </summary>
internal sealed partial class InteractionWork(ILogger<InteractionWork> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public int Running => _running.Count;

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

    /// <summary>Waits for the work in flight; exposed for tests that need a quiet moment.</summary>
    public Task DrainAsync() => Task.WhenAll(_running.Keys);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DrainAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _stopping.CancelAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Each failure was logged where it happened.
        }
    }

    public void Dispose() => _stopping.Dispose();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Interaction work failed with {ErrorType}")]
        public static partial void WorkFailed(ILogger logger, string errorType);
    }
}
