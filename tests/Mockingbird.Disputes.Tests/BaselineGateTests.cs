using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mockingbird.Experiments;
using Mockingbird.Testing;

namespace Mockingbird.Disputes.Tests;

public sealed class BaselineGateTests
{
    private static SettledCase Settled(int judge, string version, params int[] peers) => JudgeAgreementTests.Settled(judge, version, peers);

    private static ExperimentDesign Design(string baseline = "v1", BaselineAgreementRequirement? requirement = null) =>
        new("judge-2026-12", "judge-theory", baseline, [new ExperimentArm("v1", 50), new ExperimentArm("v2", 50)], PrimaryMetric.HelpfulShare, 0.1, 0.05, new Guardrails(),
            BaselineAgreement: requirement ?? new BaselineAgreementRequirement(0.7, 3));

    [Fact]
    public void The_gate_refuses_a_baseline_below_the_agreement_threshold_naming_version_agreement_threshold_and_count()
    {
        var verdict = BaselineGate.Check(Design(), "v1", [Settled(2, "v1", 4, 4, 4), Settled(2, "v1", 2, 2, 2), Settled(1, "v1", 3, 3, 3)]);

        Assert.False(verdict.Allowed);
        Assert.Equal(
            "Experiment 'judge-2026-12' cannot have judge-theory/v1 as its baseline: it agrees with the peers on 33% of 3 settled disputes, below minimum_baseline_agreement (70%). Choose another baseline or lower the threshold in experiments.yaml.",
            verdict.Message);
    }

    [Fact]
    public void The_gate_allows_a_baseline_at_or_above_the_threshold()
    {
        var verdict = BaselineGate.Check(Design(), "v1", [Settled(2, "v1", 2, 2, 2), Settled(3, "v1", 3, 3, 3), Settled(4, "v1", 4, 4, 4), Settled(1, "v2", 4, 4, 4)]);

        Assert.Equal(new BaselineVerdict(true, null), verdict);
    }

    [Fact]
    public void With_fewer_settled_cases_than_the_minimum_the_gate_allows_the_baseline_and_says_so()
    {
        var verdict = BaselineGate.Check(Design(requirement: new BaselineAgreementRequirement(0.7, 20)), "v1", [Settled(1, "v1", 4, 4, 4)]);

        Assert.True(verdict.Allowed);
        Assert.Equal(
            "Experiment 'judge-2026-12': baseline judge-theory/v1 has 1 settled dispute(s), fewer than minimum_settled_cases (20), so its agreement with the peers (0%) is not checked yet.",
            verdict.Message);
    }

    [Fact]
    public void Without_a_threshold_in_experiments_yaml_any_baseline_is_allowed() =>
        Assert.True(BaselineGate.Check(Design() with { BaselineAgreement = null }, "v1", [Settled(1, "v1", 4, 4, 4)]).Allowed);

    private sealed class Catalog(params ExperimentDesign[] designs) : IExperimentCatalog
    {
        public IReadOnlyList<ExperimentDesign> Designs => designs;
    }

    [Fact]
    public async Task Start_up_stops_with_the_gates_message_when_a_declared_baseline_agrees_too_little()
    {
        var store = new InMemoryDisputeStore();
        var dispute = SampleDisputes.Dispute(judgeScore: 1);
        await store.OpenAsync(dispute, default);
        foreach (var voter in new[] { "v-1", "v-2", "v-3" })
            await store.VoteAsync(dispute.Id, voter, SampleDisputes.Place, 4, 3, SampleDisputes.Start.AddDays(-1), SampleDisputes.Start, default);
        var lifetime = new RecordingLifetime();
        var check = new BaselineAgreementCheck(new Catalog(Design(requirement: new BaselineAgreementRequirement(0.7, 1))), store, new TimerWatchingClock(), lifetime, NullLogger<BaselineAgreementCheck>.Instance);

        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(() => check.StartAsync(default));

        Assert.StartsWith("Experiment 'judge-2026-12' cannot have judge-theory/v1 as its baseline: it agrees with the peers on 0% of 1 settled disputes", refused.Message, StringComparison.Ordinal);
        Assert.False(lifetime.Stopped);
    }

    [Fact]
    public async Task Start_up_goes_ahead_when_the_baseline_has_too_few_settled_cases_to_judge()
    {
        var check = new BaselineAgreementCheck(new Catalog(Design(requirement: new BaselineAgreementRequirement(0.7, 20))), new InMemoryDisputeStore(), new TimerWatchingClock(), new RecordingLifetime(), NullLogger<BaselineAgreementCheck>.Instance);

        await check.StartAsync(default);
    }

    private const string Secret = "redis.internal:6379,password=hunter2-secret";

    /// <summary>A store with one settled case the baseline judged 0 of 4 away from the peers' 4 (refused at 0.7 over one case).</summary>
    private static async Task<FlakyDisputeStore> RefusingStoreAsync(int failures)
    {
        var store = new FlakyDisputeStore(failures);
        var dispute = SampleDisputes.Dispute(judgeScore: 1);
        await store.Inner.OpenAsync(dispute, default);
        foreach (var voter in new[] { "v-1", "v-2", "v-3" })
            await store.Inner.VoteAsync(dispute.Id, voter, SampleDisputes.Place, 4, 3, SampleDisputes.Start.AddDays(-1), SampleDisputes.Start, default);
        return store;
    }

    [Fact]
    public async Task A_store_unreadable_at_start_up_lets_the_bot_start_with_a_warning_that_names_no_secret_and_a_refusal_found_later_stops_it()
    {
        var store = await RefusingStoreAsync(failures: 1);
        var clock = new TimerWatchingClock();
        var lifetime = new RecordingLifetime();
        var logger = new RecordingLogger<BaselineAgreementCheck>();
        using var check = new BaselineAgreementCheck(new Catalog(Design(requirement: new BaselineAgreementRequirement(0.7, 1))), store, clock, lifetime, logger);

        await check.StartAsync(default);

        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(nameof(TimeoutException), warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", warning.Message, StringComparison.Ordinal);
        Assert.Null(warning.Exception);
        Assert.False(lifetime.Stopped);

        await clock.WaitForTimerAsync(BaselineAgreementCheck.FirstRetry);
        clock.Advance(BaselineAgreementCheck.FirstRetry);

        await Poll.UntilAsync(() => lifetime.Stopped, "the application to be stopped once the store answered with a refusal");
        var critical = Assert.Single(logger.Entries, e => e.Level == LogLevel.Critical);
        Assert.StartsWith("Experiment 'judge-2026-12' cannot have judge-theory/v1 as its baseline: it agrees with the peers on 0% of 1 settled disputes", critical.Message, StringComparison.Ordinal);
        Assert.Equal(2, store.Reads);
        Assert.Equal(critical.Message, $"{await check.RefusedAfterStart} The bot stops.");
        await check.StopAsync(default);
    }

    [Fact]
    public async Task Retries_wait_thirty_seconds_doubling_to_ten_minutes_and_end_once_the_store_answers_with_a_baseline_it_allows()
    {
        var store = new FlakyDisputeStore(failures: 7);
        var clock = new TimerWatchingClock();
        var lifetime = new RecordingLifetime();
        var logger = new RecordingLogger<BaselineAgreementCheck>();
        using var check = new BaselineAgreementCheck(new Catalog(Design(requirement: new BaselineAgreementRequirement(0.7, 1))), store, clock, lifetime, logger);
        await check.StartAsync(default);

        var waits = new List<TimeSpan>();
        for (var retry = 0; retry < 7; retry++)
        {
            var wait = await clock.WaitForTimerAsync(_ => true, $"retry {retry + 1}'s timer");
            waits.Add(wait);
            clock.Advance(wait);
        }

        await Poll.UntilAsync(() => store.Reads == 8, "the eighth read of the settled disputes");
        await Poll.UntilAsync(() => logger.Entries.Any(e => e.Level == LogLevel.Information), "the check to report that it is done");
        Assert.Equal([30, 60, 120, 240, 480, 600, 600], waits.Select(w => w.TotalSeconds));
        clock.Advance(BaselineAgreementCheck.LongestRetry * 3);
        Assert.Equal(8, store.Reads);
        Assert.False(lifetime.Stopped);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Error || e.Message.Contains("hunter2", StringComparison.Ordinal));
        await check.StopAsync(default);
    }

    [Fact]
    public async Task Stopping_the_bot_ends_the_retries_without_another_read()
    {
        var store = new FlakyDisputeStore(failures: int.MaxValue);
        var clock = new TimerWatchingClock();
        using var check = new BaselineAgreementCheck(new Catalog(Design()), store, clock, new RecordingLifetime(), NullLogger<BaselineAgreementCheck>.Instance);
        await check.StartAsync(default);
        await clock.WaitForTimerAsync(BaselineAgreementCheck.FirstRetry);

        await check.StopAsync(default);
        clock.Advance(BaselineAgreementCheck.LongestRetry);

        Assert.Equal(1, store.Reads);
    }

    /// <summary>Fails its first reads of the settled cases the way an unreachable Redis does, its message carrying the connection string.</summary>
    private sealed class FlakyDisputeStore(int failures) : IDisputeStore
    {
        private int _reads;

        public InMemoryDisputeStore Inner { get; } = new();

        public int Reads => Volatile.Read(ref _reads);

        public Task<bool> OpenAsync(Dispute dispute, CancellationToken cancellationToken) => Inner.OpenAsync(dispute, cancellationToken);

        public Task<DisputeRecord?> FindAsync(string disputeId, CancellationToken cancellationToken) => Inner.FindAsync(disputeId, cancellationToken);

        public Task<Dispute?> NextForVoterAsync(string voterId, string place, DateTimeOffset openedAfter, CancellationToken cancellationToken) => Inner.NextForVoterAsync(voterId, place, openedAfter, cancellationToken);

        public Task<VoteReceipt> VoteAsync(string disputeId, string voterId, string place, int score, int votesToSettle, DateTimeOffset openedAfter, DateTimeOffset now, CancellationToken cancellationToken) =>
            Inner.VoteAsync(disputeId, voterId, place, score, votesToSettle, openedAfter, now, cancellationToken);

        public Task<IReadOnlyList<DisputeRecord>> RaisedByAsync(string candidateId, CancellationToken cancellationToken) => Inner.RaisedByAsync(candidateId, cancellationToken);

        public Task<IReadOnlyList<string>> ClaimUntoldAsync(DateTimeOffset openedAfter, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
            Inner.ClaimUntoldAsync(openedAfter, now, lease, max, cancellationToken);

        public Task<bool> TryClaimUntoldAsync(string disputeId, DateTimeOffset openedAfter, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
            Inner.TryClaimUntoldAsync(disputeId, openedAfter, now, lease, cancellationToken);

        public Task<bool> ReleaseClaimAsync(string disputeId, DateTimeOffset claimedUntil, DateTimeOffset now, CancellationToken cancellationToken) =>
            Inner.ReleaseClaimAsync(disputeId, claimedUntil, now, cancellationToken);

        public Task<bool> ToldAsync(string disputeId, CancellationToken cancellationToken) => Inner.ToldAsync(disputeId, cancellationToken);

        public Task<IReadOnlyList<SettledCase>> SettledAsync(CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _reads) <= failures
                ? Task.FromException<IReadOnlyList<SettledCase>>(new TimeoutException($"No connection to {Secret} is available"))
                : Inner.SettledAsync(cancellationToken);

        public Task<int> ForgetAsync(string personId, CancellationToken cancellationToken) => Inner.ForgetAsync(personId, cancellationToken);
    }

    private sealed class RecordingLifetime : IHostApplicationLifetime
    {
        private int _stopped;

        public bool Stopped => Volatile.Read(ref _stopped) == 1;

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Volatile.Write(ref _stopped, 1);
    }
}
