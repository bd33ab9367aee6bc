using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Chat.Tests.Stores;

public sealed class InMemoryJudgingPipelineTests : JudgingPipelineContract
{
    protected override Task<(ISessionStore Store, IJudgingQueue Queue)> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        var store = new InMemorySessionStore(Microsoft.Extensions.Options.Options.Create(options), time);
        return Task.FromResult<(ISessionStore, IJudgingQueue)>((store, store));
    }

    protected override Task<IDeliveryLedger> CreateLedgerAsync(SessionStoreOptions options, FakeTimeProvider time) =>
        Task.FromResult<IDeliveryLedger>(new InMemoryDeliveryLedger(Microsoft.Extensions.Options.Options.Create(options), time));
}
