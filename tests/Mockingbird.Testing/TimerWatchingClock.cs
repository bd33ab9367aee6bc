using Microsoft.Extensions.Time.Testing;

namespace Mockingbird.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that lets a test wait until the code under test has set a timer, so the clock is
/// moved only once something is waiting on it: advanced earlier, a timer set afterwards would count from the new time.
/// </summary>
public sealed class TimerWatchingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _unclaimed = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TimerWatchingClock()
        : this(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Set(dueTime);
        return timer;
    }

    /// <summary>Waits until a timer is set for exactly <paramref name="dueTime"/> (each timer is claimed once).</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime) =>
        WaitForTimerAsync(due => due == dueTime, $"a timer of {dueTime.TotalMilliseconds} ms");

    /// <summary>Waits until a timer is set whose due time matches, and returns that due time (each timer is claimed once).</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match, string what)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var deadline = new CancellationTokenSource(Deadline, TimeProvider.System);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var index = _unclaimed.FindIndex(due => match(due));
                if (index >= 0)
                {
                    var due = _unclaimed[index];
                    _unclaimed.RemoveAt(index);
                    return due;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Nothing set {what} within {Deadline.TotalSeconds} s.");
            }
        }
    }

    /// <summary>
    /// Awaits work that must finish without the clock moving (a wait it should refuse rather than sit out); fails
    /// loudly instead of hanging when it waits on the clock after all.
    /// </summary>
    public static async Task<T> WithoutAdvancingAsync<T>(Task<T> work, string what)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var deadline = new CancellationTokenSource(Deadline, TimeProvider.System);
        try
        {
            return await work.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{what} did not finish without the clock moving.");
        }
    }

    private void Set(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        TaskCompletionSource changed;
        lock (_gate)
        {
            _unclaimed.Add(dueTime);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private sealed class WatchedTimer(ITimer inner, TimerWatchingClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Set(dueTime);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
