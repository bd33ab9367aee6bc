namespace Mockingbird.Chat;

/// <summary>
/// Whether the person behind one request manages the place it came from (a Discord server, a Slack workspace), as
/// the platform says. A platform adapter makes one per request; it is asked only for admin commands, so a platform
/// that needs a call to know pays for it only then.
/// </summary>
public interface IAdminCheck
{
    /// <summary>The server or workspace the request came from, as <c>discord:&lt;guild id&gt;</c> or <c>slack:&lt;team id&gt;</c>; null in a direct message.</summary>
    string? Place { get; }

    Task<bool> ManagesAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The servers and workspaces whose admins may run the experiment commands. Experiments are the whole bot's, not one
/// server's: without this list anyone able to invite the bot to a server of their own would manage that server and
/// could stop arms and read every experiment. Empty means no place may.
/// </summary>
public sealed record ExperimentAdminPlaces(IReadOnlySet<string> Places)
{
    public static ExperimentAdminPlaces None { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    public bool Allows(string? place) => place is not null && Places.Contains(place);
}
