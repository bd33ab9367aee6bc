namespace Mockingbird.Chat;

/// <summary>
/// The store read a button may make before its form opens. Discord wants the modal as the first response to the press
/// within 3 seconds, and Slack lets the click's trigger id open one for 3 seconds; reading a draft or a turn takes
/// milliseconds, so the form opens holding it. Should the store be slow or down, the form opens without it once
/// <see cref="Budget"/> has passed, and its submission checks everything again.
/// </summary>
public static class FormReads
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The read's result, or the failure that stopped it: a <see cref="TimeoutException"/> once <see cref="Budget"/>
    /// has passed, whether or not the store heeds its token (a Redis client queues commands while it reconnects and
    /// answers only after its own timeout, seconds past the platforms' deadlines). Cancellation by
    /// <paramref name="cancellationToken"/> is thrown.
    /// </summary>
    public static async Task<(T? Value, Exception? Failure)> WithinBudgetAsync<T>(Func<CancellationToken, Task<T>> read, TimeProvider time, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var reading = read(budget.Token);

            // A read given up on may still fail later: seen here, that is not an unobserved task exception.
            _ = reading.ContinueWith(static late => _ = late.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return (await reading.WaitAsync(Budget, time, cancellationToken), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await budget.CancelAsync();
            return (null, ex);
        }
    }
}
