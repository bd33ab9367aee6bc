using Mockingbird.Testing.Contracts;

namespace Mockingbird.Experiments.Tests;

public sealed class InMemoryExperimentStoreTests : ExperimentStoreContract
{
    protected override Task<IExperimentStore> CreateAsync() => Task.FromResult<IExperimentStore>(new InMemoryExperimentStore());
}
