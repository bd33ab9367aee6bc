using System.Globalization;
using System.Net.Http.Headers;

namespace Mockingbird.Http;

/// <summary>
/// The one reader of the headers a server uses to ask a client to wait. It is a source file compiled into each project
/// that calls a server (the platform REST clients and the LLM judge), so the judge needs neither ASP.NET Core nor the
/// platform adapters to share it.
/// </summary>
internal static class RetryAfterHeaders
{
    /// <summary>
    /// The wait the headers ask for, from the first of: <c>retry-after-ms</c> (the precise form OpenAI-compatible servers
    /// send and their SDKs prefer), <c>Retry-After</c> in seconds, <c>Retry-After</c> as an HTTP date counted from now
    /// (negative once it has passed). Null when none is given; what a wait that is too long or already over means is
    /// the caller's to decide.
    /// </summary>
    public static TimeSpan? Read(HttpResponseHeaders headers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(time);
        if (double.TryParse(First(headers, "retry-after-ms"), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
            && Seconds(milliseconds / 1000) is { } precise)
        {
            return precise;
        }

        var retryAfter = headers.RetryAfter;
        return retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
    }

    /// <summary>Null for what no server means (negative, not a number); capped at a day, far beyond any wait a client sits out.</summary>
    public static TimeSpan? Seconds(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 ? TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(1).TotalSeconds)) : null;

    public static string? First(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
