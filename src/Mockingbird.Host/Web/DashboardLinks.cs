using Microsoft.Extensions.Options;
using Mockingbird.Chat.Web;

namespace Mockingbird.Host.Web;

/// <summary>The links the bot sends privately: each signed for one page and one person, and expiring.</summary>
internal sealed class DashboardLinks(IOptions<WebOptions> options, PageTokens tokens, TimeProvider time) : IDashboardLinks
{
    private readonly WebOptions _options = options.Value;

    public bool Enabled => true;

    /// <summary>The candidate's lifetime: the one the chat reply states. An admin's link lasts <see cref="WebOptions.DashboardLinkLifetime"/>.</summary>
    public TimeSpan DashboardLifetime => _options.DashboardLinkLifetime;

    public TimeSpan ProgressLifetime => _options.ProgressLinkLifetime;

    public Uri ForDashboard(string adminId) =>
        Link(WebPages.DashboardPath, new PageScope(WebPage.Dashboard, adminId), _options.DashboardLinkLifetime);

    public Uri ForProgress(string candidateId) =>
        Link(WebPages.ProgressPath, new PageScope(WebPage.Progress, candidateId), _options.ProgressLinkLifetime);

    private Uri Link(string path, PageScope scope, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope.Subject);
        var token = tokens.Issue(scope, time.GetUtcNow() + lifetime);
        return new Uri(_options.BaseUrl!, $"{path.TrimStart('/')}?{WebPages.TokenParameter}={token}");
    }
}
