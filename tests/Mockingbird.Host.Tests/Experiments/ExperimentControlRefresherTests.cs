using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Mockingbird.Chat.Experiments;
using Mockingbird.Chat.Ratings;
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
    public async Task A_failed_first_read_is_tried_again_within_seconds_and_once_read_the_copy_is_read_on_the_timer()
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
            Assert.True(copy.ReadRequired);
            await clock.WaitForTimerAsync(ExperimentControlRefresher.UnreadRetry);
            Assert.Empty(copy.Reads);
            clock.Advance(ExperimentControlRefresher.UnreadRetry);
            await Poll.UntilAsync(() => copy.Reads.Count == 1, "the read after the failed one");

            await clock.WaitForTimerAsync(TimeSpan.FromMinutes(1));
            clock.Advance(TimeSpan.FromMinutes(1));
            await Poll.UntilAsync(() => copy.Reads.Count == 2, "the timed read");
        }
        finally
        {
            await refresher.StopAsync(default);
        }
    }

    [Fact]
    public async Task Until_a_read_of_the_stops_and_opt_outs_succeeds_everyone_is_served_the_baseline_and_nothing_is_counted()
    {
        var clock = new TimerWatchingClock();
        var (platform, _) = GuardedExperiment.Platform();
        var store = new FlakyControlStore(new InMemoryExperimentStore()) { ControlFailuresLeft = 1 };
        var optedOut = Enumerable.Range(0, 100).Select(i => $"discord:opted-{i}").First(c => ArmAssignment.Randomised(GuardedExperiment.Design, c).Version == "v2");
        var inChallenger = Enumerable.Range(0, 100).Select(i => $"discord:in-{i}").First(c => ArmAssignment.Randomised(GuardedExperiment.Design, c).Version == "v2");
        await store.SetOptedOutAsync(optedOut, optedOut: true, default);
        var cache = new ExperimentControlCache();
        var services = GuardedExperiment.Replica(clock, platform.Object);
        services.AddInMemorySessionStore();
        services.Replace(ServiceDescriptor.Singleton<IExperimentStore>(store));
        services.AddSingleton(cache);
        await using var replica = services.BuildServiceProvider();
        var refresher = replica.GetRequiredService<ExperimentControlRefresher>();
        var votes = new ExperimentVotes(store, clock, NullLogger<ExperimentVotes>.Instance, control: cache);

        await refresher.StartAsync(default);
        try
        {
            foreach (var person in new[] { optedOut, inChallenger })
            {
                Assert.Equal("v1", ArmAssignment.Served(GuardedExperiment.Design, person, cache.Current));
                Assert.Null(ArmAssignment.Counted(GuardedExperiment.Design, person, cache.Current));
                Assert.False(await votes.RecordAsync(new FeedbackRating(person, $"feedback-of-{person}", $"{GuardedExperiment.Id}/v2", Helpful: true), default));
            }

            Assert.Empty(await store.MetricsAsync(GuardedExperiment.Id, clock.GetUtcNow(), default));

            await clock.WaitForTimerAsync(ExperimentControlRefresher.UnreadRetry);
            clock.Advance(ExperimentControlRefresher.UnreadRetry);
            await Poll.UntilAsync(() => cache.Current.IsRead, "the read after the failed one");

            Assert.Equal("v1", ArmAssignment.Served(GuardedExperiment.Design, optedOut, cache.Current));
            Assert.Null(ArmAssignment.Counted(GuardedExperiment.Design, optedOut, cache.Current));
            Assert.Equal("v2", ArmAssignment.Served(GuardedExperiment.Design, inChallenger, cache.Current));
            Assert.Equal("v2", ArmAssignment.Counted(GuardedExperiment.Design, inChallenger, cache.Current)?.Version);
            Assert.True(await votes.RecordAsync(new FeedbackRating(inChallenger, $"feedback-of-{inChallenger}", $"{GuardedExperiment.Id}/v2", Helpful: true), default));
        }
        finally
        {
            await refresher.StopAsync(default);
        }
    }

    /// <summary>An experiment store whose reads of the stops and opt-outs fail a given number of times first.</summary>
    private sealed class FlakyControlStore(IExperimentStore inner) : IExperimentStore
    {
        public int ControlFailuresLeft { get; set; }

        public Task<ExperimentControl> ControlAsync(CancellationToken cancellationToken) =>
            ControlFailuresLeft-- > 0 ? Task.FromException<ExperimentControl>(new TimeoutException("the store did not answer")) : inner.ControlAsync(cancellationToken);

        public Task RecordAsync(JudgedTurn turn, CancellationToken cancellationToken) => inner.RecordAsync(turn, cancellationToken);

        public Task RecordAsync(ArmVote vote, CancellationToken cancellationToken) => inner.RecordAsync(vote, cancellationToken);

        public Task RecordAsync(InterviewStep interviewStep, CancellationToken cancellationToken) => inner.RecordAsync(interviewStep, cancellationToken);

        public Task<IReadOnlyList<ArmMetrics>> MetricsAsync(string experimentId, DateTimeOffset now, CancellationToken cancellationToken) => inner.MetricsAsync(experimentId, now, cancellationToken);

        public Task<bool> AddSnapshotAsync(string experimentId, string slot, ExperimentSnapshot snapshot, CancellationToken cancellationToken) => inner.AddSnapshotAsync(experimentId, slot, snapshot, cancellationToken);

        public Task<string> PinAllocationAsync(string experimentId, string allocation, CancellationToken cancellationToken) => inner.PinAllocationAsync(experimentId, allocation, cancellationToken);

        public Task<string> PinBaselineAsync(string experimentId, string baseline, CancellationToken cancellationToken) => inner.PinBaselineAsync(experimentId, baseline, cancellationToken);

        public Task<string> PinTestSettingsAsync(string experimentId, string settings, CancellationToken cancellationToken) => inner.PinTestSettingsAsync(experimentId, settings, cancellationToken);

        public Task<string?> PinnedTestSettingsAsync(string experimentId, CancellationToken cancellationToken) => inner.PinnedTestSettingsAsync(experimentId, cancellationToken);

        public Task<IReadOnlyList<string>> EndedAsync(IReadOnlyCollection<string> declared, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken) => inner.EndedAsync(declared, now, keepFor, cancellationToken);

        public Task<int> DeleteEndedAsync(string experimentId, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken) => inner.DeleteEndedAsync(experimentId, now, keepFor, cancellationToken);

        public Task<IReadOnlyList<ExperimentSnapshot>> SnapshotsAsync(string experimentId, CancellationToken cancellationToken) => inner.SnapshotsAsync(experimentId, cancellationToken);

        public Task<int> RemoveSnapshotsAsync(string experimentId, IReadOnlyCollection<DateTimeOffset> takenAt, CancellationToken cancellationToken) => inner.RemoveSnapshotsAsync(experimentId, takenAt, cancellationToken);

        public Task<(ArmStop Stop, bool StoppedNow)> StopAsync(ArmStop armStop, CancellationToken cancellationToken) => inner.StopAsync(armStop, cancellationToken);

        public Task<IAsyncDisposable> OnControlChangedAsync(Action changed, CancellationToken cancellationToken) => inner.OnControlChangedAsync(changed, cancellationToken);

        public Task<bool> SetOptedOutAsync(string personId, bool optedOut, CancellationToken cancellationToken) => inner.SetOptedOutAsync(personId, optedOut, cancellationToken);

        public Task<int> ForgetAsync(string personId, CancellationToken cancellationToken) => inner.ForgetAsync(personId, cancellationToken);
    }

    private sealed class RecordingCopy : IExperimentControlRefresh
    {
        private readonly List<ExperimentControl> _reads = [];

        public int FailuresLeft { get; set; }

        public bool ReadRequired { get; private set; }

        public void RequireRead() => ReadRequired = true;

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
