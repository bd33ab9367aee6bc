using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Testing;

namespace Mockingbird.Platforms.Tests;

public sealed class AcknowledgedWorkTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Stopping_waits_for_work_in_flight_through_the_grace_then_cancels_it()
    {
        var work = new AcknowledgedWork(_time, NullLogger<AcknowledgedWork>.Instance);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Start(async stopping =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _time, stopping);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
            }
        });
        await started.Task;

        var stopped = work.DisposeAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(stopped.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(() => stopped.IsCompleted && cancelled.Task.IsCompleted, "stopping to cancel the work at the end of the grace");
    }
}
