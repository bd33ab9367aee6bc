using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Platforms;

/// <summary>One call to a chat platform's HTTP API, as the shared handler sees it.</summary>
public interface IPlatformCall
{
    /// <summary>The route or method, for logs: never a token.</summary>
    string Name { get; }

    /// <summary>
    /// Whether sending again after a failure whose outcome is unknown (5xx, timeout, dropped connection) cannot
    /// make a second thing.
    /// </summary>
    bool SafeToRepeat { get; }
}

/// <summary>What a 429 asks for: how long to wait, and whether every call must wait (Discord's global limit).</summary>
public sealed record ServerWait(TimeSpan Wait, bool Global = false);

/// <summary>A platform's rate limits, as the shared handler uses them.</summary>
public interface IPlatformRateLimits<in TCall>
    where TCall : IPlatformCall
{
    /// <summary>Waits until the call may go; returns how long it waited. A wait too long to sit out is thrown.</summary>
    Task<TimeSpan> WaitTurnAsync(TCall platformCall, CancellationToken cancellationToken);

    /// <summary>Learns from an answer: buckets, remaining requests, the pause a 429 asks for.</summary>
    void Observe(TCall platformCall, HttpResponseMessage response, ServerWait? wait);
}

/// <summary>How patiently a platform client treats rate limits and failures; each platform's options extend it.</summary>
public class PlatformCallOptions
{
    /// <summary>Retries after a 429, a 5xx, a timeout or a connection failure.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff after a 5xx or a connection failure; it doubles each attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest server-asked wait the client sits out. A platform can ask for minutes (or hours after abuse); a
    /// longer wait is not slept but thrown, so a caller is not silently stuck.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take, from sending to the last byte of the answer.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
