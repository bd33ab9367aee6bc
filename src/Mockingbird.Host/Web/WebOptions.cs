using System.ComponentModel.DataAnnotations;
using System.Text;

namespace Mockingbird.Host.Web;

/// <summary>
/// The web page the bot serves: off unless <see cref="Enabled"/>. Nobody browses to it; the bot sends each person a
/// signed link that opens only their page and stops working after its lifetime.
/// </summary>
public sealed class WebOptions : IValidatableObject
{
    public const string Section = "Web";

    /// <summary>The shortest key accepted: HMAC-SHA256 is only as strong as its key, up to its 32-byte output.</summary>
    public const int MinimumKeyBytes = 32;

    public bool Enabled { get; set; }

    /// <summary>The absolute URL the links start with, as people reach the bot, e.g. <c>https://mockingbird.example.com/</c>.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Signs the links: at least 32 bytes (as UTF-8), e.g. the output of <c>openssl rand -base64 48</c>. Set it from a
    /// secret store or <c>MOCKINGBIRD_Web__SigningKey</c>; changing it voids every link already sent.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a candidate's progress link works: long enough to open it the next day.</summary>
    public TimeSpan ProgressLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an admin's dashboard link works: shorter, as it shows every experiment.</summary>
    public TimeSpan DashboardLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    internal Uri? BaseUrl =>
        Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            ? new Uri(uri.AbsoluteUri.EndsWith('/') ? uri.AbsoluteUri : uri.AbsoluteUri + "/")
            : null;

    internal byte[] Key => Encoding.UTF8.GetBytes(SigningKey ?? string.Empty);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
            yield break;
        if (string.IsNullOrWhiteSpace(PublicBaseUrl))
            yield return new("Web:PublicBaseUrl is required when Web:Enabled is true: the absolute http(s) URL people reach the bot at, such as https://mockingbird.example.com/.", [nameof(PublicBaseUrl)]);
        else if (BaseUrl is null)
            yield return new("Web:PublicBaseUrl must be an absolute http(s) URL without a query or fragment, such as https://mockingbird.example.com/.", [nameof(PublicBaseUrl)]);

        // The key itself never appears in a message: only whether it is there and long enough.
        if (string.IsNullOrEmpty(SigningKey))
            yield return new($"Web:SigningKey is required when Web:Enabled is true: at least {MinimumKeyBytes} bytes, e.g. from `openssl rand -base64 48`, set from a secret (MOCKINGBIRD_Web__SigningKey).", [nameof(SigningKey)]);
        else if (Key.Length < MinimumKeyBytes)
            yield return new($"Web:SigningKey is too short: it needs at least {MinimumKeyBytes} bytes, e.g. from `openssl rand -base64 48`.", [nameof(SigningKey)]);

        if (ProgressLinkLifetime <= TimeSpan.Zero || ProgressLinkLifetime > TimeSpan.FromDays(30))
            yield return new("Web:ProgressLinkLifetime must be more than zero and at most 30 days, such as 24:00:00.", [nameof(ProgressLinkLifetime)]);
        if (DashboardLinkLifetime <= TimeSpan.Zero || DashboardLinkLifetime > TimeSpan.FromDays(30))
            yield return new("Web:DashboardLinkLifetime must be more than zero and at most 30 days, such as 01:00:00.", [nameof(DashboardLinkLifetime)]);
    }
}
