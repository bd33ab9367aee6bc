using System.Globalization;
using System.Net;
using System.Text.Json;
using Mockingbird.Http;

namespace Mockingbird.Platforms.Http;

/// <summary>
/// Reads what a 429 asks for, the same way for every platform: Discord puts a fractional <c>retry_after</c> (and
/// <c>global</c>) in its JSON body, Slack and proxies send a <c>Retry-After</c> header in seconds or as an HTTP date
/// (read by <see cref="RetryAfterHeaders"/>, as the LLM judge reads it), and Discord also sends
/// <c>X-RateLimit-Reset-After</c> and <c>X-RateLimit-Global</c>.
/// </summary>
public static class ServerWaits
{
    /// <summary>Both platforms' documented minimum, used when a 429 names no usable wait.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The wait a (buffered) 429 asks for, from the first of: the body's <c>retry_after</c>, <c>Retry-After</c>
    /// (seconds, then date), <c>X-RateLimit-Reset-After</c>; <see cref="Default"/> when none is usable. Null for
    /// any other status.
    /// </summary>
    public static async ValueTask<ServerWait?> ReadAsync(HttpResponseMessage? response, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (response is not { StatusCode: HttpStatusCode.TooManyRequests })
        {
            return null;
        }

        var (bodyWait, bodyGlobal) = await ReadBodyAsync(response.Content, cancellationToken);
        var wait = bodyWait
            ?? RetryAfterHeaders.Read(response.Headers, time)
            ?? (double.TryParse(RetryAfterHeaders.First(response.Headers, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var after)
                ? RetryAfterHeaders.Seconds(after)
                : null);
        var global = bodyGlobal || string.Equals(RetryAfterHeaders.First(response.Headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase);
        return new ServerWait(wait is { } w && w > TimeSpan.Zero ? w : Default, global);
    }

    private static async Task<(TimeSpan? Wait, bool Global)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var bytes = await content.ReadAsByteArrayAsync(cancellationToken);
        if (bytes.Length == 0)
        {
            return (null, false);
        }

        try
        {
            using var body = JsonDocument.Parse(bytes);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, false);
            }

            var wait = body.RootElement.TryGetProperty("retry_after", out var retryAfter) && retryAfter.ValueKind == JsonValueKind.Number
                ? RetryAfterHeaders.Seconds(retryAfter.GetDouble())
                : null;
            var global = body.RootElement.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True;
            return (wait, global);
        }
        catch (JsonException)
        {
            // A 429 from a proxy in front of the platform may not be JSON; the headers still say how long to wait.
            return (null, false);
        }
    }
}
