using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mockingbird.Platforms.Endpoints;

/// <summary>
/// A platform's rule for proving a request came from it: a signature header and a timestamp header over the raw body.
/// </summary>
public interface IRequestSignature
{
    /// <summary>The platform's name, for logs.</summary>
    string Platform { get; }

    /// <summary>The header that carries the signature, e.g. <c>X-Signature-Ed25519</c>.</summary>
    string SignatureHeader { get; }

    /// <summary>The header that carries the signed timestamp, e.g. <c>X-Signature-Timestamp</c>.</summary>
    string TimestampHeader { get; }

    /// <summary>True only for a valid signature over exactly these bytes, made recently enough.</summary>
    bool IsValid(string? signature, string? timestamp, ReadOnlySpan<byte> body);
}

/// <summary>
/// The one path every signed platform request takes: a request without the signature headers is refused before its
/// body is read (401), as is one that declares a body larger than any genuine request (413); the body is read up to
/// that size (413 beyond it) within <see cref="BodyReadLimit"/> (408 past it); its signature is checked on those raw
/// bytes before anything is parsed (401 when it fails), a signed body in no shape the platform sends is refused (400),
/// and only then does the platform acknowledge it.
/// </summary>
public static partial class SignedRequests
{
    /// <summary>
    /// A platform sends its few kilobytes at once and wants its answer within 3 seconds: a body still arriving after
    /// this long is someone holding a connection open, not the platform.
    /// </summary>
    public static readonly TimeSpan BodyReadLimit = TimeSpan.FromSeconds(10);

    /// <param name="parse">The request as the platform's type, or null when it is not what the platform sends.</param>
    /// <param name="acknowledge">The answer to a verified, parsed request (and any work started after it).</param>
    public static async Task<IResult> HandleAsync<TRequest>(
        HttpContext context,
        IRequestSignature signature,
        int maxBodyBytes,
        Func<HttpRequest, byte[], TRequest?> parse,
        Func<TRequest, Task<IResult>> acknowledge,
        ILogger logger)
        where TRequest : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(acknowledge);
        var request = context.Request;
        if (string.IsNullOrEmpty(request.Headers[signature.SignatureHeader]) || string.IsNullOrEmpty(request.Headers[signature.TimestampHeader]))
        {
            return InvalidSignature;
        }

        if (request.ContentLength > maxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var time = context.RequestServices?.GetService<TimeProvider>() ?? TimeProvider.System;
        using var readLimit = new CancellationTokenSource(BodyReadLimit, time);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, readLimit.Token);
        byte[]? body;
        try
        {
            body = await BoundedBody.ReadAsync(request.Body, maxBodyBytes, reading.Token);
        }
        catch (OperationCanceledException) when (readLimit.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            return Results.StatusCode(StatusCodes.Status408RequestTimeout);
        }

        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (!signature.IsValid(request.Headers[signature.SignatureHeader], request.Headers[signature.TimestampHeader], body))
        {
            return InvalidSignature;
        }

        if (parse(request, body) is not { } parsed)
        {
            Log.Unreadable(logger, body.Length, signature.Platform);
            return Results.BadRequest();
        }

        return await acknowledge(parsed);
    }

    private static IResult InvalidSignature => Results.Text("invalid request signature", statusCode: StatusCodes.Status401Unauthorized);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A signed request of {Bytes} bytes is not in a shape {Platform} sends; answered 400")]
        public static partial void Unreadable(ILogger logger, int bytes, string platform);
    }
}
