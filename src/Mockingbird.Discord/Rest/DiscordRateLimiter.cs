using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Mockingbird.Platforms;

namespace Mockingbird.Discord.Rest;

/// <summary>
/// What Discord has said about its rate limits, shared by every request of the process: the _buckets learnt from
/// <c>X-RateLimit-*</c> headers (keyed by bucket hash and the route's major parameter), a global pause after a global
/// 429, and a sliding one-second ceiling for the routes that count toward the global limit.
/// </summary>
internal sealed class DiscordRateLimiter(TimeProvider time, IOptions<DiscordRestOptions> options) : IPlatformRateLimits<DiscordRoute>
{
    private const int MaxBuckets = 512;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _bucketOfRoute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BucketState> _buckets = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _recentGlobalSends = new();
    private DateTimeOffset _globalPausedUntil = DateTimeOffset.MinValue;

    /// <summary>
    /// Waits until the route may send, then takes its turn (one of the bucket's remaining requests, one slot of the
    /// global second). A wait longer than <see cref="PlatformCallOptions.MaxRateLimitWait"/> is thrown as a 429.
    /// </summary>
    /// <returns>How long the call waited in all.</returns>
    public async Task<TimeSpan> WaitTurnAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                wait = TryTakeTurn(route, time.GetUtcNow());
            }

            if (wait <= TimeSpan.Zero)
            {
                return waited;
            }

            if (wait > options.Value.MaxRateLimitWait)
            {
                throw new DiscordApiException(
                    (int)HttpStatusCode.TooManyRequests,
                    0,
                    route.Name,
                    string.Create(CultureInfo.InvariantCulture, $"rate limited for another {wait.TotalSeconds:0.###} s, longer than the client waits"));
            }

            await Task.Delay(wait, time, cancellationToken);
            waited += wait;
        }
    }

    /// <summary>Learns from an answer: the bucket's remaining requests and reset, or the pause a 429 asks for.</summary>
    public void Observe(DiscordRoute route, HttpResponseMessage response, ServerWait? hint)
    {
        var now = time.GetUtcNow();
        var bucketHash = Header(response, "X-RateLimit-Bucket");
        var remaining = int.TryParse(Header(response, "X-RateLimit-Remaining"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : (int?)null;
        var resetAfter = double.TryParse(Header(response, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;

        lock (_gate)
        {
            if (bucketHash is not null)
            {
                _bucketOfRoute[route.Name] = bucketHash;
            }

            if (hint is { Global: true })
            {
                var until = now + hint.Wait;
                if (until > _globalPausedUntil)
                {
                    _globalPausedUntil = until;
                }

                return;
            }

            var state = BucketOf(route);
            if (hint is not null)
            {
                state.Remaining = 0;
                state.ResetAt = now + Max(hint.Wait, resetAfter ?? TimeSpan.Zero);
                return;
            }

            if (remaining is not null && resetAfter is not null)
            {
                state.Remaining = remaining;
                state.ResetAt = now + resetAfter.Value;
            }
        }
    }

    private TimeSpan TryTakeTurn(DiscordRoute route, DateTimeOffset now)
    {
        var wait = TimeSpan.Zero;
        if (!route.ExemptFromGlobal)
        {
            wait = Max(wait, _globalPausedUntil - now);
            while (_recentGlobalSends.TryPeek(out var oldest) && now - oldest >= Window)
            {
                _recentGlobalSends.Dequeue();
            }

            if (_recentGlobalSends.Count >= options.Value.GlobalRequestsPerSecond && _recentGlobalSends.TryPeek(out var first))
            {
                wait = Max(wait, first + Window - now);
            }
        }

        var state = BucketOf(route);
        if (state.ResetAt <= now)
        {
            state.Remaining = null;
        }
        else if (state.Remaining <= 0)
        {
            wait = Max(wait, state.ResetAt - now);
        }

        if (wait > TimeSpan.Zero)
        {
            return wait;
        }

        if (state.Remaining > 0)
        {
            state.Remaining--;
        }

        if (!route.ExemptFromGlobal)
        {
            _recentGlobalSends.Enqueue(now);
        }

        return TimeSpan.Zero;
    }

    private BucketState BucketOf(DiscordRoute route)
    {
        // Until Discord names the route's bucket, the route itself is the bucket.
        var key = (_bucketOfRoute.TryGetValue(route.Name, out var hash) ? hash : route.Name) + "\n" + route.MajorParameter;
        if (!_buckets.TryGetValue(key, out var state))
        {
            // Every interaction has buckets of its own (its token is the major parameter): drop the ones whose
            // window has passed, so neither memory nor old tokens pile up.
            if (_buckets.Count >= MaxBuckets)
            {
                var now = time.GetUtcNow();
                foreach (var stale in _buckets.Where(b => b.Value.ResetAt <= now).Select(b => b.Key).ToList())
                {
                    _buckets.Remove(stale);
                }
            }

            state = new BucketState();
            _buckets[key] = state;
        }

        return state;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class BucketState
    {
        /// <summary>Requests left until <see cref="ResetAt"/>; null when unknown (then the client just sends).</summary>
        public int? Remaining { get; set; }

        public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;
    }
}
