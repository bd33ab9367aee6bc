using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Mockingbird.Platforms.Tests;

public sealed class PlatformTelemetryTests
{
    private sealed record Call(string Name) : IPlatformCall
    {
        public bool SafeToRepeat => true;
    }

    private sealed class NoLimits : IPlatformRateLimits<Call>
    {
        public Task<TimeSpan> WaitTurnAsync(Call platformCall, CancellationToken cancellationToken) => Task.FromResult(TimeSpan.Zero);

        public void Observe(Call platformCall, HttpResponseMessage response, ServerWait? wait)
        {
        }
    }

    /// <summary>Answers 429 a given number of times, then 200.</summary>
    private sealed class Platform(int refusals) : HttpMessageHandler
    {
        private int _left = refusals;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(Interlocked.Decrement(ref _left) >= 0 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK));
    }

    [Fact]
    public async Task Each_429_a_platform_answers_is_counted_with_the_platform_and_the_call()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var rateLimited = new MetricCollector<long>(meters, PlatformTelemetry.Name, "mockingbird.platform.rate_limited");
        var limits = new NoLimits();

        // No retries, so each 429 comes back to the caller and the fake clock never has to sit out its wait.
        var pipeline = new PlatformCallPipeline<Call>("Slack", new PlatformCallOptions { MaxRetries = 0 }, new FakeTimeProvider(), NullLogger<PlatformCallPipeline<Call>>.Instance);
        using var handler = new PlatformCallHandler<Call>(limits, pipeline, NullLogger<PlatformCallHandler<Call>>.Instance, new PlatformTelemetry(meters)) { InnerHandler = new Platform(refusals: 2) };
        using var http = new HttpClient(handler);
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "http://slack.test/api/chat.postMessage");
            request.Options.Set(PlatformCallHandler<Call>.CallKey, new Call("chat.postMessage"));
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], statuses);
        var counted = rateLimited.GetMeasurementSnapshot();
        Assert.Equal(2, counted.Count);
        Assert.All(counted, m =>
        {
            Assert.Equal(1, m.Value);
            Assert.Equal("slack", m.Tags["mockingbird.platform"]);
            Assert.Equal("chat.postMessage", m.Tags["mockingbird.platform.call"]);
        });
    }
}
