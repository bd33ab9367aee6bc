namespace Mockingbird.Disputes;

/// <summary>
/// Who has opted in to score disputed answers. Study groups keep their members' choices and will implement this;
/// until then the in-memory list stands in.
/// </summary>
public interface IDisputeVoters
{
    Task<bool> IsOptedInAsync(string personId, CancellationToken cancellationToken);

    /// <returns>True when this changed the person's choice.</returns>
    Task<bool> SetOptedInAsync(string personId, bool optedIn, CancellationToken cancellationToken);
}

public sealed class InMemoryDisputeVoters : IDisputeVoters
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _optedIn = new(StringComparer.Ordinal);

    public Task<bool> IsOptedInAsync(string personId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_optedIn.Contains(personId));
        }
    }

    public Task<bool> SetOptedInAsync(string personId, bool optedIn, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(optedIn ? _optedIn.Add(personId) : _optedIn.Remove(personId));
        }
    }
}
