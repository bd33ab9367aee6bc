using System.Globalization;
using Mockingbird.Platforms.Endpoints;
using NSec.Cryptography;

namespace Mockingbird.Discord.Interactions;

/// <summary>
/// Checks Discord's Ed25519 signature over <c>timestamp ‖ raw body</c> with the application's public key, and that
/// the timestamp is recent. Discord probes endpoints with bad signatures and removes any URL that accepts one.
/// </summary>
internal sealed class InteractionSignature : IRequestSignature
{
    private readonly PublicKey _key;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;

    public InteractionSignature(string publicKeyHex, TimeSpan window, TimeProvider time)
    {
        _key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);
        _window = window;
        _time = time;
    }

    public string Platform => "Discord";

    public string SignatureHeader => "X-Signature-Ed25519";

    public string TimestampHeader => "X-Signature-Timestamp";

    /// <summary>True only for a well-formed, valid signature over exactly these bytes, made within the window.</summary>
    public bool IsValid(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (signatureHex is not { Length: 128 } || string.IsNullOrEmpty(timestamp) || timestamp.Length > 20
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if (age.Duration() > _window)
        {
            return false;
        }

        Span<byte> signature = stackalloc byte[64];
        if (Convert.FromHexString(signatureHex, signature, out _, out var written) != System.Buffers.OperationStatus.Done || written != 64)
        {
            return false;
        }

        var signed = new byte[timestamp.Length + body.Length];
        for (var i = 0; i < timestamp.Length; i++)
        {
            signed[i] = (byte)timestamp[i];
        }

        body.CopyTo(signed.AsSpan(timestamp.Length));
        return SignatureAlgorithm.Ed25519.Verify(_key, signed, signature);
    }
}
