using Microsoft.Extensions.DependencyInjection;
using Mockingbird.Chat.Stores;
using Mockingbird.Experiments;
using Mockingbird.Host.Experiments;
using Mockingbird.Testing;

namespace Mockingbird.Host.Tests.Experiments;

public sealed class ExperimentControlRefresherTests
{
    [Fact]
    public async Task The_copy_is_read_at_start_at_once_on_a_change_signal_and_on_the_timer_in_case_a_signal_was_missed()
    {
        var clock = new TimerWatchingClock();
        var (platform, _) = GuardedExperiment.Platform();
        var copy = new RecordingCopy();
        var services = GuardedExperiment.Replica(clock, platform.Object);
        services.AddInMemorySessionStore();
        services.AddSingleton<IExperimentControlRefresh>(copy);
        await using var replica = services.BuildServiceProvider();
        var store = replica.GetRequiredService<IExperimentStore>();
        var refresher = replica.GetRequiredService<ExperimentControlRefresher>();

        await refresher.StartAsync(default);
        try
        {
            // Read before StartAsync returned, so the judging workers, which start after it, find the copy current.
            Assert.Single(copy.Reads);
            await clock.WaitForTimerAsync(TimeSpan.FromMinutes(1));
            Assert.Empty(copy.Reads[0].Stops);

            // Another replica stops an arm: the store signals it, and the copy has it without the clock moving.
            await store.StopAsync(new ArmStop(GuardedExperiment.Id, "v2", "too slow", "admin-1", clock.GetUtcNow()), default);
            await Poll.UntilAsync(() => copy.Reads.Count == 2, "the read on the change signal");
            Assert.Single(copy.Reads[1].Stops);

            await clock.WaitForTimerAsync(TimeSpan.FromMinutes(1));
            clock.Advance(TimeSpan.FromMinutes(1));
            await Poll.UntilAsync(() => copy.Reads.Count == 3, "the timed read");
        }
        finally
        {
            await refresher.StopAsync(default);
        }
    }

    [Fact]
    public async Task A_failed_read_is_tried_again_on_the_next_timer()
    {
        var clock = new TimerWatchingClock();
        var (platform, _) = GuardedExperiment.Platform();
        var copy = new RecordingCopy { FailuresLeft = 1 };
        var services = GuardedExperiment.Replica(clock, platform.Object);
        services.AddInMemorySessionStore();
        services.AddSingleton<IExperimentControlRefresh>(copy);
        await using var replica = services.BuildServiceProvider();
        var refresher = replica.GetRequiredService<ExperimentControlRefresher>();

        await refresher.StartAsync(default);
        try
        {
            await clock.WaitForTimerAsync(TimeSpan.FromMinutes(1));
            Assert.Empty(copy.Reads);
            clock.Advance(TimeSpan.FromMinutes(1));
            await Poll.UntilAsync(() => copy.Reads.Count == 1, "the read after the failed one");
        }
        finally
        {
            await refresher.StopAsync(default);
        }
    }

    private sealed class RecordingCopy : IExperimentControlRefresh
    {
        private readonly List<ExperimentControl> _reads = [];

        public int FailuresLeft { get; set; }

        public IReadOnlyList<ExperimentControl> Reads
        {
            get
            {
                lock (_reads)
                {
                    return [.. _reads];
                }
            }
        }

        public async Task RefreshAsync(IExperimentStore store, CancellationToken cancellationToken)
        {
            if (FailuresLeft-- > 0)
            {
                throw new TimeoutException("the store did not answer");
            }

            var control = await store.ControlAsync(cancellationToken);
            lock (_reads)
            {
                _reads.Add(control);
            }
        }
    }
}
