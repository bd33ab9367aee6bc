using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Experiments;

namespace Mockingbird.Host.Experiments;

/// <summary>
/// Keeps this replica's copy of the stopped arms and opt-outs current: read at start, again as soon as any replica
/// signals a change, and every <see cref="ExperimentsOptions.LookEvery"/> in case a signal was missed (a dropped
/// connection). A failed read is logged and the copy serves as it was until the next one.
/// </summary>
public sealed partial class ExperimentControlRefresher(
    IExperimentStore store,
    IEnumerable<IExperimentControlRefresh> copies,
    IOptions<ExperimentsOptions> options,
    TimeProvider time,
    ILogger<ExperimentControlRefresher> logger) : BackgroundService
{
    private readonly IReadOnlyList<IExperimentControlRefresh> _copies = [.. copies];
    private TaskCompletionSource _changed = NewSignal();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_copies.Count == 0)
        {
            return;
        }

        IAsyncDisposable? listening = null;
        try
        {
            listening = await store.OnControlChangedAsync(() => Volatile.Read(ref _changed).TrySetResult(), stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            Log.ListeningFailed(logger, ex.GetType().Name);
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // A signal during the refresh below completes this one, so the next wait ends at once.
                var changed = NewSignal();
                Volatile.Write(ref _changed, changed);
                await RefreshAsync(stoppingToken);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(Task.Delay(options.Value.LookEvery, time, wait.Token), changed.Task);
                await wait.CancelAsync();
            }
        }
        finally
        {
            if (listening is not null)
            {
                await listening.DisposeAsync();
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var copy in _copies)
        {
            try
            {
                await copy.RefreshAsync(store, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.RefreshFailed(logger, ex.GetType().Name);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refreshing the stopped arms and opt-outs failed ({ExceptionType}); the last copy serves until the next refresh")]
        public static partial void RefreshFailed(ILogger logger, string exceptionType);

        [LoggerMessage(2, LogLevel.Error, "Listening for changes to the stopped arms and opt-outs failed ({ExceptionType}); this replica refreshes them on its timer only")]
        public static partial void ListeningFailed(ILogger logger, string exceptionType);
    }
}
