using System.Net;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms;

namespace Mockingbird.Slack.Web;

/// <summary>
/// What the process knows about Slack's rate limits, shared by every call: the pause a 429 asked for (per method,
/// and per channel for <c>chat.postMessage</c>); the pacing of <c>chat.postMessage</c> to about one message per
/// second per channel with a short burst; and the pacing of each tiered method to its tier's floor per minute, with
/// half a minute's calls as a burst, so a busy workspace slows down a little instead of being refused. Both are a
/// generic cell rate: each key has a theoretical next slot.
/// </summary>
internal sealed class SlackRateLimiter(TimeProvider time, IOptions<SlackWebApiOptions> options) : IPlatformRateLimits<SlackCall>
{
    private const int PruneAbove = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _nextSlot = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits until the call may be sent: a pause a 429 asked for, then the call's slot. A wait longer than the call
    /// accepts (<see cref="SlackCall.WaitLimit"/>, else <see cref="PlatformCallOptions.MaxRateLimitWait"/>) is thrown
    /// as <c>ratelimited</c> rather than slept, and takes no slot.
    /// </summary>
    /// <returns>How long the call waited in all.</returns>
    public async Task<TimeSpan> WaitTurnAsync(SlackCall call, CancellationToken cancellationToken)
    {
        var limit = call.WaitLimit ?? options.Value.MaxRateLimitWait;
        var waited = TimeSpan.Zero;
        var paced = false;
        while (true)
        {
            TimeSpan pause;
            TimeSpan? slot = TimeSpan.Zero;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                pause = _pausedUntil.TryGetValue(call.PauseKey, out var until) ? until - now : TimeSpan.Zero;
                if (pause <= TimeSpan.Zero && !paced)
                {
                    slot = Budget(call) is { } budget ? ReserveSlot(budget, now, limit) : TimeSpan.Zero;
                }
            }

            // Refused now, like a long pause, rather than queued for minutes.
            if (pause > limit || slot is null)
            {
                throw new SlackApiException(call.Method, "ratelimited");
            }

            var wait = pause > TimeSpan.Zero ? pause : slot.Value;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
                waited += wait;
            }

            if (pause <= TimeSpan.Zero && (paced || wait == TimeSpan.Zero))
            {
                return waited;
            }

            // Waited out a pause (take a slot next), or a slot (a 429 may have paused the method meanwhile: look again).
            paced |= pause <= TimeSpan.Zero;
        }
    }

    /// <summary>Learns from an answer: a 429 pauses the call's method (or channel) for the wait it asks.</summary>
    public void Observe(SlackCall call, HttpResponseMessage response, ServerWait? retryAfter)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests || retryAfter?.Wait is not { } wait)
        {
            return;
        }

        lock (_gate)
        {
            var until = time.GetUtcNow() + wait;
            if (!_pausedUntil.TryGetValue(call.PauseKey, out var current) || until > current)
            {
                _pausedUntil[call.PauseKey] = until;
            }

            // Slack said slow down: after the pause, calls go one slot at a time instead of as a fresh burst.
            if (Budget(call) is { } budget)
            {
                var emptied = until + (budget.Interval * (budget.Burst - 1));
                if (!_nextSlot.TryGetValue(budget.Key, out var next) || next < emptied)
                {
                    _nextSlot[budget.Key] = emptied;
                }
            }
        }
    }

    /// <summary>The pacing a call is under: its channel's for posting, its method's for a tiered method; else none.</summary>
    private (string Key, TimeSpan Interval, int Burst)? Budget(SlackCall call)
    {
        var settings = options.Value;
        if (call.Method == SlackCall.PostMessage && call.Channel is not null)
        {
            return (call.PauseKey, settings.PostMessageInterval, settings.PostMessageBurst);
        }

        return call.TierPerMinute is { } perMinute ? (call.Method, TimeSpan.FromMinutes(1) / perMinute, Math.Max(1, perMinute / 2)) : null;
    }

    /// <summary>Takes the budget's next slot and says how long to wait for it; null, with nothing taken, when that is beyond <paramref name="limit"/>.</summary>
    private TimeSpan? ReserveSlot((string Key, TimeSpan Interval, int Burst) budget, DateTimeOffset now, TimeSpan limit)
    {
        if (_nextSlot.Count > PruneAbove)
        {
            foreach (var stale in _nextSlot.Where(p => p.Value < now).Select(p => p.Key).ToList())
            {
                _nextSlot.Remove(stale);
            }
        }

        var slot = _nextSlot.TryGetValue(budget.Key, out var next) && next > now ? next : now;
        var allowedAt = slot - (budget.Interval * (budget.Burst - 1));
        var wait = allowedAt > now ? allowedAt - now : TimeSpan.Zero;
        if (wait > limit)
        {
            return null;
        }

        _nextSlot[budget.Key] = slot + budget.Interval;
        return wait;
    }
}
