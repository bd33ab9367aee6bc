using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task A_request_without_its_signature_headers_is_refused_401_before_any_of_its_body_is_read()
    {
        var context = new DefaultHttpContext();
        var body = new StalledBody(firstBytes: 0);
        context.Request.Body = body;

        var result = await HandleAsync(context).WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);

        Assert.Equal(StatusCodes.Status401Unauthorized, Status(result));
        Assert.Equal(0, body.Reads);
        Assert.Equal(0, _signature.Checks);
    }

    [Fact]
    public async Task A_request_declaring_a_body_over_the_limit_is_refused_413_before_any_of_it_is_read()
    {
        var context = Signed(new StalledBody(firstBytes: 0));
        context.Request.ContentLength = MaxBodyBytes + 1;

        var result = await HandleAsync(context).WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Status(result));
        Assert.Equal(0, ((StalledBody)context.Request.Body).Reads);
    }

    [Fact]
    public async Task A_body_still_arriving_when_the_read_limit_passes_is_answered_408_and_its_signature_never_checked()
    {
        var time = new TimerWatchingClock();
        var context = Signed(new StalledBody(firstBytes: 1));
        context.RequestServices = new ServiceCollection().AddSingleton<TimeProvider>(time).BuildServiceProvider();

        var handling = HandleAsync(context);
        await time.WaitForTimerAsync(SignedRequests.BodyReadLimit);
        time.Advance(SignedRequests.BodyReadLimit);
        var result = await handling.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);

        Assert.Equal(StatusCodes.Status408RequestTimeout, Status(result));
        Assert.Equal(0, _signature.Checks);
        Assert.Empty(_parsed);
    }

    private static int? Status(IResult result) => Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode;

    private static DefaultHttpContext Signed(Stream body, string signature = GoodSignature)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = body;
        context.Request.Headers["X-Test-Signature"] = signature;
        context.Request.Headers["X-Test-Timestamp"] = "1700000000";
        return context;
    }

    private Task<IResult> HandleAsync(string body, string signature) =>
        HandleAsync(Signed(new MemoryStream(Encoding.UTF8.GetBytes(body)), signature));

    private Task<IResult> HandleAsync(HttpContext context)
    {
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

    /// <summary>A body sent slowly on purpose: its first bytes, then nothing until the reader gives up.</summary>
    private sealed class StalledBody(int firstBytes) : Stream
    {
        private bool _sentFirst;

        public int Reads { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            if (!_sentFirst && firstBytes > 0)
            {
                _sentFirst = true;
                buffer.Span[..firstBytes].Fill((byte)'{');
                return firstBytes;
            }

            await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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
