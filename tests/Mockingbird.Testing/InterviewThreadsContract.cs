using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Sessions;
using Mockingbird.Sessions;
using Xunit;

namespace Mockingbird.Testing;

/// <summary>What every <see cref="IInterviewThreads"/> must do; the in-memory and Redis implementations both run it.</summary>
public abstract class InterviewThreadsContract : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    protected SessionStoreOptions Options { get; } = new() { ThreadRetention = TimeSpan.FromSeconds(2) };

    protected IInterviewThreads Threads { get; private set; } = null!;

    public async Task InitializeAsync() => Threads = await CreateAsync(Options, Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IInterviewThreads> CreateAsync(SessionStoreOptions options, FakeTimeProvider time);

    /// <summary>Lets time pass for the store: the fake clock, and real time for a server with its own clock.</summary>
    protected abstract Task ElapseAsync(TimeSpan duration);

    [Fact]
    public async Task A_candidates_thread_is_found_after_it_is_set_and_a_new_one_replaces_it()
    {
        await Threads.SetAsync("c-1", "thread-1", default);
        await Threads.SetAsync("c-1", "thread-2", default);

        Assert.Equal("thread-2", await Threads.FindAsync("c-1", default));
        Assert.Null(await Threads.FindAsync("c-2", default));
    }

    [Fact]
    public async Task A_removed_thread_is_gone_and_removing_it_again_reports_nothing_removed()
    {
        await Threads.SetAsync("c-1", "thread-1", default);

        Assert.True(await Threads.RemoveAsync("c-1", default));
        Assert.False(await Threads.RemoveAsync("c-1", default));
        Assert.Null(await Threads.FindAsync("c-1", default));
    }

    [Fact]
    public async Task A_thread_is_kept_for_the_retention_period_and_finding_it_starts_the_period_again()
    {
        await Threads.SetAsync("c-1", "thread-1", default);

        await ElapseAsync(TimeSpan.FromMilliseconds(1200));
        var found = await Threads.FindAsync("c-1", default);
        await ElapseAsync(TimeSpan.FromMilliseconds(1200));
        var foundAgain = await Threads.FindAsync("c-1", default);
        await ElapseAsync(TimeSpan.FromMilliseconds(2400));

        Assert.Equal("thread-1", found);
        Assert.Equal("thread-1", foundAgain);
        Assert.Null(await Threads.FindAsync("c-1", default));
    }
}
