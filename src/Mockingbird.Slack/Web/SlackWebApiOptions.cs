using System.ComponentModel.DataAnnotations;

namespace Mockingbird.Slack.Web;

/// <summary>How patiently the Web API client treats Slack's rate limits and failures.</summary>
public sealed class SlackWebApiOptions
{
    public const string Section = "Slack:Web";

    /// <summary>Retries after a 429, a 5xx, a timeout or a connection failure.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff after a 5xx or a connection failure; it doubles each attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest <c>Retry-After</c> the client sits out. A longer one is not slept but thrown as
    /// <c>ratelimited</c>, so a caller is not silently stuck for minutes.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take, from sending to the last byte of the answer.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>chat.postMessage</c>'s special limit: about one message per second per channel.</summary>
    public TimeSpan PostMessageInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages a quiet channel may take at once before the interval applies (Slack tolerates short bursts).</summary>
    [Range(1, 20)]
    public int PostMessageBurst { get; set; } = 3;
}
