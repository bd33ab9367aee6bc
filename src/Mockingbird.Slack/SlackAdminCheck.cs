using Mockingbird.Chat;
using Mockingbird.Slack.Daily;
using Mockingbird.Slack.Web;

namespace Mockingbird.Slack;

/// <summary>
/// A Slack admin is an admin or owner of the workspace the command came from, as <c>users.info</c> says when asked:
/// only admin commands ask, so every other command costs no call.
/// </summary>
internal sealed class SlackAdminCheck(ISlackWebApi web, string userId, string? teamId) : IAdminCheck
{
    public string? Place => PlaceOf(teamId);

    /// <summary>A workspace as <see cref="IAdminCheck.Place"/> names it; null when Slack did not say which.</summary>
    public static string? PlaceOf(string? teamId) => teamId is { Length: > 0 } team ? $"slack:{team}" : null;

    public Task<bool> ManagesAsync(CancellationToken cancellationToken) => SlackDailyAccess.IsWorkspaceAdminAsync(web, userId, teamId, cancellationToken);
}
