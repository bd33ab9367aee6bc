using System.Globalization;

namespace Mockingbird.Testing;

/// <summary>
/// Waiting for what another thread or process does: a condition is polled until a deadline, and the deadline fails
/// the test with what was awaited, so a wait can neither hang a run nor pass by giving up quietly.
/// </summary>
public static class Poll
{
    /// <summary>Long enough for a busy shared machine; a test that expects less says so.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <param name="what">What is awaited, as the failure message should name it: "the first question".</param>
    /// <param name="time">The clock the deadline is kept on; the system's unless a test of this very helper moves it.</param>
    /// <param name="between">Run between looks: moves a fake clock on for a loop that sleeps on it.</param>
    /// <exception cref="TimeoutException">The deadline passed with the condition still false.</exception>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeProvider? time = null, Action? between = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), what, timeout, time, between);
    }

    /// <inheritdoc cref="UntilAsync(Func{bool}, string, TimeSpan?, TimeProvider?, Action?)"/>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeProvider? time = null, Action? between = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return ForAsync(async () => await condition() ? what : null, what, timeout, time, between);
    }

    /// <summary>
    /// Waits for work that was told to stop (a worker whose token was cancelled, say) to finish, so that one that
    /// never does fails its test instead of hanging the whole run.
    /// </summary>
    /// <exception cref="TimeoutException">The deadline passed with the work still running.</exception>
    public static async Task EndsAsync(Task running, string what, TimeSpan? timeout = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(running);
        var limit = timeout ?? DefaultTimeout;
        try
        {
            await running.WaitAsync(limit, time ?? TimeProvider.System);
        }
        catch (TimeoutException) when (!running.IsCompleted)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Timed out after {limit.TotalSeconds:0.###} s waiting for {what} to end."));
        }
    }

    /// <summary>Waits until <paramref name="value"/> gives something, and returns it.</summary>
    public static Task<T> ForAsync<T>(Func<T?> value, string what, TimeSpan? timeout = null, TimeProvider? time = null, Action? between = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        return ForAsync(() => Task.FromResult(value()), what, timeout, time, between);
    }

    /// <inheritdoc cref="ForAsync{T}(Func{T}, string, TimeSpan?, TimeProvider?, Action?)"/>
    public static async Task<T> ForAsync<T>(Func<Task<T?>> value, string what, TimeSpan? timeout = null, TimeProvider? time = null, Action? between = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        time ??= TimeProvider.System;
        var limit = timeout ?? DefaultTimeout;
        var started = time.GetTimestamp();
        while (true)
        {
            if (await value() is { } found)
            {
                return found;
            }

            if (time.GetElapsedTime(started) >= limit)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Timed out after {limit.TotalSeconds:0.###} s waiting for {what}."));
            }

            await Task.Delay(Interval, time);
            between?.Invoke();
        }
    }
}
