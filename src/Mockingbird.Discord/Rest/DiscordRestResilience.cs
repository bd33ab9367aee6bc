using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Mockingbird.Discord.Rest;

/// <summary>
/// The pipelines every Discord REST call goes through, built once per process: retries on 429 (after the wait the
/// server asks for, unless that is longer than we accept), on 5xx, timeouts and connection failures (exponential
/// backoff with jitter); and a timeout for each attempt, kept apart so that a rate-limit wait never counts against it.
/// </summary>
internal sealed partial class DiscordRestResilience
{
    public static readonly ResiliencePropertyKey<DiscordRoute> RouteKey = new("Mockingbird.Discord.Route");

    public DiscordRestResilience(IOptions<DiscordRestOptions> options, TimeProvider time, ILogger<DiscordRestResilience> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = async args => args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => SafeToRepeat(args.Context),
                    { Result: { StatusCode: HttpStatusCode.TooManyRequests } response } =>
                        (await RateLimitHint.ReadAsync(response, args.Context.CancellationToken))!.Wait <= settings.MaxRateLimitWait,
                    { Result: { } response } => (int)response.StatusCode >= 500 && SafeToRepeat(args.Context),
                    _ => false,
                },
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                DelayGenerator = async args =>
                    await RateLimitHint.ReadAsync(args.Outcome.Result, args.Context.CancellationToken) is { } hint ? hint.Wait : null,
                OnRetry = args =>
                {
                    var route = args.Context.Properties.TryGetValue(RouteKey, out var r) ? r.Name : "an unnamed route";
                    var reason = args.Outcome.Result is { } response
                        ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    Log.Retrying(logger, route, reason, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
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
        context.Properties.TryGetValue(RouteKey, out var route) && route.SafeToRepeat;

    /// <summary>Around the whole call: decides whether and when to try again.</summary>
    public ResiliencePipeline<HttpResponseMessage> Retry { get; }

    /// <summary>Around the sending of one attempt only.</summary>
    public ResiliencePipeline AttemptTimeout { get; }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Discord call {Route} failed ({Reason}); retry {Attempt} in {DelayMs} ms")]
        public static partial void Retrying(ILogger logger, string route, string reason, int attempt, double delayMs);
    }
}

/// <summary>
/// Sends each Discord request through the shared rate limiter and the retry pipeline. The route (template, major
/// parameter) comes with the request from <see cref="DiscordRestClient"/>.
/// </summary>
internal sealed partial class DiscordRateLimitHandler(
    DiscordRateLimiter limiter,
    DiscordRestResilience resilience,
    ILogger<DiscordRateLimitHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(DiscordRoute.OptionKey, out var route))
        {
            throw new InvalidOperationException("A Discord request must carry its route.");
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(DiscordRestResilience.RouteKey, route);
        try
        {
            return await resilience.Retry.ExecuteAsync(
                static async (ctx, state) => await state.self.SendOnceAsync(state.request, state.route, ctx.CancellationToken),
                context,
                (self: this, request, route));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, DiscordRoute route, CancellationToken cancellationToken)
    {
        var waited = await limiter.WaitTurnAsync(route, cancellationToken);
        if (waited > TimeSpan.Zero)
        {
            Log.WaitedForRateLimit(logger, route.Name, waited.TotalMilliseconds);
        }

        var response = await resilience.AttemptTimeout.ExecuteAsync(
            async token =>
            {
                var answer = await base.SendAsync(request, token);
                await answer.Content.LoadIntoBufferAsync(token);
                return answer;
            },
            cancellationToken);

        var hint = await RateLimitHint.ReadAsync(response, cancellationToken);
        if (hint is not null)
        {
            Log.RateLimited(logger, route.Name, hint.Wait.TotalMilliseconds, hint.Global);
        }

        limiter.Observe(route, response, hint);
        return response;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Waited {WaitedMs} ms for Discord's rate limit before {Route}")]
        public static partial void WaitedForRateLimit(ILogger logger, string route, double waitedMs);

        [LoggerMessage(2, LogLevel.Warning, "Discord rate-limited {Route} for {WaitMs} ms (global: {Global})")]
        public static partial void RateLimited(ILogger logger, string route, double waitMs, bool global);
    }
}
