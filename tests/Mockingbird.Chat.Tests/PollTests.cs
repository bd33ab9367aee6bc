using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Testing;

namespace Mockingbird.Chat.Tests;

/// <summary>The shared wait for a condition: it ends when the condition holds and fails loudly at its deadline.</summary>
public sealed class PollTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_condition_still_false_at_the_deadline_fails_the_wait_naming_what_was_awaited()
    {
        var waiting = Poll.UntilAsync(() => false, "the first question", TimeSpan.FromSeconds(5), _time);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(waiting.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => waiting);
        Assert.Equal("Timed out after 5 s waiting for the first question.", error.Message);
    }

    [Fact]
    public async Task A_value_that_turns_up_before_the_deadline_ends_the_wait_and_is_returned()
    {
        string? parent = null;
        var waiting = Poll.ForAsync(() => Volatile.Read(ref parent), "the interview's parent message", TimeSpan.FromSeconds(5), _time);
        Assert.False(waiting.IsCompleted);

        Volatile.Write(ref parent, "1700000000.000100");
        _time.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal("1700000000.000100", await waiting);
    }

    [Fact]
    public async Task Work_told_to_stop_that_never_ends_fails_the_wait_naming_it_instead_of_hanging()
    {
        var never = new TaskCompletionSource();
        var waiting = Poll.EndsAsync(never.Task, "the stopped worker", TimeSpan.FromSeconds(5), _time);
        Assert.False(waiting.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => waiting);
        Assert.Equal("Timed out after 5 s waiting for the stopped worker to end.", error.Message);
    }

    [Fact]
    public async Task Work_that_ends_in_time_ends_the_wait_with_its_own_failure_if_it_failed()
    {
        var stopping = new TaskCompletionSource();
        var waiting = Poll.EndsAsync(stopping.Task, "the stopped worker", TimeSpan.FromSeconds(5), _time);

        stopping.SetException(new InvalidOperationException("the worker broke while stopping"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting);
        Assert.Equal("the worker broke while stopping", error.Message);
    }

    [Fact]
    public async Task Waiting_for_a_log_entry_that_never_comes_fails_naming_the_text()
    {
        using var logs = new RecordingLoggerProvider();
        logs.CreateLogger("test").Log(LogLevel.Information, default, "something else", null, (state, _) => state);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => logs.WaitForAsync("rate-limited", TimeSpan.Zero));

        Assert.Equal("Timed out after 0 s waiting for a log entry holding 'rate-limited'.", error.Message);
    }
}
