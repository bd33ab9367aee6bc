using Microsoft.Extensions.Time.Testing;
using Mockingbird.Platforms.Sockets;
using Mockingbird.Testing;

namespace Mockingbird.Platforms.Tests.Sockets;

public sealed class ReconnectingSocketTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public void Backoff_doubles_up_to_the_cap_with_jitter_and_starts_over_after_a_good_connection()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), new Random(12));
        double[] caps = [1, 2, 4, 8, 8, 8];

        var delays = caps.Select(_ => backoff.Next().TotalSeconds).ToList();

        Assert.All(caps.Zip(delays), pair => Assert.InRange(pair.Second, pair.First / 2, pair.First));
        var fractions = caps.Zip(delays, (cap, delay) => delay / cap).ToList();
        Assert.True(fractions.Distinct().Count() > 1, "every wait was the same fraction of its cap: no jitter");
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0.5, 1);
    }

    [Fact]
    public async Task Handler_slots_let_no_more_handlers_run_at_once_than_there_are_slots()
    {
        using var socket = new ReconnectingSocket(new ReconnectingSocketOptions { HandlerSlots = 2 }, new FakeTimeProvider());
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int running = 0;
        int mostAtOnce = 0;
        int finished = 0;

        var handlers = Enumerable.Range(0, 5).Select(_ => socket.StartHandler(() => socket.Slots.RunAsync(
            async () =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref mostAtOnce, now);
                await gate.Task;
                Interlocked.Decrement(ref running);
                Interlocked.Increment(ref finished);
            },
            socket.HandlersStopping))).ToList();
        await Poll.UntilAsync(() => Volatile.Read(ref running) == 2, "two handlers in their slots");
        Assert.Equal(0, socket.Slots.Available);
        gate.SetResult();
        await Task.WhenAll(handlers).WaitAsync(Deadline, TimeProvider.System);

        Assert.Equal(5, finished);
        Assert.Equal(2, mostAtOnce);
        Assert.Equal(2, socket.Slots.Available);
    }

    [Fact]
    public async Task Stopping_waits_for_running_handlers_then_cancels_the_handler_token()
    {
        var time = new FakeTimeProvider();
        using var socket = new ReconnectingSocket(new ReconnectingSocketOptions { HandlerDrainTimeout = TimeSpan.FromSeconds(10) }, time);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = socket.StartHandler(() => gate.Task);

        var draining = socket.DrainHandlersAsync();
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(draining.IsCompleted, "the drain ended while a handler was still running");
        Assert.False(socket.HandlersStopping.IsCancellationRequested);
        gate.SetResult();

        Assert.Equal(0, await draining.WaitAsync(Deadline, TimeProvider.System));
        Assert.True(handler.IsCompletedSuccessfully);
        Assert.True(socket.HandlersStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task Handlers_still_running_at_the_drain_timeout_are_cancelled_and_counted()
    {
        var time = new FakeTimeProvider();
        using var socket = new ReconnectingSocket(new ReconnectingSocketOptions { HandlerDrainTimeout = TimeSpan.FromSeconds(10) }, time);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopping = socket.HandlersStopping;
        var handler = socket.StartHandler(async () =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, stopping);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
            }
        });

        var draining = socket.DrainHandlersAsync();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, await draining.WaitAsync(Deadline, TimeProvider.System));
        await cancelled.Task.WaitAsync(Deadline, TimeProvider.System);
        await handler.WaitAsync(Deadline, TimeProvider.System);
    }

    [Fact]
    public async Task Connected_signal_is_up_while_any_connection_is_and_fails_waiters_once_stopped()
    {
        using var socket = new ReconnectingSocket(new ReconnectingSocketOptions(), new FakeTimeProvider());
        using var first = new PlatformSocket(1024, TimeProvider.System);
        using var second = new PlatformSocket(1024, TimeProvider.System);
        var waiting = socket.WaitUntilConnectedAsync(CancellationToken.None);
        Assert.False(socket.IsConnected);
        Assert.False(waiting.IsCompleted);

        Assert.True(socket.MarkConnected(first));
        Assert.False(socket.MarkConnected(first));
        await waiting.WaitAsync(Deadline, TimeProvider.System);
        socket.MarkConnected(second);
        socket.MarkDisconnected(first);
        Assert.True(socket.IsConnected, "one connection is still up");
        socket.MarkDisconnected(second);
        socket.MarkDisconnected(second);

        Assert.False(socket.IsConnected);
        Assert.Equal(0, socket.OpenConnections);
        Assert.Equal(2, socket.ConnectionsOpened);
        var next = socket.WaitUntilConnectedAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        socket.MarkStopped("stopped");
        await Assert.ThrowsAsync<InvalidOperationException>(() => next.WaitAsync(Deadline, TimeProvider.System));
        await Assert.ThrowsAsync<InvalidOperationException>(() => socket.WaitUntilConnectedAsync(CancellationToken.None));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
