using Microsoft.Extensions.Time.Testing;

namespace Mockingbird.Sessions.Redis.Tests;

public sealed class PendingCompletionsTests
{
    [Fact]
    public void Kept_completions_are_sent_when_their_time_comes()
    {
        var clock = new FakeTimeProvider();
        var sends = 0;
        using var pending = new PendingCompletions(2, clock, _ => sends++);

        pending.Add(1, new PendingCompletion("1-0", "c", "d"), TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, sends);
    }

    [Fact]
    public void Completions_put_back_after_the_store_closed_are_not_retried_against_it()
    {
        var clock = new FakeTimeProvider();
        var sends = 0;
        var pending = new PendingCompletions(2, clock, _ => sends++);
        pending.Dispose();

        pending.PutBack(0, [new PendingCompletion("1-0", "c", "d")], TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, sends);
        Assert.Equal(1, pending.Count);
    }
}
