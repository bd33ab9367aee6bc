using Mockingbird.Testing.Contracts;

namespace Mockingbird.Disputes.Tests;

public sealed class InMemoryDisputeVotersTests : DisputeVotersContract
{
    protected override Task<IDisputeVoters> CreateAsync() => Task.FromResult<IDisputeVoters>(new InMemoryDisputeVoters());
}
