using Mockingbird.Experiments;

namespace Mockingbird.Chat.Experiments;

/// <summary>What experiments keep about a person, reached by forget-me. An opt-out stays: it is their instruction.</summary>
public sealed class ExperimentMemory(IExperimentStore store) : IPersonalDataKeeper
{
    public string What => "experiment votes and interview outcomes";

    public Task<int> ForgetAsync(string personId, CancellationToken cancellationToken) => store.ForgetAsync(personId, cancellationToken);
}
