using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Mockingbird.Judging.Llm;

/// <summary>
/// A start-up look at the configured LLM endpoint, so an unreachable server or a rejected key is one clear line
/// rather than a stack trace on the first answer. The key is sent, never shown.
/// </summary>
public static class LlmProbe
{
    /// <summary><c>null</c> when the endpoint answers; otherwise what is wrong, in a sentence.</summary>
    public static async Task<string?> ProblemAsync(LlmOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider == LlmProvider.None)
        {
            return null;
        }

        var endpoint = options.EffectiveEndpoint;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{endpoint.ToString().TrimEnd('/')}/models"));
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                    $"The LLM endpoint {endpoint} rejected the API key ({(int)response.StatusCode}); check Llm:ApiKey. Feedback will come from the offline judge.",
                _ => null, // Any other answer means the server is there; some servers do not list models.
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is HttpRequestException { InnerException: SocketException socket } ? socket.SocketErrorCode.ToString() : ex is TaskCanceledException ? "no answer within 5 s" : ex.GetType().Name;
            return $"The LLM endpoint {endpoint} is unreachable ({reason}); feedback will come from the offline judge until it answers.";
        }
    }
}
