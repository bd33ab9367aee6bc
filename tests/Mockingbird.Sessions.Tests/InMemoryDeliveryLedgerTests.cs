using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Sessions.Tests;

public sealed class InMemoryDeliveryLedgerTests : DeliveryLedgerContract
{
    protected override Task<IDeliveryLedger> CreateAsync(SessionStoreOptions options, FakeTimeProvider time) =>
        Task.FromResult<IDeliveryLedger>(new InMemoryDeliveryLedger(Microsoft.Extensions.Options.Options.Create(options), time));

    protected override Task ElapseAsync(TimeSpan duration)
    {
        Time.Advance(duration);
        return Task.CompletedTask;
    }
}
