using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Experiments;

namespace Mockingbird.Host.Experiments;

/// <summary>
/// Keeps this replica's copy of the stopped arms and opt-outs current: read at start, again as soon as any replica
/// signals a change, and every <see cref="ExperimentsOptions.LookEvery"/> in case a signal was missed (a dropped
/// connection). A failed read is logged and the copy serves as it was until the next one; until a copy's first read
/// succeeds it serves everyone the baseline and counts nobody, and it is read again every <see cref="UnreadRetry"/>.
/// </summary>
public sealed partial class ExperimentControlRefresher(
    IExperimentStore store,
    IEnumerable<IExperimentControlRefresh> copies,
    IOptions<ExperimentsOptions> options,
    TimeProvider time,
    ILogger<ExperimentControlRefresher> logger) : BackgroundService
{
    /// <summary>
    /// How soon a copy never read is read again: while it is unread no experiment runs on this replica, so waiting a
    /// whole <see cref="ExperimentsOptions.LookEvery"/> (up to an hour) would waste that much of every experiment.
    /// </summary>
    public static readonly TimeSpan UnreadRetry = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<IExperimentControlRefresh> _copies = [.. copies];
    private readonly HashSet<IExperimentControlRefresh> _read = new(ReferenceEqualityComparer.Instance);
    private TaskCompletionSource _changed = NewSignal();
    private IAsyncDisposable? _listening;

    /// <summary>
    /// Listens, then reads once before the host goes on starting (the judging workers start after this service), so
    /// answers judged at start-up are not served a stopped arm or counted for someone who opted out. A failed read does
    /// not stop the host: it is logged, the copies stay unread (baseline for all, nothing counted), and the loop tries
    /// again soon.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_copies.Count > 0)
        {
            foreach (var copy in _copies)
            {
                copy.RequireRead();
            }

            try
            {
                _listening = await store.OnControlChangedAsync(() => Volatile.Read(ref _changed).TrySetResult(), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.ListeningFailed(logger, ex.GetType().Name);
            }

            await RefreshAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_copies.Count == 0)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    var next = _read.Count == _copies.Count ? options.Value.LookEvery : Min(UnreadRetry, options.Value.LookEvery);
                    await Task.WhenAny(Task.Delay(next, time, wait.Token), Volatile.Read(ref _changed).Task);
                    await wait.CancelAsync();
                }

                stoppingToken.ThrowIfCancellationRequested();

                // A new signal before the read: a change during the read ends the next wait at once.
                Volatile.Write(ref _changed, NewSignal());
                await RefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            if (_listening is not null)
            {
                await _listening.DisposeAsync();
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _copies.Count; i++)
        {
            try
            {
                await _copies[i].RefreshAsync(store, cancellationToken);
                _read.Add(_copies[i]);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.RefreshFailed(logger, ex.GetType().Name);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refreshing the stopped arms and opt-outs failed ({ExceptionType}); the last copy serves until the next refresh")]
        public static partial void RefreshFailed(ILogger logger, string exceptionType);

        [LoggerMessage(2, LogLevel.Error, "Listening for changes to the stopped arms and opt-outs failed ({ExceptionType}); this replica refreshes them on its timer only")]
        public static partial void ListeningFailed(ILogger logger, string exceptionType);
    }
}
