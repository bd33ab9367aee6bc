using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.StudyGroups.Tests;

public sealed class InMemoryStudyGroupStoreContractTests : StudyGroupStoreContract
{
    protected override Task<(IStudyGroupStore Store, IJudgingQueue Queue)> CreateAsync(StudyGroupOptions options, FakeTimeProvider time)
    {
        var queue = new InMemorySessionStore(Microsoft.Extensions.Options.Options.Create(new SessionStoreOptions()), time);
        return Task.FromResult<(IStudyGroupStore, IJudgingQueue)>((new InMemoryStudyGroupStore(queue, Microsoft.Extensions.Options.Options.Create(options), time), queue));
    }
}
