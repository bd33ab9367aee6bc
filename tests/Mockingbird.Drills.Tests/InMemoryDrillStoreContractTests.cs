using Mockingbird.Testing;

namespace Mockingbird.Drills.Tests;

public sealed class InMemoryDrillStoreContractTests : DrillStoreContract
{
    protected override Task<IDrillStore> CreateAsync() => Task.FromResult<IDrillStore>(new InMemoryDrillStore());
}
