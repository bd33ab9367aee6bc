namespace Mockingbird.Platforms.Sockets;

/// <summary>A bound on handler calls running at once; calls past it wait their turn (off the receive loop).</summary>
public sealed class HandlerSlots(int count) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(count, count);

    /// <summary>Slots free right now.</summary>
    public int Available => _slots.CurrentCount;

    public async Task RunAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _slots.WaitAsync(cancellationToken);
        try
        {
            await work();
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
