using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Mockingbird.Platforms.Http;

/// <summary>
/// What a platform's API client shares with the other's: it sends each call through the typed HttpClient (whose
/// <see cref="PlatformCallHandler{TCall}"/> applies the rate limits and retries), writes and reads JSON, and scrubs
/// tokens out of anything the server says before it reaches a log or an exception. Each platform brings its own
/// authorisation and its own reading of a refusal.
/// </summary>
public abstract class PlatformApiClient<TCall>
    where TCall : IPlatformCall
{
    private const string Scrubbed = "[token]";

    private readonly HttpClient _http;
    private readonly string?[] _tokens;

    /// <param name="tokens">The configured tokens, scrubbed from every text the server sends back.</param>
    protected PlatformApiClient(HttpClient http, Uri? baseAddress, TimeProvider time, params string?[] tokens)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _http.BaseAddress ??= baseAddress;
        _tokens = tokens;
        Time = time;
    }

    protected TimeProvider Time { get; }

    /// <summary>Sends one call and reads its whole answer; a refusal is the caller's to read.</summary>
    protected async Task<PlatformAnswer> ExchangeAsync(TCall call, HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body };
        Authorize(request, call);
        request.Options.Set(PlatformCallHandler<TCall>.CallKey, call);

        var started = Time.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new PlatformAnswer(response.StatusCode, bytes, Time.GetElapsedTime(started));
    }

    /// <summary>Adds what proves who is calling (and anything else every request of the platform carries).</summary>
    protected abstract void Authorize(HttpRequestMessage request, TCall platformCall);

    /// <summary>
    /// The text with every configured token, and <paramref name="callToken"/> (a token in this call's path), replaced:
    /// error codes and messages come from the server, and a misbehaving one must not get a token into a log.
    /// </summary>
    protected string? Scrub(string? text, string? callToken = null)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var token in _tokens.Append(callToken))
        {
            if (!string.IsNullOrEmpty(token))
            {
                text = text.Replace(token, Scrubbed, StringComparison.Ordinal);
            }
        }

        return text;
    }

    protected static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The body as <typeparamref name="T"/>, or null when it is empty or not that JSON (a proxy's HTML error page).</summary>
    protected static T? ReadJsonOrNull<T>(byte[] body, JsonTypeInfo<T> type)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A platform's whole answer to one call, read within the call's attempt timeout.</summary>
public sealed record PlatformAnswer(HttpStatusCode Status, byte[] Body, TimeSpan Elapsed)
{
    public bool IsSuccess => (int)Status is >= 200 and <= 299;
}
