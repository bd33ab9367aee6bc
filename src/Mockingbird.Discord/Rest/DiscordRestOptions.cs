using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Discord.Rest;

/// <summary>How patiently the REST client treats Discord's rate limits and failures.</summary>
public sealed class DiscordRestOptions
{
    public const string Section = "Discord:Rest";

    /// <summary>Retries after a 429, a 5xx, a timeout or a connection failure.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff after a 5xx or a connection failure; it doubles each attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest rate-limit wait the client sits out. Discord can ask for minutes (or hours after abuse); a longer
    /// wait is not slept but thrown as a 429, so a caller is not silently stuck.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Discord's global ceiling per bot; interaction callbacks and webhooks are not counted.</summary>
    [Range(1, 10_000)]
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>How long one attempt may take, from sending to the last byte of the answer.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
