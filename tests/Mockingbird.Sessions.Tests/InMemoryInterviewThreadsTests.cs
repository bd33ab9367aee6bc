using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Sessions.Tests;

public sealed class InMemoryInterviewThreadsTests : InterviewThreadsContract
{
    private InMemoryInterviewThreads _threads = null!;

    protected override Task<IInterviewThreads> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        _threads = new InMemoryInterviewThreads(Microsoft.Extensions.Options.Options.Create(options), time);
        return Task.FromResult<IInterviewThreads>(_threads);
    }

    protected override async Task<TimeSpan?> TimeToLiveAsync(string candidateId)
    {
        // The in-memory store keeps no readable expiry: probe it with the clock instead.
        Time.Advance(TimeSpan.FromMinutes(59));
        var stillThere = await _threads.FindAsync(candidateId, default) is not null;
        Time.Advance(TimeSpan.FromMinutes(61));
        var goneAfter = await _threads.FindAsync(candidateId, default) is null;
        return stillThere && goneAfter ? TimeSpan.FromMinutes(59.5) : null;
    }
}
