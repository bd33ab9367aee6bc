namespace Mockingbird.Platforms.Sockets;

/// <summary>
/// The wait before each reconnect of one socket: doubling from the base delay up to the cap, each wait drawn between
/// half and all of that, so that sockets lost together do not come back in step. <see cref="Reset"/> after a good
/// connection starts the next outage from the base delay again.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _failures;

    /// <summary>The wait before the next attempt; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        double factor = Math.Pow(2, Math.Min(_failures, 30));
        _failures++;
        double capped = Math.Min(baseDelay.TotalMilliseconds * factor, maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (_random.NextDouble() / 2)));
    }

    public void Reset() => _failures = 0;
}
