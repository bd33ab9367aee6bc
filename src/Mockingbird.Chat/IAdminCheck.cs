namespace Mockingbird.Chat;

/// <summary>
/// Whether the person behind one request manages the place it came from (a Discord server, a Slack workspace), as
/// the platform says. A platform adapter makes one per request; it is asked only for admin commands, so a platform
/// that needs a call to know pays for it only then.
/// </summary>
public interface IAdminCheck
{
    Task<bool> ManagesAsync(CancellationToken cancellationToken);
}
