using System.Net;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Llm.Tests;

/// <summary>The LLM pipeline reads a server's wait the way the platform clients do, <c>retry-after-ms</c> included.</summary>
public sealed class LlmResilienceTests
{
    private readonly TimerWatchingClock _time = new();
    private readonly LlmOptions _options = new() { MaxRetries = 2, MaxRetryAfter = TimeSpan.FromSeconds(20) };
    private int _calls;

    [Fact]
    public async Task A_retry_after_in_milliseconds_is_waited_to_the_millisecond_then_retried()
    {
        var pipeline = LlmResilience.Build(_options, _time);

        var call = pipeline.ExecuteAsync(_ => ValueTask.FromResult(++_calls == 1 ? TooManyRequests("1500") : new HttpResponseMessage(HttpStatusCode.OK))).AsTask();
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(1500));
        _time.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.Equal(1, _calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        using var response = await TimerWatchingClock.WithoutAdvancingAsync(call, "the retry after the server's wait");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _calls);
    }

    [Fact]
    public async Task A_retry_after_in_milliseconds_longer_than_we_wait_is_not_retried()
    {
        var pipeline = LlmResilience.Build(_options, _time);

        using var response = await TimerWatchingClock.WithoutAdvancingAsync(
            pipeline.ExecuteAsync(_ =>
            {
                _calls++;
                return ValueTask.FromResult(TooManyRequests("60000"));
            }).AsTask(),
            "a 429 asking for a minute");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, _calls);
    }

    private static HttpResponseMessage TooManyRequests(string retryAfterMilliseconds)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("retry-after-ms", retryAfterMilliseconds);
        return response;
    }
}
