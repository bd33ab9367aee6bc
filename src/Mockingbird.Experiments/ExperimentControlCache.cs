namespace Mockingbird.Experiments;

/// <summary>
/// This replica's copy of the <see cref="ExperimentControl"/>, read on every prompt choice without a store call.
/// It starts empty (every arm serving, nobody opted out) until the first refresh, and is refreshed when any replica
/// signals a change and on the host's timer in case a signal was missed.
/// </summary>
public sealed class ExperimentControlCache
{
    private readonly Lock _gate = new();
    private ExperimentControl _current = ExperimentControl.Empty;
    private long _started;
    private long _applied;

    public ExperimentControl Current
    {
        get
        {
            lock (_gate)
                return _current;
        }
    }

    /// <summary>Reads the control from the store and keeps it; a store failure throws and leaves the copy as it was.</summary>
    public async Task RefreshAsync(IExperimentStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var ticket = Interlocked.Increment(ref _started);
        var control = await store.ControlAsync(cancellationToken);
        lock (_gate)
        {
            // Two refreshes can overlap (a signal during a timed one): a read that started earlier must not
            // overwrite what a later one already kept, or a stop would be served again for a while.
            if (ticket <= _applied)
                return;
            _applied = ticket;
            _current = control;
        }
    }

    /// <summary>
    /// Refreshes on every change signal from the store until the result is disposed. A refresh that fails is handed
    /// to <paramref name="refreshFailed"/> (the host logs it) and the next signal or timed refresh tries again.
    /// </summary>
    public Task<IAsyncDisposable> ListenAsync(IExperimentStore store, Action<Exception> refreshFailed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(refreshFailed);
        return store.OnControlChangedAsync(() => _ = RefreshOnSignalAsync(store, refreshFailed), cancellationToken);
    }

    private async Task RefreshOnSignalAsync(IExperimentStore store, Action<Exception> refreshFailed)
    {
        try
        {
            await RefreshAsync(store, CancellationToken.None);
        }
        catch (Exception ex)
        {
            refreshFailed(ex);
        }
    }
}
