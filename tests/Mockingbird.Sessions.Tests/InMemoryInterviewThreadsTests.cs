using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Sessions.Tests;

public sealed class InMemoryInterviewThreadsTests : InterviewThreadsContract
{
    protected override Task<IInterviewThreads> CreateAsync(SessionStoreOptions options, FakeTimeProvider time) =>
        Task.FromResult<IInterviewThreads>(new InMemoryInterviewThreads(Microsoft.Extensions.Options.Options.Create(options), time));
}
