namespace Mockingbird.Experiments;

/// <summary>
/// This replica's copy of the <see cref="ExperimentControl"/>, read on every prompt choice without a store call.
/// A host that keeps it from a store calls <see cref="RequireRead"/> first, so until a read succeeds nobody is served a
/// challenger or counted; the host then refreshes it when any replica signals a change and on a timer in case a signal
/// was missed. A copy nobody refreshes (a test, a tool) starts empty: every arm serving, nobody opted out.
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

    /// <summary>
    /// Makes the copy <see cref="ExperimentControl.Unread"/> until a refresh succeeds, unless one already has. An empty
    /// copy would serve stopped arms and count people who opted out for as long as the store could not be read.
    /// </summary>
    public void RequireRead()
    {
        lock (_gate)
        {
            if (_applied == 0)
                _current = ExperimentControl.Unread;
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
}
