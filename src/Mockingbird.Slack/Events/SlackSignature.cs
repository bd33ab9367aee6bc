using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mockingbird.Platforms.Endpoints;

namespace Mockingbird.Slack.Events;

/// <summary>
/// Checks Slack's v0 request signature: <c>X-Slack-Signature: v0=&lt;hex&gt;</c>, the lower-case hex HMAC-SHA256,
/// keyed by the signing secret, of <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c>. The raw bytes are signed, never a
/// re-serialised body; the comparison takes the same time wherever the first difference is; and a timestamp further
/// than the window from now (either way) is refused, so a captured request cannot be replayed later.
/// </summary>
internal sealed class SlackSignature : IRequestSignature
{
    private const string Version = "v0";

    // "v0=" and 64 hex digits: Slack sends lower case only, so upper case is refused like any other mismatch.
    private const int SignatureLength = 3 + (2 * 32);

    private readonly byte[] _key;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;

    public SlackSignature(string signingSecret, TimeSpan window, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signingSecret);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _key = Encoding.UTF8.GetBytes(signingSecret);
        _window = window;
        _time = time;
    }

    public string Platform => "Slack";

    public string SignatureHeader => "X-Slack-Signature";

    public string TimestampHeader => "X-Slack-Request-Timestamp";

    public bool IsValid(string? signatureHeader, string? timestampHeader, ReadOnlySpan<byte> rawBody)
    {
        if (signatureHeader is not { Length: SignatureLength } || timestampHeader is not { Length: > 0 and <= 18 }
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        // In seconds, not a TimeSpan: a timestamp far in the future must be refused, not overflow.
        var ageSeconds = Math.Abs(_time.GetUtcNow().ToUnixTimeSeconds() - seconds);
        if (ageSeconds > _window.TotalSeconds)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        using (var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key))
        {
            hmac.AppendData(Encoding.ASCII.GetBytes($"{Version}:{timestampHeader}:"));
            hmac.AppendData(rawBody);
            hmac.GetHashAndReset(mac);
        }

        var expected = Encoding.ASCII.GetBytes(Version + "=" + Convert.ToHexStringLower(mac));
        var given = Encoding.UTF8.GetBytes(signatureHeader);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
