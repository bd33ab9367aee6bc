using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Mockingbird.Slack.Web;

/// <summary>
/// The pipelines every Web API call goes through, built once per process: retries on 429 (after the server's
/// <c>Retry-After</c>, unless that is longer than we accept), on 5xx, timeouts and connection failures (exponential
/// backoff with jitter); and a timeout for each attempt, kept apart so that a rate-limit wait never counts against it.
/// </summary>
internal sealed partial class SlackWebApiResilience
{
    public static readonly ResiliencePropertyKey<SlackCall> CallKey = new("Mockingbird.Slack.Call");

    public SlackWebApiResilience(IOptions<SlackWebApiOptions> options, TimeProvider time, ILogger<SlackWebApiResilience> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => SafeToRepeat(args.Context),
                    { Result: { StatusCode: HttpStatusCode.TooManyRequests } response } => RetryAfter.Of(response, time) <= settings.MaxRateLimitWait,
                    { Result: { } response } => (int)response.StatusCode >= 500 && SafeToRepeat(args.Context),
                    _ => false,
                }),
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter.Of(args.Outcome.Result, time)),
                OnRetry = args =>
                {
                    var method = args.Context.Properties.TryGetValue(CallKey, out var call) ? call.Method : "an unnamed method";
                    var reason = args.Outcome.Result is { } response
                        ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
                        : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    Log.Retrying(logger, method, reason, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        Retry = builder.Build();
        AttemptTimeout = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(settings.AttemptTimeout).Build();
    }

    /// <summary>A 429 was refused before it was processed, so it is always retried; other failures only when repeating is harmless.</summary>
    private static bool SafeToRepeat(ResilienceContext context) =>
        context.Properties.TryGetValue(CallKey, out var call) && call.SafeToRepeat;

    /// <summary>Around the whole call: decides whether and when to try again.</summary>
    public ResiliencePipeline<HttpResponseMessage> Retry { get; }

    /// <summary>Around the sending of one attempt only.</summary>
    public ResiliencePipeline AttemptTimeout { get; }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Slack call {Method} failed ({Reason}); retry {Attempt} in {DelayMs} ms")]
        public static partial void Retrying(ILogger logger, string method, string reason, int attempt, double delayMs);
    }
}

/// <summary>
/// Sends each Web API request through the shared rate limiter and the retry pipeline. The call (method, channel)
/// comes with the request from <see cref="SlackWebApiClient"/>.
/// </summary>
internal sealed partial class SlackRateLimitHandler(
    SlackRateLimiter limiter,
    SlackWebApiResilience resilience,
    TimeProvider time,
    ILogger<SlackRateLimitHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(SlackCall.OptionKey, out var call))
        {
            throw new InvalidOperationException("A Slack request must carry its call.");
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(SlackWebApiResilience.CallKey, call);
        try
        {
            return await resilience.Retry.ExecuteAsync(
                static async (ctx, state) => await state.self.SendOnceAsync(state.request, state.call, ctx.CancellationToken),
                context,
                (self: this, request, call));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, SlackCall call, CancellationToken cancellationToken)
    {
        var waited = await limiter.WaitTurnAsync(call, cancellationToken);
        if (waited > TimeSpan.Zero)
        {
            Log.WaitedForRateLimit(logger, call.Method, waited.TotalMilliseconds);
        }

        var response = await resilience.AttemptTimeout.ExecuteAsync(
            async token =>
            {
                var answer = await base.SendAsync(request, token);
                await answer.Content.LoadIntoBufferAsync(token);
                return answer;
            },
            cancellationToken);

        var retryAfter = RetryAfter.Of(response, time);
        limiter.Observe(call, response, retryAfter);
        if (retryAfter is { } wait)
        {
            Log.RateLimited(logger, call.Method, wait.TotalMilliseconds);
        }

        return response;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Waited {WaitedMs} ms for Slack's rate limit before {Method}")]
        public static partial void WaitedForRateLimit(ILogger logger, string method, double waitedMs);

        [LoggerMessage(2, LogLevel.Warning, "Slack rate-limited {Method} for {WaitMs} ms")]
        public static partial void RateLimited(ILogger logger, string method, double waitMs);
    }
}
