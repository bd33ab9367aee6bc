using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Testing;

namespace Mockingbird.Chat.Tests.Stores;

public sealed class InMemoryInterviewThreadsTests : InterviewThreadsContract
{
    protected override Task<IInterviewThreads> CreateAsync(SessionStoreOptions options, FakeTimeProvider time) =>
        Task.FromResult<IInterviewThreads>(new InMemoryInterviewThreads(Microsoft.Extensions.Options.Options.Create(options), time));
}
