namespace Mockingbird.Discord.Gateway;

/// <summary>
/// Counts gateway sessions (each READY or RESUMED), raised on the gateway's receive loop before any event of the new
/// session is handed on, so whoever reads it while handling an event knows which session that event belongs to.
/// </summary>
public sealed class GatewaySessions
{
    private long _current;

    public long Current => Interlocked.Read(ref _current);

    internal void Began() => Interlocked.Increment(ref _current);
}
