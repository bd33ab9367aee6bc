using System.Net;
using Mockingbird.Http;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Mockingbird.Judging.Llm;

/// <summary>
/// The one resilience pipeline every LLM call goes through: retries with jittered backoff on 429 and 5xx that wait
/// as long as Retry-After says, a circuit breaker that opens after a handful of failures, and a timeout per attempt.
/// The OpenAI client's own retries are off (it is given our HttpClient), so this is the only retry layer.
/// </summary>
public static class LlmResilience
{
    public static ResiliencePipeline<HttpResponseMessage> Build(LlmOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => (r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500)
                && !(RetryAfterOf(r, time) > options.MaxRetryAfter));

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryAfter, time)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = options.BreakDuration,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>The server's Retry-After, when it gives one we are willing to wait for; otherwise the backoff decides.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max, TimeProvider time) =>
        RetryAfterOf(response, time) is { } delay && delay > TimeSpan.Zero && delay <= max ? delay : null;

    /// <summary>How long the server asks us to wait. A wait longer than we accept is not retried at all: the offline judge answers.</summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage? response, TimeProvider time) =>
        response is null ? null : RetryAfterHeaders.Read(response.Headers, time);
}

/// <summary>Sends every request of the LLM's HttpClient through the resilience pipeline.</summary>
public sealed class ResilientLlmHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(
            async token =>
            {
                // The body is read here, inside the attempt's timeout: a server that sends headers and then stalls
                // must not hold a judgement (and its worker's batch) forever.
                var response = await base.SendAsync(request, token);
                await response.Content.LoadIntoBufferAsync(token);
                return response;
            },
            cancellationToken);
}
