namespace Mockingbird.Disputes;

/// <summary>
/// Who has opted in to score disputed answers, and where. An opt-in holds for one server or workspace (a place, as
/// <c>discord:&lt;guild id&gt;</c> or <c>slack:&lt;team id&gt;</c>): a voter is shown only answers given there, so
/// someone who invites the bot to a server of their own reads nothing from anyone else's.
/// </summary>
public interface IDisputeVoters
{
    Task<bool> IsOptedInAsync(string personId, string place, CancellationToken cancellationToken);

    /// <returns>True when this changed the person's choice in that place.</returns>
    Task<bool> SetOptedInAsync(string personId, string place, bool optedIn, CancellationToken cancellationToken);

    /// <summary>Forget-me: the person's opt-ins in every place.</summary>
    /// <returns>How many opt-ins went.</returns>
    Task<int> ForgetAsync(string personId, CancellationToken cancellationToken);
}

public sealed class InMemoryDisputeVoters : IDisputeVoters
{
    private readonly Lock _gate = new();
    private readonly HashSet<(string Person, string Place)> _optedIn = [];

    public Task<bool> IsOptedInAsync(string personId, string place, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_optedIn.Contains((personId, place)));
        }
    }

    public Task<bool> SetOptedInAsync(string personId, string place, bool optedIn, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(optedIn ? _optedIn.Add((personId, place)) : _optedIn.Remove((personId, place)));
        }
    }

    public Task<int> ForgetAsync(string personId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_optedIn.RemoveWhere(o => o.Person == personId));
        }
    }
}
