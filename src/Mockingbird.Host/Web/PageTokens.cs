using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mockingbird.Host.Web;

public enum WebPage
{
    Dashboard,
    Progress,
}

/// <summary>What a link opens: the dashboard (for the admin it was made for) or one candidate's progress.</summary>
/// <param name="Subject">The admin or candidate the link was made for; it comes from the signed token only.</param>
public sealed record PageScope(WebPage Page, string Subject)
{
    internal string Text => (Page == WebPage.Dashboard ? "dashboard:" : "progress:") + Subject;

    internal static PageScope? Parse(string text) =>
        text.StartsWith("dashboard:", StringComparison.Ordinal) ? new(WebPage.Dashboard, text["dashboard:".Length..])
        : text.StartsWith("progress:", StringComparison.Ordinal) && text.Length > "progress:".Length ? new(WebPage.Progress, text["progress:".Length..])
        : null;
}

/// <summary>Why a link was refused; logged (never the token itself), never shown.</summary>
public enum TokenRefusal
{
    Missing,
    Malformed,
    Forged,
    Expired,
    OutOfScope,
}

/// <summary>A link's token checked: the scope it grants, or why it grants nothing.</summary>
public readonly record struct TokenCheck(PageScope? Scope, TokenRefusal? Refusal)
{
    public bool Granted => Scope is not null;
}

/// <summary>
/// Tokens of the form <c>scope.expiry.mac</c>: the scope in base64url, the expiry in Unix seconds and an HMAC-SHA256
/// of the first two parts under the signing key, in base64url. The scope and expiry are readable but cannot be changed
/// without the key; nothing in a token is trusted until its MAC matches.
/// </summary>
internal sealed class PageTokens
{
    /// <summary>Longer than any token this bot makes with a sensible id; bounds the work an attacker's junk costs.</summary>
    private const int MaxTokenLength = 1024;

    private const int MacBytes = 32;

    private readonly byte[] _key;

    public PageTokens(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(key.Length, WebOptions.MinimumKeyBytes, nameof(key));
        _key = [.. key];
    }

    public string Issue(PageScope scope, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var signed = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(scope.Text)) + "." + expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return signed + "." + Base64Url.EncodeToString(Mac(signed));
    }

    /// <summary>Grants <paramref name="page"/> only to a well-formed, authentic, unexpired token made for that page.</summary>
    public TokenCheck Check(string? token, WebPage page, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token))
            return Refused(TokenRefusal.Missing);
        if (token.Length > MaxTokenLength)
            return Refused(TokenRefusal.Malformed);
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length is 0 or > 19 || !parts[1].All(char.IsAsciiDigit))
            return Refused(TokenRefusal.Malformed);

        Span<byte> given = stackalloc byte[MacBytes + 3];
        if (!Base64Url.IsValid(parts[2], out var length) || length != MacBytes
            || Base64Url.DecodeFromChars(parts[2], given, out _, out var written) != System.Buffers.OperationStatus.Done || written != MacBytes)
            return Refused(TokenRefusal.Malformed);

        var signed = parts[0] + "." + parts[1];
        if (!CryptographicOperations.FixedTimeEquals(Mac(signed), given[..MacBytes]))
            return Refused(TokenRefusal.Forged);

        // Authentic from here on: the parts are what this bot wrote.
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || now.ToUnixTimeSeconds() >= expiry)
            return Refused(TokenRefusal.Expired);
        var scope = PageScope.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])));
        return scope is not null && scope.Page == page ? new(scope, null) : Refused(TokenRefusal.OutOfScope);
    }

    private byte[] Mac(string signed) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signed));

    private static TokenCheck Refused(TokenRefusal refusal) => new(null, refusal);
}
