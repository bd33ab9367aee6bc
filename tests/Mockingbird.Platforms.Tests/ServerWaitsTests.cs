using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Platforms.Http;

namespace Mockingbird.Platforms.Tests;

public sealed class ServerWaitsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Retry_after_in_seconds_is_the_wait()
    {
        using var response = TooManyRequests();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        Assert.Equal(new ServerWait(TimeSpan.FromSeconds(7)), await ReadAsync(response));
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_the_time_from_now_until_then()
    {
        using var response = TooManyRequests();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(_time.GetUtcNow().AddSeconds(42));

        Assert.Equal(new ServerWait(TimeSpan.FromSeconds(42)), await ReadAsync(response));
    }

    [Fact]
    public async Task Retry_after_in_milliseconds_wins_over_the_rounded_seconds()
    {
        using var response = TooManyRequests();
        response.Headers.Add("retry-after-ms", "1250");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));

        Assert.Equal(new ServerWait(TimeSpan.FromMilliseconds(1250)), await ReadAsync(response));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("NaN")]
    public async Task A_retry_after_in_milliseconds_no_server_means_leaves_the_seconds_to_decide(string milliseconds)
    {
        using var response = TooManyRequests();
        response.Headers.TryAddWithoutValidation("retry-after-ms", milliseconds);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3));

        Assert.Equal(new ServerWait(TimeSpan.FromSeconds(3)), await ReadAsync(response));
    }

    [Fact]
    public async Task Discords_fractional_retry_after_in_the_body_wins_over_the_rounded_header_and_global_is_read()
    {
        using var response = TooManyRequests("""{"message":"You are being rate limited.","retry_after":0.375,"global":true}""");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));

        Assert.Equal(new ServerWait(TimeSpan.FromMilliseconds(375), Global: true), await ReadAsync(response));
    }

    [Fact]
    public async Task Discords_rate_limit_headers_give_the_wait_and_the_global_flag_when_the_body_does_not()
    {
        using var response = TooManyRequests("<html>Too many requests</html>");
        response.Headers.Add("X-RateLimit-Reset-After", "2.5");
        response.Headers.Add("X-RateLimit-Global", "true");

        Assert.Equal(new ServerWait(TimeSpan.FromSeconds(2.5), Global: true), await ReadAsync(response));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"retry_after":"soon"}""")]
    [InlineData("""{"retry_after":-3}""")]
    [InlineData("[1,2]")]
    public async Task A_429_with_no_usable_wait_waits_the_platforms_one_second_minimum(string body)
    {
        using var response = TooManyRequests(body);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset-After", "later");

        Assert.Equal(new ServerWait(TimeSpan.FromSeconds(1)), await ReadAsync(response));
    }

    [Fact]
    public async Task A_retry_after_date_already_past_waits_the_minimum_instead_of_not_at_all()
    {
        using var response = TooManyRequests();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(_time.GetUtcNow().AddSeconds(-30));

        Assert.Equal(new ServerWait(TimeSpan.FromSeconds(1)), await ReadAsync(response));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Any_answer_but_a_429_asks_for_no_wait_even_with_a_retry_after(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent("""{"retry_after":5}""") };
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(5));

        Assert.Null(await ReadAsync(response));
        Assert.Null(await ServerWaits.ReadAsync(null, _time, CancellationToken.None));
    }

    private static HttpResponseMessage TooManyRequests(string body = "") =>
        new(HttpStatusCode.TooManyRequests) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private ValueTask<ServerWait?> ReadAsync(HttpResponseMessage response) => ServerWaits.ReadAsync(response, _time, CancellationToken.None);
}
