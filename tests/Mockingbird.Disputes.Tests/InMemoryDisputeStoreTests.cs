using Mockingbird.Testing.Contracts;

namespace Mockingbird.Disputes.Tests;

public sealed class InMemoryDisputeStoreTests : DisputeStoreContract
{
    protected override Task<IDisputeStore> CreateAsync() => Task.FromResult<IDisputeStore>(new InMemoryDisputeStore());
}
