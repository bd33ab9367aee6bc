using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Sessions.Tests;

public sealed class InMemorySessionStoreTests : SessionStoreContract
{
    private InMemorySessionStore _store = null!;

    protected override Task<(ISessionStore Store, IJudgingQueue Queue)> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        _store = new InMemorySessionStore(Microsoft.Extensions.Options.Options.Create(options), time);
        return Task.FromResult<(ISessionStore, IJudgingQueue)>((_store, _store));
    }

    protected override Task ElapseAsync(TimeSpan duration)
    {
        Time.Advance(duration);
        return Task.CompletedTask;
    }

    protected override Task<IReadOnlyList<(JudgeJob Job, string Reason)>> DeadLettersAsync() => Task.FromResult(_store.DeadLetters);

    [Fact]
    public async Task A_session_left_idle_past_the_timeout_is_gone_and_reading_it_restarts_the_clock()
    {
        await Store.WriteAsync(new SessionWrite(Session(), 0), default);
        Time.Advance(Options.IdleTimeout - TimeSpan.FromMinutes(1));
        Assert.NotNull(await Store.FindActiveAsync("c-1", default));

        Time.Advance(Options.IdleTimeout - TimeSpan.FromMinutes(1));
        Assert.NotNull(await Store.FindActiveAsync("c-1", default));

        Time.Advance(Options.IdleTimeout + TimeSpan.FromMinutes(1));
        Assert.Null(await Store.FindActiveAsync("c-1", default));
    }
}
