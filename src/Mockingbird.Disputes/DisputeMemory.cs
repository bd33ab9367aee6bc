using Mockingbird.Chat;

namespace Mockingbird.Disputes;

/// <summary>Forget-me for contestable scores: the person's disputes, their votes and their choice to vote.</summary>
public sealed class DisputeMemory(IDisputeStore store, IDisputeVoters voters) : IPersonalDataKeeper
{
    public string What => "disputed scores and votes on them";

    public async Task<int> ForgetAsync(string personId, CancellationToken cancellationToken)
    {
        var forgotten = await store.ForgetAsync(personId, cancellationToken);
        return forgotten + await voters.ForgetAsync(personId, cancellationToken);
    }
}
