namespace Mockingbird.Chat.Web;

/// <summary>
/// Signed, expiring links to the bot's web pages, sent privately in chat. A link opens only the page it was made
/// for: the experiments dashboard for an admin, one candidate's own progress page for that candidate.
/// </summary>
public interface IDashboardLinks
{
    /// <summary>False when the web page is off: the commands then say so instead of sending a link.</summary>
    bool Enabled { get; }

    /// <summary>How long an admin's dashboard link works after it is made.</summary>
    TimeSpan DashboardLifetime { get; }

    /// <summary>How long a candidate's progress link works after it is made.</summary>
    TimeSpan ProgressLifetime { get; }

    Uri ForDashboard(string adminId);

    Uri ForProgress(string candidateId);
}

/// <summary>The links of a bot whose web page is off.</summary>
public sealed class NoDashboardLinks : IDashboardLinks
{
    public bool Enabled => false;

    public TimeSpan DashboardLifetime => TimeSpan.Zero;

    public TimeSpan ProgressLifetime => TimeSpan.Zero;

    public Uri ForDashboard(string adminId) => throw new InvalidOperationException("The web page is off.");

    public Uri ForProgress(string candidateId) => throw new InvalidOperationException("The web page is off.");
}
