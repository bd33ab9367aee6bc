using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Xunit;

namespace Mockingbird.Testing;

/// <summary>What every <see cref="IInterviewThreads"/> must do; the in-memory and Redis implementations both run it.</summary>
public abstract class InterviewThreadsContract : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// A retention of a day, on the fake clock for every store: far longer than a test runs, so a server's own key
    /// expiry never decides a test.
    /// </summary>
    protected SessionStoreOptions Options { get; } = new() { ThreadRetention = TimeSpan.FromDays(1) };

    protected IInterviewThreads Threads { get; private set; } = null!;

    public async Task InitializeAsync() => Threads = await CreateAsync(Options, Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IInterviewThreads> CreateAsync(SessionStoreOptions options, FakeTimeProvider time);

    [Fact]
    public async Task A_candidates_thread_is_found_after_it_is_set_and_a_new_one_replaces_it()
    {
        await Threads.SetAsync("c-1", "thread-1", default);
        await Threads.SetAsync("c-1", "thread-2", default);

        Assert.Equal("thread-2", await Threads.FindAsync("c-1", default));
        Assert.Null(await Threads.FindAsync("c-2", default));
    }

    [Fact]
    public async Task A_thread_set_only_while_the_candidate_has_none_is_refused_while_one_is_kept_and_set_once_it_has_expired()
    {
        Assert.True(await Threads.SetIfAbsentAsync("c-1", "thread-1", default));
        Assert.False(await Threads.SetIfAbsentAsync("c-1", "thread-2", default));
        Assert.Equal("thread-1", await Threads.FindAsync("c-1", default));

        Time.Advance(Options.ThreadRetention);

        Assert.True(await Threads.SetIfAbsentAsync("c-1", "thread-3", default));
        Assert.Equal("thread-3", await Threads.FindAsync("c-1", default));
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
    public async Task Letting_go_of_a_thread_forgets_it_and_its_mark_only_while_it_is_still_the_candidates()
    {
        await Threads.SetAsync("c-1", "thread-1", default);
        await Threads.SetAsync("c-1", "thread-2", default);
        await Threads.MarkReadAsync(new InterviewThreadMark("c-1", "thread-2", "guild-1", "10"), default);

        var olderLetGo = await Threads.RemoveIfCurrentAsync("c-1", "thread-1", default);
        var marksKept = await Threads.ListMarksAsync(default);
        var stillHeld = await Threads.FindAsync("c-1", default);
        var currentLetGo = await Threads.RemoveIfCurrentAsync("c-1", "thread-2", default);
        var afterwards = await Threads.FindAsync("c-1", default);
        await Threads.SetAsync("c-1", "thread-2", default);

        Assert.False(olderLetGo);
        Assert.Equal([new InterviewThreadMark("c-1", "thread-2", "guild-1", "10")], marksKept);
        Assert.Equal("thread-2", stillHeld);
        Assert.True(currentLetGo);
        Assert.Null(afterwards);
        Assert.Empty(await Threads.ListMarksAsync(default));
        Assert.False(await Threads.RemoveIfCurrentAsync("c-2", "thread-2", default));
    }

    [Fact]
    public async Task Letting_go_of_a_thread_keeps_the_mark_of_the_next_one_marked_as_it_opens_before_it_is_set()
    {
        await Threads.SetAsync("c-1", "thread-1", default);
        await Threads.MarkReadAsync(new InterviewThreadMark("c-1", "thread-2", "guild-1", "20"), default);

        var letGo = await Threads.RemoveIfCurrentAsync("c-1", "thread-1", default);
        await Threads.SetAsync("c-1", "thread-2", default);

        Assert.True(letGo);
        Assert.Equal([new InterviewThreadMark("c-1", "thread-2", "guild-1", "20")], await Threads.ListMarksAsync(default));
    }

    [Fact]
    public async Task A_thread_is_kept_for_the_retention_period_and_finding_it_starts_the_period_again()
    {
        await Threads.SetAsync("c-1", "thread-1", default);

        Time.Advance(Options.ThreadRetention * 0.6);
        var found = await Threads.FindAsync("c-1", default);
        Time.Advance(Options.ThreadRetention * 0.6);
        var foundAgain = await Threads.FindAsync("c-1", default);
        Time.Advance(Options.ThreadRetention * 1.2);

        Assert.Equal("thread-1", found);
        Assert.Equal("thread-1", foundAgain);
        Assert.Null(await Threads.FindAsync("c-1", default));
    }

    [Fact]
    public async Task A_mark_of_the_same_thread_only_moves_forward_and_one_of_a_new_thread_replaces_it()
    {
        await Threads.SetAsync("c-1", "thread-1", default);
        await Threads.MarkReadAsync(new InterviewThreadMark("c-1", "thread-1", "guild-1", "1100"), default);
        await Threads.MarkReadAsync(new InterviewThreadMark("c-1", "thread-1", "guild-1", "999"), default);
        await Threads.MarkReadAsync(new InterviewThreadMark("c-1", "thread-1", "guild-1", "1099"), default);
        var forward = await Threads.ListMarksAsync(default);

        await Threads.SetAsync("c-1", "thread-2", default);
        await Threads.MarkReadAsync(new InterviewThreadMark("c-1", "thread-2", "guild-1", "20"), default);

        Assert.Equal([new InterviewThreadMark("c-1", "thread-1", "guild-1", "1100")], forward);
        Assert.Equal([new InterviewThreadMark("c-1", "thread-2", "guild-1", "20")], await Threads.ListMarksAsync(default));
    }

    [Fact]
    public async Task Only_marks_of_threads_still_held_by_their_candidate_are_listed()
    {
        await Threads.SetAsync("held", "thread-1", default);
        await Threads.MarkReadAsync(new InterviewThreadMark("held", "thread-1", "guild-1", "10"), default);
        await Threads.SetAsync("moved-on", "thread-3", default);
        await Threads.MarkReadAsync(new InterviewThreadMark("moved-on", "thread-2", "guild-1", "10"), default);
        await Threads.SetAsync("released", "thread-4", default);
        await Threads.MarkReadAsync(new InterviewThreadMark("released", "thread-4", "guild-2", "10"), default);
        await Threads.MarkReadAsync(new InterviewThreadMark("never-held", "thread-5", "guild-2", "10"), default);

        await Threads.RemoveAsync("released", default);
        await Threads.SetAsync("released", "thread-4", default);

        Assert.Equal(["held"], (await Threads.ListMarksAsync(default)).Select(m => m.CandidateId));
    }

    [Fact]
    public async Task A_mark_goes_with_its_expired_thread_and_listing_does_not_keep_a_thread()
    {
        await Threads.SetAsync("c-1", "thread-1", default);
        await Threads.MarkReadAsync(new InterviewThreadMark("c-1", "thread-1", "guild-1", "10"), default);

        Time.Advance(Options.ThreadRetention * 0.6);
        var listed = await Threads.ListMarksAsync(default);
        Time.Advance(Options.ThreadRetention * 0.6);

        Assert.Single(listed);
        Assert.Empty(await Threads.ListMarksAsync(default));
        await Threads.SetAsync("c-1", "thread-1", default);
        Assert.Empty(await Threads.ListMarksAsync(default));
    }
}
