using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Mockingbird.Platforms.Http;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Mockingbird.Platforms;

/// <summary>
/// The pipelines every call to one platform goes through, built once per process: retries on 429 (after the wait
/// the server asks for, unless that is longer than we accept), and, where repeating is harmless, on 5xx, timeouts and
/// connection failures (exponential backoff with jitter); and a timeout for each attempt, kept apart so that a
/// rate-limit wait never counts against it.
/// </summary>
public sealed class PlatformCallPipeline<TCall>
    where TCall : IPlatformCall
{
    internal static readonly ResiliencePropertyKey<TCall> CallKey = new("Mockingbird.Platforms.PlatformCall");

    /// <param name="platform">The platform's name, for logs.</param>
    public PlatformCallPipeline(string platform, PlatformCallOptions settings, TimeProvider time, ILogger<PlatformCallPipeline<TCall>> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = async args => args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => SafeToRepeat(args.Context),
                    // A 429 was refused before it was processed, so it is always retried when the wait is acceptable.
                    { Result: { StatusCode: HttpStatusCode.TooManyRequests } response } =>
                        (await ServerWaits.ReadAsync(response, time, args.Context.CancellationToken))!.Wait <= settings.MaxRateLimitWait,
                    { Result: { } response } => (int)response.StatusCode >= 500 && SafeToRepeat(args.Context),
                    _ => false,
                },
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                DelayGenerator = async args =>
                    await ServerWaits.ReadAsync(args.Outcome.Result, time, args.Context.CancellationToken) is { } wait ? wait.Wait : null,
                OnRetry = args =>
                {
                    var call = args.Context.Properties.TryGetValue(CallKey, out var c) ? c.Name : "an unnamed call";
                    var reason = args.Outcome.Result is { } response
                        ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
                        : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    PlatformCallLog.Retrying(logger, platform, call, reason, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        Retry = builder.Build();
        Time = time;
        AttemptTimeout = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(settings.AttemptTimeout).Build();
        Platform = platform;
    }

    /// <summary>Around the whole call: decides whether and when to try again.</summary>
    public ResiliencePipeline<HttpResponseMessage> Retry { get; }

    /// <summary>Around the sending of one attempt only.</summary>
    public ResiliencePipeline AttemptTimeout { get; }

    public string Platform { get; }

    public TimeProvider Time { get; }

    private static bool SafeToRepeat(ResilienceContext context) =>
        context.Properties.TryGetValue(CallKey, out var call) && call.SafeToRepeat;
}

/// <summary>
/// Sends each request of a platform's typed HttpClient through its rate limits and retry pipeline. The client puts
/// the call (route or method) on the request under <see cref="CallKey"/>.
/// </summary>
public sealed class PlatformCallHandler<TCall>(
    IPlatformRateLimits<TCall> limits,
    PlatformCallPipeline<TCall> pipeline,
    ILogger<PlatformCallHandler<TCall>> logger,
    PlatformTelemetry? telemetry = null) : DelegatingHandler
    where TCall : IPlatformCall
{
    public static readonly HttpRequestOptionsKey<TCall> CallKey = new("Mockingbird.Platforms.PlatformCall");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Options.TryGetValue(CallKey, out var call))
        {
            throw new InvalidOperationException($"A {pipeline.Platform} request must carry its call.");
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PlatformCallPipeline<TCall>.CallKey, call);
        try
        {
            return await pipeline.Retry.ExecuteAsync(
                static async (ctx, state) => await state.self.SendOnceAsync(state.request, state.call, ctx.CancellationToken),
                context,
                (self: this, request, call));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, TCall call, CancellationToken cancellationToken)
    {
        var waited = await limits.WaitTurnAsync(call, cancellationToken);
        if (waited > TimeSpan.Zero)
        {
            PlatformCallLog.WaitedForRateLimit(logger, waited.TotalMilliseconds, pipeline.Platform, call.Name);
        }

        var response = await pipeline.AttemptTimeout.ExecuteAsync(
            async token =>
            {
                // The body is read inside the attempt's timeout: a server that sends headers and then stalls must not
                // hold the call forever.
                var answer = await base.SendAsync(request, token);
                await answer.Content.LoadIntoBufferAsync(token);
                return answer;
            },
            cancellationToken);

        await ObserveAsync(call, response, cancellationToken);
        return response;
    }

    /// <summary>Every answer, and so every 429, passes here once: the limits learn from it before anything else sends.</summary>
    private async Task ObserveAsync(TCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var wait = await ServerWaits.ReadAsync(response, pipeline.Time, cancellationToken);

        // Learnt before it is logged, so anything that waits on the log line finds the pause in place.
        limits.Observe(call, response, wait);
        if (wait is not null)
        {
            PlatformCallLog.RateLimited(logger, pipeline.Platform, call.Name, wait.Wait.TotalMilliseconds, wait.Global);
            telemetry?.RateLimited(pipeline.Platform, call.Name, wait.Global);
        }
    }
}

internal static partial class PlatformCallLog
{
    [LoggerMessage(1, LogLevel.Warning, "{Platform} call {Call} failed ({Reason}); retry {Attempt} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string platform, string call, string reason, int attempt, double delayMs);

    [LoggerMessage(2, LogLevel.Debug, "Waited {WaitedMs} ms for {Platform}'s rate limit before {Call}")]
    public static partial void WaitedForRateLimit(ILogger logger, double waitedMs, string platform, string call);

    [LoggerMessage(3, LogLevel.Warning, "{Platform} rate-limited {Call} for {WaitMs} ms (global: {Global})")]
    public static partial void RateLimited(ILogger logger, string platform, string call, double waitMs, bool global);
}
