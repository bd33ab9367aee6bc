namespace Mockingbird.Testing;

/// <summary>
/// Waits for something that happens on another thread. Real time only bounds the wait, so that a test that would
/// hang fails instead, saying what it waited for; the timing under test runs on a fake clock.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(5);

    /// <param name="what">What is awaited, as the end of "Timed out waiting until …".</param>
    /// <param name="nudge">Run between looks: moves a fake clock on for a loop that sleeps on it.</param>
    public static Task UntilAsync(Func<bool> condition, string what, Action? nudge = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, nudge);

    /// <inheritdoc cref="UntilAsync(Func{bool}, string, Action?)"/>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, Action? nudge = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = TimeProvider.System.GetUtcNow() + Deadline;
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(Pause, TimeProvider.System);
            nudge?.Invoke();
        }
    }
}
