using System.Text.Json;
using Mockingbird.Experiments;
using Xunit;

namespace Mockingbird.Testing.Contracts;

/// <summary>
/// The behaviour every experiment store must have; the in-memory and the Redis store both run it. Times are passed
/// in, as the store takes them: no clock is needed.
/// </summary>
public abstract class ExperimentStoreContract : IAsyncLifetime
{
    protected const string Experiment = "judge-v2";

    protected const string Baseline = "v1";

    protected const string Challenger = "v2";

    protected static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    protected IExperimentStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fresh, empty store.</summary>
    protected abstract Task<IExperimentStore> CreateAsync();

    protected static JudgedTurn Turn(
        string turnKey,
        string arm = Challenger,
        string experiment = Experiment,
        string? model = "gpt-x",
        double latencySeconds = 1,
        int prompt = 100,
        int cached = 10,
        int completion = 20,
        int schemaFailures = 0,
        bool fellBack = false) =>
        new(experiment, arm, "c-1", turnKey, model, TimeSpan.FromSeconds(latencySeconds), prompt, cached, completion, schemaFailures, fellBack, Start);

    protected static ArmVote Vote(string rater, string feedback, bool helpful, string arm = Challenger, string experiment = Experiment) =>
        new(experiment, arm, rater, feedback, helpful, Start);

    protected static InterviewStep Step(string candidate, InterviewMilestone milestone, string key, DateTimeOffset? at = null, string arm = Challenger, string experiment = Experiment) =>
        new(experiment, arm, candidate, milestone, key, at ?? Start);

    protected async Task<ArmMetrics> ArmAsync(string arm = Challenger, string experiment = Experiment, DateTimeOffset? now = null) =>
        (await Store.MetricsAsync(experiment, now ?? Start, default)).SingleOrDefault(m => m.Arm == arm) ?? ArmMetrics.Empty(arm);

    protected async Task RecordAsync(params InterviewStep[] steps)
    {
        foreach (var step in steps)
            await Store.RecordAsync(step, default);
    }

    protected async Task RecordAsync(params ArmVote[] votes)
    {
        foreach (var vote in votes)
            await Store.RecordAsync(vote, default);
    }

    /// <summary>Every field, however deep: records holding lists do not compare their items.</summary>
    protected static void AssertSameMetrics(object expected, object actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

    [Fact]
    public async Task An_experiment_with_nothing_recorded_has_no_arms_no_snapshots_and_no_control()
    {
        Assert.Empty(await Store.MetricsAsync(Experiment, Start, default));
        Assert.Empty(await Store.SnapshotsAsync(Experiment, default));
        var control = await Store.ControlAsync(default);
        Assert.Empty(control.Stops);
        Assert.Empty(control.OptedOut);
    }

    [Fact]
    public async Task A_judged_turn_recorded_twice_counts_once()
    {
        await Store.RecordAsync(Turn("t-1"), default);
        await Store.RecordAsync(Turn("t-1"), default);
        await Store.RecordAsync(Turn("t-2"), default);

        var arm = await ArmAsync();
        Assert.Equal(2, arm.Feedbacks);
        Assert.Equal(2, arm.Latency.Total);
        Assert.Equal(200, arm.PromptTokens);
    }

    [Fact]
    public async Task Latencies_land_in_their_histogram_bucket_and_tokens_add_up_per_model()
    {
        await Store.RecordAsync(Turn("t-1", latencySeconds: 0.01, model: "gpt-x", prompt: 100, cached: 10, completion: 20), default);
        await Store.RecordAsync(Turn("t-2", latencySeconds: 2.5, model: "gpt-x", prompt: 300, cached: 30, completion: 40), default);
        await Store.RecordAsync(Turn("t-3", latencySeconds: 2.5, model: "gpt-y", prompt: 7, cached: 0, completion: 3), default);
        await Store.RecordAsync(Turn("t-4", latencySeconds: 3600, model: null, prompt: 0, cached: 0, completion: 0, fellBack: true), default);

        var arm = await ArmAsync();
        var expected = new long[LatencyHistogram.UpperBoundsSeconds.Count];
        expected[0] = 1;
        expected[LatencyHistogram.BucketOf(TimeSpan.FromSeconds(2.5))] = 2;
        expected[^1] = 1;
        Assert.Equal(expected, arm.Latency.Counts);
        Assert.Equal(
            [new ModelTokens("gpt-x", 400, 40, 60), new ModelTokens("gpt-y", 7, 0, 3)],
            arm.Tokens.OrderBy(t => t.Model, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Fallbacks_and_schema_failures_are_counted_per_arm()
    {
        await Store.RecordAsync(Turn("t-1", schemaFailures: 2, fellBack: true), default);
        await Store.RecordAsync(Turn("t-2", schemaFailures: 1), default);
        await Store.RecordAsync(Turn("t-3"), default);
        await Store.RecordAsync(Turn("t-4", arm: Baseline, fellBack: true), default);

        var challenger = await ArmAsync();
        Assert.Equal((3L, 1L, 3L), (challenger.Feedbacks, challenger.Fallbacks, challenger.SchemaFailures));
        var baseline = await ArmAsync(Baseline);
        Assert.Equal((1L, 1L, 0L), (baseline.Feedbacks, baseline.Fallbacks, baseline.SchemaFailures));
    }

    [Fact]
    public async Task A_later_vote_by_the_same_rater_on_the_same_feedback_moves_their_vote_rather_than_adding_one()
    {
        await RecordAsync(Vote("ann", "f-1", helpful: false));
        Assert.Equal(new ShareCount(0, 1), (await ArmAsync()).HelpfulRaters);

        await RecordAsync(Vote("ann", "f-1", helpful: true), Vote("ann", "f-1", helpful: true));

        var arm = await ArmAsync();
        Assert.Equal(1, arm.Votes);
        Assert.Equal(new ShareCount(1, 1), arm.HelpfulRaters);
    }

    [Fact]
    public async Task Helpful_raters_are_those_whose_votes_on_the_arm_are_mostly_helpful_and_a_tie_is_not_helpful()
    {
        await RecordAsync(
            Vote("ann", "f-1", true), Vote("ann", "f-2", true), Vote("ann", "f-3", false),
            Vote("bob", "f-1", true), Vote("bob", "f-2", false),
            Vote("cat", "f-1", false),
            Vote("dan", "f-1", true),
            Vote("eve", "f-9", true, arm: Baseline));

        var arm = await ArmAsync();
        Assert.Equal(7, arm.Votes);
        Assert.Equal(new ShareCount(2, 4), arm.HelpfulRaters);
        Assert.Equal(new ShareCount(2, 4), arm.Primary(PrimaryMetric.HelpfulShare));
        Assert.Equal(new ShareCount(1, 1), (await ArmAsync(Baseline)).HelpfulRaters);
    }

    [Fact]
    public async Task A_candidate_who_finished_several_interviews_is_one_finisher_until_they_are_forgotten()
    {
        await RecordAsync(
            Step("ann", InterviewMilestone.Started, "s-1"), Step("ann", InterviewMilestone.Finished, "s-1"),
            Step("ann", InterviewMilestone.Started, "s-2"), Step("ann", InterviewMilestone.Finished, "s-2"),
            Step("ann", InterviewMilestone.Finished, "s-2"),
            Step("bob", InterviewMilestone.Started, "s-3"),
            Step("cat", InterviewMilestone.Started, "s-4"), Step("cat", InterviewMilestone.Finished, "s-4"));

        var arm = await ArmAsync();
        Assert.Equal((3L, 4L, 3L, 2L), (arm.Candidates, arm.InterviewsStarted, arm.InterviewsFinished, arm.CandidatesFinished));
        Assert.Equal(new ShareCount(2, 3), arm.Primary(PrimaryMetric.FinishedShare));

        Assert.Equal(4, await Store.ForgetAsync("ann", default));

        arm = await ArmAsync();
        Assert.Equal((2L, 1L, 1L), (arm.Candidates, arm.InterviewsFinished, arm.CandidatesFinished));
        Assert.Equal(new ShareCount(1, 2), arm.Primary(PrimaryMetric.FinishedShare));
    }

    [Fact]
    public async Task An_interview_step_recorded_twice_counts_once()
    {
        await RecordAsync(
            Step("cand", InterviewMilestone.Started, "s-1"), Step("cand", InterviewMilestone.Started, "s-1"),
            Step("cand", InterviewMilestone.Answered, "s-1:1"), Step("cand", InterviewMilestone.Answered, "s-1:1"),
            Step("cand", InterviewMilestone.Finished, "s-1"), Step("cand", InterviewMilestone.Finished, "s-1"));

        var arm = await ArmAsync();
        Assert.Equal((1L, 1L, 1L, 1L), (arm.Candidates, arm.InterviewsStarted, arm.Answers, arm.InterviewsFinished));
    }

    [Fact]
    public async Task Starts_answers_finishes_and_candidates_are_counted_in_each_arm()
    {
        await RecordAsync(
            Step("ann", InterviewMilestone.Started, "s-1"),
            Step("ann", InterviewMilestone.Answered, "s-1:1"),
            Step("ann", InterviewMilestone.Answered, "s-1:2"),
            Step("ann", InterviewMilestone.Finished, "s-1"),
            Step("ann", InterviewMilestone.Started, "s-2", Start.AddDays(20)),
            Step("bob", InterviewMilestone.Started, "s-3"),
            Step("bob", InterviewMilestone.Answered, "s-3:1"),
            Step("cat", InterviewMilestone.Started, "s-4", arm: Baseline));

        var arm = await ArmAsync();
        Assert.Equal((2L, 3L, 3L, 1L), (arm.Candidates, arm.InterviewsStarted, arm.Answers, arm.InterviewsFinished));
        Assert.Equal(new ShareCount(1, 2), arm.Primary(PrimaryMetric.FinishedShare));
        Assert.Equal((1L, 1L), ((await ArmAsync(Baseline)).Candidates, (await ArmAsync(Baseline)).InterviewsStarted));
    }

    [Fact]
    public async Task A_candidate_who_starts_again_within_seven_days_counts_as_returned_once_their_week_is_over()
    {
        await RecordAsync(
            Step("ann", InterviewMilestone.Started, "s-1", Start),
            Step("ann", InterviewMilestone.Started, "s-2", Start.AddDays(7)),
            Step("ann", InterviewMilestone.Started, "s-3", Start.AddDays(8)));

        var before = await ArmAsync(now: Start.AddDays(7).AddTicks(-1));
        Assert.Equal((0L, 0L), (before.ReturnEligible, before.Returned));

        var after = await ArmAsync(now: Start.AddDays(7));
        Assert.Equal((1L, 1L), (after.ReturnEligible, after.Returned));
        Assert.Equal(new ShareCount(1, 1), after.Primary(PrimaryMetric.ReturnedShare));
    }

    [Fact]
    public async Task A_candidate_whose_second_start_came_after_the_week_is_eligible_but_did_not_return()
    {
        await RecordAsync(
            Step("ann", InterviewMilestone.Started, "s-1", Start),
            Step("ann", InterviewMilestone.Started, "s-2", Start.AddDays(7).AddMinutes(1)),
            Step("bob", InterviewMilestone.Started, "s-3", Start.AddDays(1)));

        var arm = await ArmAsync(now: Start.AddDays(7.5));
        Assert.Equal((1L, 0L), (arm.ReturnEligible, arm.Returned));

        var later = await ArmAsync(now: Start.AddDays(30));
        Assert.Equal((2L, 0L), (later.ReturnEligible, later.Returned));
    }

    [Fact]
    public async Task Returning_is_judged_from_the_earliest_start_whatever_order_the_starts_are_recorded_in()
    {
        await RecordAsync(
            Step("ann", InterviewMilestone.Started, "s-2", Start.AddDays(3)),
            Step("ann", InterviewMilestone.Started, "s-1", Start),
            Step("bob", InterviewMilestone.Started, "s-4", Start.AddDays(10)),
            Step("bob", InterviewMilestone.Started, "s-3", Start.AddDays(2)));

        Assert.Equal((1L, 1L), await EligibleAndReturnedAsync(Start.AddDays(7)));
        Assert.Equal((2L, 1L), await EligibleAndReturnedAsync(Start.AddDays(9)));

        async Task<(long, long)> EligibleAndReturnedAsync(DateTimeOffset now)
        {
            var arm = await ArmAsync(now: now);
            return (arm.ReturnEligible, arm.Returned);
        }
    }

    [Fact]
    public async Task A_snapshot_slot_is_kept_once_and_a_second_add_does_not_replace_it()
    {
        var first = new ExperimentSnapshot(Start, [ArmMetrics.Empty(Baseline)]);
        var second = new ExperimentSnapshot(Start.AddMinutes(1), [ArmMetrics.Empty(Challenger)]);

        Assert.True(await Store.AddSnapshotAsync(Experiment, "2026-12-01T09", first, default));
        Assert.False(await Store.AddSnapshotAsync(Experiment, "2026-12-01T09", second, default));

        var kept = Assert.Single(await Store.SnapshotsAsync(Experiment, default));
        AssertSameMetrics(first, kept);
    }

    [Fact]
    public async Task Snapshots_removed_by_the_moment_they_were_taken_go_whatever_their_slots_and_the_rest_stay()
    {
        var hourly = new ExperimentSnapshot(Start, [ArmMetrics.Empty(Baseline)]);
        var decisive = new ExperimentSnapshot(Start.AddMinutes(7).AddTicks(3), [ArmMetrics.Empty(Baseline)]);
        var later = new ExperimentSnapshot(Start.AddHours(1), [ArmMetrics.Empty(Challenger)]);
        await Store.AddSnapshotAsync(Experiment, "202612010900", hourly, default);
        await Store.AddSnapshotAsync(Experiment, "20261201090700000", decisive, default);
        await Store.AddSnapshotAsync(Experiment, "202612011000", later, default);
        await Store.AddSnapshotAsync("other-experiment", "202612010900", hourly, default);

        Assert.Equal(2, await Store.RemoveSnapshotsAsync(Experiment, [hourly.At, decisive.At, Start.AddDays(3)], default));
        Assert.Equal(0, await Store.RemoveSnapshotsAsync(Experiment, [hourly.At], default));

        var kept = Assert.Single(await Store.SnapshotsAsync(Experiment, default));
        AssertSameMetrics(later, kept);
        Assert.Single(await Store.SnapshotsAsync("other-experiment", default));
    }

    [Fact]
    public async Task The_first_allocation_pinned_is_kept_and_every_later_one_gets_it_back()
    {
        Assert.Equal("v1=50,v2=50", await Store.PinAllocationAsync(Experiment, "v1=50,v2=50", default));
        Assert.Equal("v1=50,v2=50", await Store.PinAllocationAsync(Experiment, "v1=50,v2=50", default));
        Assert.Equal("v1=50,v2=50", await Store.PinAllocationAsync(Experiment, "v1=80,v2=20", default));
        Assert.Equal("v1=80,v2=20", await Store.PinAllocationAsync("other-experiment", "v1=80,v2=20", default));
    }

    [Fact]
    public async Task The_first_baseline_pinned_is_kept_and_every_later_one_gets_it_back()
    {
        Assert.Equal("v1", await Store.PinBaselineAsync(Experiment, "v1", default));
        Assert.Equal("v1", await Store.PinBaselineAsync(Experiment, "v2", default));
        Assert.Equal("v2", await Store.PinBaselineAsync("other-experiment", "v2", default));
        Assert.Equal("v1=50,v2=50", await Store.PinAllocationAsync(Experiment, "v1=50,v2=50", default));
    }

    [Fact]
    public async Task The_first_test_settings_pinned_are_kept_read_back_and_given_to_every_later_pin()
    {
        Assert.Null(await Store.PinnedTestSettingsAsync(Experiment, default));

        Assert.Equal("alpha=0.05;delta=0.1;mixing=0.01", await Store.PinTestSettingsAsync(Experiment, "alpha=0.05;delta=0.1;mixing=0.01", default));
        Assert.Equal("alpha=0.05;delta=0.1;mixing=0.01", await Store.PinTestSettingsAsync(Experiment, "alpha=0.2;delta=0.1;mixing=0.01", default));

        Assert.Equal("alpha=0.05;delta=0.1;mixing=0.01", await Store.PinnedTestSettingsAsync(Experiment, default));
        Assert.Null(await Store.PinnedTestSettingsAsync("other-experiment", default));
        Assert.Equal("v1=50,v2=50", await Store.PinAllocationAsync(Experiment, "v1=50,v2=50", default));
    }

    [Fact]
    public async Task Of_concurrent_pins_every_caller_gets_the_one_kept()
    {
        var pinned = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Store.PinAllocationAsync(Experiment, $"v1={i + 1},v2=1", default)));

        Assert.Single(pinned.Distinct());
    }

    [Fact]
    public async Task Snapshots_come_back_oldest_first_with_every_metric_intact()
    {
        await Store.RecordAsync(Turn("t-1", latencySeconds: 0.3, schemaFailures: 1, fellBack: true), default);
        await Store.RecordAsync(Turn("t-2", model: "gpt-y", latencySeconds: 12), default);
        await RecordAsync(Vote("ann", "f-1", true), Vote("bob", "f-1", false), Vote("bob", "f-2", true));
        await RecordAsync(
            Step("ann", InterviewMilestone.Started, "s-1"), Step("ann", InterviewMilestone.Answered, "s-1:1"),
            Step("ann", InterviewMilestone.Finished, "s-1"), Step("ann", InterviewMilestone.Started, "s-2", Start.AddDays(1)));
        await RecordAsync(Step("bob", InterviewMilestone.Started, "s-3", arm: Baseline));
        var now = Start.AddDays(8);
        var metrics = await Store.MetricsAsync(Experiment, now, default);
        Assert.Equal(2, metrics.Count);
        var late = new ExperimentSnapshot(now, metrics);
        var early = new ExperimentSnapshot(Start, [ArmMetrics.Empty(Baseline)]);

        Assert.True(await Store.AddSnapshotAsync(Experiment, "z-late", late, default));
        Assert.True(await Store.AddSnapshotAsync(Experiment, "a-early-but-named-last", early with { At = Start.AddHours(1) }, default));
        Assert.True(await Store.AddSnapshotAsync(Experiment, "m", early, default));

        var kept = await Store.SnapshotsAsync(Experiment, default);
        Assert.Equal([Start, Start.AddHours(1), now], kept.Select(s => s.At));
        AssertSameMetrics(late, kept[^1]);
        var challenger = kept[^1].Arms.Single(a => a.Arm == Challenger);
        Assert.Equal((2L, 1L, 1L, 3L, 1L, 1L), (challenger.Feedbacks, challenger.Fallbacks, challenger.SchemaFailures, challenger.Votes, challenger.ReturnEligible, challenger.Returned));
    }

    [Fact]
    public async Task Of_concurrent_stops_of_one_arm_exactly_one_stops_it_and_every_caller_gets_the_first_stop()
    {
        var stops = Enumerable.Range(0, 10)
            .Select(i => new ArmStop(Experiment, Challenger, $"reason {i}", i == 0 ? "guardrail" : $"admin-{i}", Start.AddSeconds(i)))
            .ToList();

        var results = await Task.WhenAll(stops.Select(stop => Task.Run(() => Store.StopAsync(stop, default))));

        var winner = Assert.Single(results, r => r.StoppedNow).Stop;
        Assert.All(results, r => Assert.Equal(winner, r.Stop));
        Assert.Equal(winner, (await Store.ControlAsync(default)).StopOf(Experiment, Challenger));
        var again = await Store.StopAsync(stops[0] with { Reason = "later" }, default);
        Assert.Equal((winner, false), again);
    }

    [Fact]
    public async Task Control_shows_each_stopped_arm_and_each_person_opted_out()
    {
        var stop = new ArmStop(Experiment, Challenger, "p95 latency 40 s over 30 s", "guardrail", Start);
        var other = new ArmStop("other-experiment", Challenger, "stopped by hand", "admin-1", Start.AddHours(1));
        Assert.Equal((stop, true), await Store.StopAsync(stop, default));
        Assert.Equal((other, true), await Store.StopAsync(other, default));
        await Store.SetOptedOutAsync("ann", optedOut: true, default);
        await Store.SetOptedOutAsync("bob", optedOut: true, default);

        var control = await Store.ControlAsync(default);

        Assert.Equal([stop, other], control.Stops.OrderBy(s => s.At));
        Assert.Equal(stop, control.StopOf(Experiment, Challenger));
        Assert.Null(control.StopOf(Experiment, Baseline));
        Assert.True(control.IsOptedOut("ann"));
        Assert.True(control.IsOptedOut("bob"));
        Assert.False(control.IsOptedOut("cat"));
    }

    [Fact]
    public async Task Opting_out_or_back_in_says_whether_it_changed_the_persons_choice()
    {
        Assert.False(await Store.SetOptedOutAsync("ann", optedOut: false, default));
        Assert.True(await Store.SetOptedOutAsync("ann", optedOut: true, default));
        Assert.False(await Store.SetOptedOutAsync("ann", optedOut: true, default));
        Assert.True((await Store.ControlAsync(default)).IsOptedOut("ann"));

        Assert.True(await Store.SetOptedOutAsync("ann", optedOut: false, default));
        Assert.False(await Store.SetOptedOutAsync("ann", optedOut: false, default));
        Assert.False((await Store.ControlAsync(default)).IsOptedOut("ann"));
    }

    [Fact]
    public async Task A_listener_hears_of_a_stop_and_of_an_opt_out()
    {
        var heard = 0;
        await using var listening = await Store.OnControlChangedAsync(() => Interlocked.Increment(ref heard), default);

        await Store.StopAsync(new ArmStop(Experiment, Challenger, "harm", "guardrail", Start), default);
        await Poll.UntilAsync(() => Volatile.Read(ref heard) >= 1, "the listener to hear of the stop");

        await Store.SetOptedOutAsync("ann", optedOut: true, default);
        await Poll.UntilAsync(() => Volatile.Read(ref heard) >= 2, "the listener to hear of the opt-out");

        await Store.SetOptedOutAsync("ann", optedOut: false, default);
        await Poll.UntilAsync(() => Volatile.Read(ref heard) >= 3, "the listener to hear of the opt-in");
    }

    [Fact]
    public async Task A_listener_that_stopped_listening_hears_nothing_more()
    {
        var stopped = 0;
        var still = 0;
        var listening = await Store.OnControlChangedAsync(() => Interlocked.Increment(ref stopped), default);
        await using var stillListening = await Store.OnControlChangedAsync(() => Interlocked.Increment(ref still), default);
        await listening.DisposeAsync();

        await Store.SetOptedOutAsync("ann", optedOut: true, default);

        // The change reaches every listener together, so once the one still listening has heard it the other would have.
        await Poll.UntilAsync(() => Volatile.Read(ref still) >= 1, "the remaining listener to hear of the opt-out");
        Assert.Equal(0, Volatile.Read(ref stopped));
    }

    [Fact]
    public async Task Forgetting_a_person_removes_their_votes_and_steps_recounts_the_arms_keeps_their_opt_out_and_says_how_many_records_went()
    {
        await Store.RecordAsync(Turn("t-1"), default);
        await RecordAsync(
            Vote("ann", "f-1", true), Vote("ann", "f-1", false), Vote("ann", "f-2", false),
            Vote("bob", "f-1", true),
            Vote("ann", "f-7", true, experiment: "other-experiment"));
        await RecordAsync(
            Step("ann", InterviewMilestone.Started, "s-1"), Step("ann", InterviewMilestone.Answered, "s-1:1"),
            Step("ann", InterviewMilestone.Finished, "s-1"), Step("ann", InterviewMilestone.Started, "s-2", Start.AddDays(1)),
            Step("bob", InterviewMilestone.Started, "s-3"),
            Step("ann", InterviewMilestone.Started, "s-9", arm: Baseline, experiment: "other-experiment"));
        await Store.SetOptedOutAsync("ann", optedOut: true, default);

        // Two votes here and one in the other experiment; four steps here and one there.
        Assert.Equal(8, await Store.ForgetAsync("ann", default));

        var arm = await ArmAsync(now: Start.AddDays(30));
        Assert.Equal((1L, new ShareCount(1, 1)), (arm.Votes, arm.HelpfulRaters));
        Assert.Equal((1L, 1L, 0L, 0L), (arm.Candidates, arm.InterviewsStarted, arm.Answers, arm.InterviewsFinished));
        Assert.Equal((1L, 0L), (arm.ReturnEligible, arm.Returned));
        Assert.Equal((1L, 100L), (arm.Feedbacks, arm.PromptTokens));
        var other = await ArmAsync(Baseline, "other-experiment");
        Assert.Equal((0L, 0L, 0L), (other.Votes, other.Candidates, other.InterviewsStarted));
        var otherChallenger = await ArmAsync(Challenger, "other-experiment");
        Assert.Equal((0L, new ShareCount(0, 0)), (otherChallenger.Votes, otherChallenger.HelpfulRaters));
        Assert.True((await Store.ControlAsync(default)).IsOptedOut("ann"));
        Assert.Equal(0, await Store.ForgetAsync("ann", default));
    }

    [Fact]
    public async Task An_experiment_no_replica_declares_for_longer_than_the_keep_is_ended_and_one_declared_again_is_not()
    {
        var keep = TimeSpan.FromDays(90);
        await Store.RecordAsync(Turn("t-1"), default);
        await Store.RecordAsync(Turn("t-2", experiment: "other-experiment"), default);

        Assert.Empty(await Store.EndedAsync(["other-experiment"], Start, keep, default));
        Assert.Empty(await Store.EndedAsync([], Start.AddDays(90), keep, default));
        Assert.Equal([Experiment, "other-experiment"], await Store.EndedAsync([], Start.AddDays(90).AddMinutes(1), keep, default));

        Assert.Equal(["other-experiment"], await Store.EndedAsync([Experiment], Start.AddDays(91), keep, default));
        Assert.Equal(["other-experiment"], await Store.EndedAsync([], Start.AddDays(180), keep, default));
        Assert.Equal([Experiment, "other-experiment"], await Store.EndedAsync([], Start.AddDays(182), keep, default));
    }

    [Fact]
    public async Task An_experiment_declared_with_nothing_recorded_but_its_pins_is_ended_too()
    {
        await Store.PinAllocationAsync(Experiment, "v1=1,v2=1", default);
        await Store.PinBaselineAsync(Experiment, "v1", default);
        await Store.PinTestSettingsAsync(Experiment, "alpha=0.05;delta=0.1;mixing=0.01", default);

        Assert.Empty(await Store.EndedAsync([Experiment], Start, TimeSpan.FromDays(1), default));
        Assert.Equal([Experiment], await Store.EndedAsync([], Start.AddDays(2), TimeSpan.FromDays(1), default));

        Assert.True(await Store.DeleteEndedAsync(Experiment, Start.AddDays(2), TimeSpan.FromDays(1), default) >= 3);
        Assert.Null(await Store.PinnedTestSettingsAsync(Experiment, default));
        Assert.Equal("v1=5,v2=1", await Store.PinAllocationAsync(Experiment, "v1=5,v2=1", default));
        Assert.Equal("v2", await Store.PinBaselineAsync(Experiment, "v2", default));
    }

    [Fact]
    public async Task An_ended_experiment_a_replica_declares_again_before_the_delete_is_not_deleted()
    {
        var keep = TimeSpan.FromDays(1);
        await Store.RecordAsync(Turn("t-1"), default);
        await Store.EndedAsync([], Start, keep, default);
        Assert.Equal([Experiment], await Store.EndedAsync([], Start.AddDays(2), keep, default));

        await Store.EndedAsync([Experiment], Start.AddDays(2).AddMinutes(1), keep, default);

        Assert.Equal(0, await Store.DeleteEndedAsync(Experiment, Start.AddDays(2), keep, default));
        Assert.Equal(1, (await ArmAsync()).Feedbacks);
        Assert.Empty(await Store.EndedAsync([], Start.AddDays(2).AddMinutes(2), keep, default));
    }

    [Fact]
    public async Task Deleting_an_experiment_removes_all_it_recorded_and_keeps_other_experiments_and_opt_outs()
    {
        foreach (var experiment in new[] { Experiment, "other-experiment" })
        {
            await Store.RecordAsync(Turn("t-1", experiment: experiment), default);
            await RecordAsync(Vote("ann", "f-1", true, experiment: experiment));
            await RecordAsync(Step("ann", InterviewMilestone.Started, "s-1", experiment: experiment), Step("ann", InterviewMilestone.Finished, "s-1", experiment: experiment));
            await Store.AddSnapshotAsync(experiment, "slot", new ExperimentSnapshot(Start, await Store.MetricsAsync(experiment, Start, default)), default);
            await Store.PinAllocationAsync(experiment, "v1=1,v2=1", default);
            await Store.PinBaselineAsync(experiment, "v1", default);
            await Store.PinTestSettingsAsync(experiment, "alpha=0.05;delta=0.1;mixing=0.01", default);
            await Store.StopAsync(new ArmStop(experiment, Challenger, "harm", "guardrail", Start), default);
        }

        await Store.SetOptedOutAsync("ann", optedOut: true, default);
        await Store.EndedAsync([], Start, TimeSpan.FromDays(1), default);
        var otherBefore = await Store.MetricsAsync("other-experiment", Start, default);

        Assert.True(await Store.DeleteEndedAsync(Experiment, Start.AddDays(2), TimeSpan.FromDays(1), default) >= 7);
        Assert.Equal(0, await Store.DeleteEndedAsync(Experiment, Start.AddDays(2), TimeSpan.FromDays(1), default));

        Assert.Empty(await Store.MetricsAsync(Experiment, Start, default));
        Assert.Empty(await Store.SnapshotsAsync(Experiment, default));
        Assert.Null(await Store.PinnedTestSettingsAsync(Experiment, default));
        Assert.Equal("v2", await Store.PinBaselineAsync(Experiment, "v2", default));
        Assert.Equal("v1", await Store.PinBaselineAsync("other-experiment", "v2", default));
        var control = await Store.ControlAsync(default);
        Assert.Null(control.StopOf(Experiment, Challenger));
        Assert.NotNull(control.StopOf("other-experiment", Challenger));
        Assert.True(control.IsOptedOut("ann"));
        AssertSameMetrics(otherBefore, await Store.MetricsAsync("other-experiment", Start, default));
        Assert.Single(await Store.SnapshotsAsync("other-experiment", default));
        Assert.Equal(["other-experiment"], await Store.EndedAsync([], Start.AddDays(2), TimeSpan.FromDays(1), default));

        // Recorded afresh, the same turn and vote count again: nothing of the old experiment is left to say they were seen.
        await Store.RecordAsync(Turn("t-1"), default);
        await RecordAsync(Vote("ann", "f-1", true));
        var arm = await ArmAsync();
        Assert.Equal((1L, 1L), (arm.Feedbacks, arm.Votes));

        // The new vote here; the vote and the two steps in the other experiment.
        Assert.Equal(4, await Store.ForgetAsync("ann", default));
    }

    [Fact]
    public async Task Forgetting_a_person_who_stopped_an_arm_by_hand_keeps_the_stop_without_their_id()
    {
        var theirs = new ArmStop(Experiment, Challenger, "stopped by hand", "admin-1", Start);
        var guardrail = new ArmStop("other-experiment", Challenger, "harm", "guardrail", Start);
        await Store.StopAsync(theirs, default);
        await Store.StopAsync(guardrail, default);

        Assert.Equal(1, await Store.ForgetAsync("admin-1", default));

        var control = await Store.ControlAsync(default);
        Assert.Equal(theirs with { By = ArmStop.Admin }, control.StopOf(Experiment, Challenger));
        Assert.Equal(guardrail, control.StopOf("other-experiment", Challenger));
        Assert.Equal(0, await Store.ForgetAsync("admin-1", default));
    }

    [Fact]
    public async Task A_person_forgotten_and_counted_again_starts_afresh()
    {
        await RecordAsync(Vote("ann", "f-1", false), Vote("ann", "f-2", false));
        await RecordAsync(Step("ann", InterviewMilestone.Started, "s-1"));
        await Store.ForgetAsync("ann", default);

        await RecordAsync(Vote("ann", "f-3", true));
        await RecordAsync(Step("ann", InterviewMilestone.Started, "s-1"));

        var arm = await ArmAsync();
        Assert.Equal((1L, new ShareCount(1, 1)), (arm.Votes, arm.HelpfulRaters));
        Assert.Equal((1L, 1L), (arm.Candidates, arm.InterviewsStarted));
    }

    [Fact]
    public async Task Experiments_do_not_leak_into_each_other()
    {
        await Store.RecordAsync(Turn("t-1"), default);
        await Store.RecordAsync(Turn("t-1", experiment: "other-experiment", arm: "v3"), default);
        await RecordAsync(Vote("ann", "f-1", true), Vote("ann", "f-1", false, experiment: "other-experiment", arm: "v3"));
        await RecordAsync(Step("ann", InterviewMilestone.Started, "s-1"), Step("ann", InterviewMilestone.Started, "s-1", experiment: "other-experiment", arm: "v3"));
        await Store.AddSnapshotAsync(Experiment, "slot", new ExperimentSnapshot(Start, []), default);
        await Store.StopAsync(new ArmStop(Experiment, Challenger, "harm", "guardrail", Start), default);

        Assert.True(await Store.AddSnapshotAsync("other-experiment", "slot", new ExperimentSnapshot(Start, []), default));
        Assert.True((await Store.StopAsync(new ArmStop("other-experiment", Challenger, "harm", "guardrail", Start), default)).StoppedNow);

        var here = Assert.Single(await Store.MetricsAsync(Experiment, Start, default));
        var there = Assert.Single(await Store.MetricsAsync("other-experiment", Start, default));
        Assert.Equal((Challenger, 1L, 1L, new ShareCount(1, 1), 1L), (here.Arm, here.Feedbacks, here.Votes, here.HelpfulRaters, here.InterviewsStarted));
        Assert.Equal(("v3", 1L, 1L, new ShareCount(0, 1), 1L), (there.Arm, there.Feedbacks, there.Votes, there.HelpfulRaters, there.InterviewsStarted));
        Assert.Empty(await Store.MetricsAsync("never-run", Start, default));
    }
}
