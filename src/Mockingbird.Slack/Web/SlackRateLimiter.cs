using System.Net;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Http;

namespace Mockingbird.Slack.Web;

/// <summary>
/// What the process knows about Slack's rate limits, shared by every call: the pause a 429 asked for (per method,
/// and per channel for <c>chat.postMessage</c>), and the pacing of <c>chat.postMessage</c> to about one message per
/// second per channel, with a short burst allowed (a generic cell rate: each channel has a theoretical next slot).
/// </summary>
internal sealed class SlackRateLimiter(TimeProvider time, IOptions<SlackWebApiOptions> options) : IPlatformRateLimits<SlackCall>
{
    private const int PruneAbove = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _nextSlotOfChannel = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits until the call may be sent. A pause longer than <see cref="PlatformCallOptions.MaxRateLimitWait"/> is
    /// thrown as <c>ratelimited</c> rather than slept.
    /// </summary>
    /// <returns>How long the call waited in all.</returns>
    public async Task<TimeSpan> WaitTurnAsync(SlackCall call, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            TimeSpan pause;
            var pacing = TimeSpan.Zero;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                pause = _pausedUntil.TryGetValue(call.PauseKey, out var until) ? until - now : TimeSpan.Zero;
                if (pause <= TimeSpan.Zero)
                {
                    pacing = ReservePostingSlot(call, now);
                }
            }

            if (pause > TimeSpan.Zero)
            {
                if (pause > options.Value.MaxRateLimitWait)
                {
                    throw new SlackApiException(call.Method, "ratelimited");
                }

                await Task.Delay(pause, time, cancellationToken);
                waited += pause;
                continue;
            }

            if (pacing > TimeSpan.Zero)
            {
                await Task.Delay(pacing, time, cancellationToken);
                waited += pacing;
            }

            return waited;
        }
    }

    public ValueTask<ServerWait?> ReadServerWaitAsync(HttpResponseMessage? response, CancellationToken cancellationToken) =>
        ValueTask.FromResult(RetryAfter.Of(response, time) is { } wait ? new ServerWait(wait) : null);

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
        }
    }

    /// <summary>Takes the channel's next slot and says how long to wait for it; zero for other methods.</summary>
    private TimeSpan ReservePostingSlot(SlackCall call, DateTimeOffset now)
    {
        if (call.Method != SlackCall.PostMessage || call.Channel is null)
        {
            return TimeSpan.Zero;
        }

        var settings = options.Value;
        if (_nextSlotOfChannel.Count > PruneAbove)
        {
            foreach (var stale in _nextSlotOfChannel.Where(p => p.Value < now).Select(p => p.Key).ToList())
            {
                _nextSlotOfChannel.Remove(stale);
            }
        }

        var slot = _nextSlotOfChannel.TryGetValue(call.Channel, out var next) && next > now ? next : now;
        var allowedAt = slot - (settings.PostMessageInterval * (settings.PostMessageBurst - 1));
        _nextSlotOfChannel[call.Channel] = slot + settings.PostMessageInterval;
        return allowedAt > now ? allowedAt - now : TimeSpan.Zero;
    }
}

/// <summary>Reads how long a 429 asks to wait.</summary>
internal static class RetryAfter
{
    /// <summary>Slack's minimum, used when a 429 names no wait.</summary>
    private static readonly TimeSpan Default = TimeSpan.FromSeconds(1);

    /// <summary>The <c>Retry-After</c> of a 429 (seconds or an HTTP date); null for any other status.</summary>
    public static TimeSpan? Of(HttpResponseMessage? response, TimeProvider time)
    {
        if (response is not { StatusCode: HttpStatusCode.TooManyRequests })
        {
            return null;
        }

        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } w && w > TimeSpan.Zero ? w : Default;
    }
}
