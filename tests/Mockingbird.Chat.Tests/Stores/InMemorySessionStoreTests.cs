using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Chat.Tests.Stores;

public sealed class InMemorySessionStoreTests : SessionStoreContract
{
    private InMemorySessionStore _store = null!;

    protected override Task<(ISessionStore Store, IJudgingQueue Queue)> CreateAsync(SessionStoreOptions options, FakeTimeProvider time)
    {
        _store = new InMemorySessionStore(Microsoft.Extensions.Options.Options.Create(options), time);
        return Task.FromResult<(ISessionStore, IJudgingQueue)>((_store, _store));
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

    [Fact]
    public async Task Feedback_saved_by_a_writer_that_died_is_free_to_post_when_its_job_is_reclaimed_with_only_the_reclaim_timeout_set()
    {
        var options = new SessionStoreOptions { ReclaimAfter = TimeSpan.FromSeconds(3) };
        var store = new InMemorySessionStore(Microsoft.Extensions.Options.Options.Create(options), Time);
        var job = new JudgeJob("c-1", "s-1", 1);
        await store.WriteAsync(new SessionWrite(Session(), 0, Jobs: [job], Delivery: new PendingDelivery(job.DeliveryKey, [new PostNotice("feedback")])), default);
        Assert.Single(await store.TakeAsync("dead-writer", 10, default));

        Time.Advance(options.ReclaimAfter + TimeSpan.FromMilliseconds(200));
        Assert.Single(await store.TakeAsync("next", 10, default));
        var claim = await store.ClaimDeliveryAsync("c-1", job.DeliveryKey, default);

        Assert.False(claim.HeldElsewhere);
        Assert.Equal("feedback", Assert.IsType<PostNotice>(Assert.Single(claim.Delivery!.Actions)).Text);
    }
}
