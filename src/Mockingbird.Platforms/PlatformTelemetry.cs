using System.Diagnostics.Metrics;

namespace Mockingbird.Platforms;

/// <summary>The platform transport's meter: how often a platform answered 429.</summary>
public sealed class PlatformTelemetry
{
    public const string Name = "Mockingbird.Platforms";

    private readonly Counter<long> _rateLimited;

    public PlatformTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _rateLimited = meters.Create(Name).CreateCounter<long>(
            "mockingbird.platform.rate_limited", "{response}", "Calls a chat platform answered with 429 Too Many Requests.");
    }

    /// <param name="call">The route or method (a template, never an id or a token).</param>
    public void RateLimited(string platform, string call, bool global) => _rateLimited.Add(
        1,
        new KeyValuePair<string, object?>("mockingbird.platform", platform.ToLowerInvariant()),
        new KeyValuePair<string, object?>("mockingbird.platform.call", call),
        new KeyValuePair<string, object?>("mockingbird.rate_limit.global", global));
}
