using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Mockingbird.Platforms.Endpoints;
using Mockingbird.Testing;

namespace Mockingbird.Platforms.Tests;

/// <summary>The order every signed endpoint keeps: size, then signature, then shape, then the platform's answer.</summary>
public sealed class SignedRequestsTests : IDisposable
{
    private const int MaxBodyBytes = 64;
    private const string GoodSignature = "signed-by-the-platform";

    private readonly RecordingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggers;
    private readonly CountingSignature _signature = new();
    private readonly List<string> _parsed = [];
    private readonly List<string> _acknowledged = [];

    public SignedRequestsTests() => _loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs));

    public void Dispose()
    {
        _loggers.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_answered_413_before_its_signature_is_checked()
    {
        var result = await HandleAsync(new string('x', MaxBodyBytes + 1), GoodSignature);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Status(result));
        Assert.Equal(0, _signature.Checks);
        Assert.Empty(_parsed);
    }

    [Fact]
    public async Task A_bad_signature_is_answered_401_before_the_body_is_parsed()
    {
        var result = await HandleAsync("""{"type":"hello"}""", "forged");

        Assert.Equal(StatusCodes.Status401Unauthorized, Status(result));
        Assert.Equal(1, _signature.Checks);
        Assert.Empty(_parsed);
        Assert.Empty(_acknowledged);
    }

    [Fact]
    public async Task A_signed_body_in_no_shape_the_platform_sends_is_answered_400_and_not_acknowledged()
    {
        var result = await HandleAsync("not the platform's shape", GoodSignature);

        Assert.Equal(StatusCodes.Status400BadRequest, Status(result));
        Assert.Equal(["not the platform's shape"], _parsed);
        Assert.Empty(_acknowledged);
        Assert.Contains(_logs.Entries, e => e.Contains("not in a shape Testland sends", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_well_formed_body_within_the_limit_gets_the_platforms_acknowledgement()
    {
        var body = "ok:" + new string('x', MaxBodyBytes - 3);

        var result = await HandleAsync(body, GoodSignature);

        Assert.Equal("acknowledged", Assert.IsType<ContentHttpResult>(result).ResponseContent);
        Assert.Equal([body], _acknowledged);
        Assert.Equal(body, _signature.LastBody);
        Assert.Equal("1700000000", _signature.LastTimestamp);
    }

    private static int? Status(IResult result) => Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode;

    private Task<IResult> HandleAsync(string body, string signature)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.Headers["X-Test-Signature"] = signature;
        context.Request.Headers["X-Test-Timestamp"] = "1700000000";
        return SignedRequests.HandleAsync(
            context,
            _signature,
            MaxBodyBytes,
            (_, bytes) =>
            {
                var text = Encoding.UTF8.GetString(bytes);
                _parsed.Add(text);
                return text.StartsWith("ok:", StringComparison.Ordinal) || text.StartsWith('{') ? text : null;
            },
            text =>
            {
                _acknowledged.Add(text);
                return Task.FromResult<IResult>(TypedResults.Text("acknowledged"));
            },
            _loggers.CreateLogger<SignedRequestsTests>());
    }

    private sealed class CountingSignature : IRequestSignature
    {
        public string Platform => "Testland";

        public string SignatureHeader => "X-Test-Signature";

        public string TimestampHeader => "X-Test-Timestamp";

        public int Checks { get; private set; }

        public string? LastBody { get; private set; }

        public string? LastTimestamp { get; private set; }

        public bool IsValid(string? signature, string? timestamp, ReadOnlySpan<byte> body)
        {
            Checks++;
            LastBody = Encoding.UTF8.GetString(body);
            LastTimestamp = timestamp;
            return signature == GoodSignature;
        }
    }
}
