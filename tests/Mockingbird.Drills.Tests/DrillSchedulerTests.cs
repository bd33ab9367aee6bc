using Mockingbird.Chat.Delivery;
using Mockingbird.Testing;

namespace Mockingbird.Drills.Tests;

public sealed class DrillSchedulerTests
{
    [Fact]
    public async Task A_candidate_with_drills_on_gets_one_drill_on_their_weakest_dimension_a_day_after_the_interview()
    {
        var world = new DrillWorld();
        world.Interviewed("c-1", TimeSpan.Zero, ("depth", 1.5), ("coverage", 2.5), ("trade-offs-and-examples", 3.5));
        await world.RunAsync("c-1", "drills on");
        var replica = world.Replica();

        await world.AdvanceAsync(TimeSpan.FromHours(23), replica);
        Assert.Empty(world.Platform.Sent);
        await world.AdvanceAsync(TimeSpan.FromHours(1), replica);

        var (message, at) = Assert.Single(world.Platform.Sent);
        Assert.Equal(("c-1", "depth", DrillWorld.Start + TimeSpan.FromDays(1)), (message.CandidateId, message.Dimension, at));
        Assert.EndsWith(DrillQuestions.Framing, message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(SampleQuestions.Attention.Prompt, message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_replicas_on_one_clock_send_each_due_drill_exactly_once_over_a_month()
    {
        var world = new DrillWorld();
        foreach (var candidate in new[] { "c-1", "c-2", "c-3" })
        {
            world.Interviewed(candidate, TimeSpan.Zero, ("depth", 1.5), ("coverage", 2.0), ("scoping", 2.4));
            await world.RunAsync(candidate, "drills on");
        }

        await world.AdvanceAsync(TimeSpan.FromDays(30), world.Replica(), world.Replica());

        var sent = world.Platform.Sent;
        Assert.True(sent.Count >= 3 * 6, $"only {sent.Count} drills were sent");
        Assert.Equal(sent.Count, sent.Select(s => (s.Message.CandidateId, s.Message.DrillId)).Distinct().Count());
        Assert.All(sent.GroupBy(s => s.Message.CandidateId), g => Assert.Equal(["coverage", "depth", "scoping"], g.Select(s => s.Message.Dimension).Distinct().Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Quiet_hours_hold_drills_until_eight_local_in_berlin_across_its_clock_change_and_in_new_york()
    {
        // 23:30 UTC on 23 October: each interview's drill falls due 24 hours later, at night in both zones.
        var world = new DrillWorld(time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 10, 23, 23, 30, 0, TimeSpan.Zero)));
        world.Interviewed("berlin", TimeSpan.Zero, ("depth", 1.5));
        await world.RunAsync("berlin", "drills on Europe/Berlin");
        world.Interviewed("new-york", TimeSpan.FromHours(-4), ("depth", 1.5));
        await world.RunAsync("new-york", "drills on America/New_York");

        await world.AdvanceAsync(TimeSpan.FromDays(2), world.Replica(), world.Replica());

        var at = world.Platform.Sent.ToDictionary(s => s.Message.CandidateId, s => s.At);
        // Due 01:30 on 25 October in Berlin, the night summer time ends: 08:00 is UTC+1 by then.
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 7, 0, 0, TimeSpan.Zero), at["berlin"]);
        // Due 23:30 EDT on 24 October in New York: 08:00 EDT the next morning.
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 12, 0, 0, TimeSpan.Zero), at["new-york"]);
    }

    [Fact]
    public async Task Turning_drills_off_stops_one_already_due_and_every_later_one()
    {
        var world = new DrillWorld();
        world.Interviewed("c-1", TimeSpan.FromDays(2), ("depth", 1.5));
        await world.RunAsync("c-1", "drills on");
        Assert.Equal(world.Time.GetUtcNow(), await world.Store.NextDueAsync(default));

        var reply = await world.RunAsync("c-1", "drills off");
        await world.AdvanceAsync(TimeSpan.FromDays(20), world.Replica(), world.Replica());

        Assert.StartsWith("Drills are off", reply, StringComparison.Ordinal);
        Assert.Empty(world.Platform.Sent);
        Assert.Null(await world.Store.NextDueAsync(default));
    }

    [Fact]
    public async Task Drills_turned_off_after_a_replica_claimed_one_are_not_sent()
    {
        var world = new DrillWorld();
        world.Interviewed("c-1", TimeSpan.FromDays(2), ("depth", 1.5));
        await world.RunAsync("c-1", "drills on");
        var claimed = 0;
        world.BeforeHistory = async candidate =>
        {
            claimed++;
            await world.RunAsync(candidate, "drills off");
        };

        await world.AdvanceAsync(TimeSpan.FromDays(5), world.Replica());

        Assert.Equal(1, claimed);
        Assert.Empty(world.Platform.Sent);
    }

    [Fact]
    public async Task A_replica_that_dies_after_claiming_gives_the_drill_back_after_its_lease()
    {
        var world = new DrillWorld();
        world.Interviewed("c-1", TimeSpan.FromDays(2), ("depth", 1.5));
        await world.RunAsync("c-1", "drills on");
        Assert.Single(await world.Store.ClaimDueAsync(world.Time.GetUtcNow(), world.Options.Lease, 10, default));
        var survivor = world.Replica();

        await world.AdvanceAsync(world.Options.Lease - TimeSpan.FromSeconds(1), survivor);
        Assert.Empty(world.Platform.Sent);
        await world.AdvanceAsync(TimeSpan.FromSeconds(1), survivor);

        Assert.Single(world.Platform.Sent);
    }

    [Fact]
    public async Task A_drill_sent_by_a_replica_that_died_before_saving_the_plan_is_not_sent_again_and_the_plan_moves_on()
    {
        var world = new DrillWorld();
        world.Interviewed("c-1", TimeSpan.FromDays(2), ("depth", 1.5));
        await world.RunAsync("c-1", "drills on");
        var claim = Assert.Single(await world.Store.ClaimDueAsync(world.Time.GetUtcNow(), world.Options.Lease, 10, default));
        var key = DrillScheduler.DeliveryKeyOf("c-1", DrillScheduler.DrillIdOf("depth", claim.DueAt));
        Assert.Equal(DeliveryClaimOutcome.Claimed, await world.Ledger.TryClaimAsync(key, "dead-replica", default));
        await world.Ledger.RecordPostedAsync(key, default);
        var survivor = world.Replica();

        await world.AdvanceAsync(world.Options.Lease, survivor);

        Assert.Empty(world.Platform.Sent);
        var plan = await world.Store.FindAsync("c-1", default);
        Assert.Equal(DrillScheduler.DrillIdOf("depth", claim.DueAt), Assert.Single(plan!.Sent).DrillId);
        Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromDays(1), await world.Store.NextDueAsync(default));
    }

    [Fact]
    public async Task The_scheduler_sleeps_on_the_clock_until_the_next_drill_is_due_at_most_a_minute_at_a_time()
    {
        var clock = new TimerWatchingClock(DrillWorld.Start);
        var world = new DrillWorld(time: clock);
        world.Interviewed("c-1", TimeSpan.FromDays(1) - TimeSpan.FromSeconds(30), ("depth", 1.5));
        await world.RunAsync("c-1", "drills on");
        using var scheduler = world.Replica();
        await scheduler.StartAsync(default);

        var first = await clock.WaitForTimerAsync(_ => true, "any timer");
        Assert.Equal(TimeSpan.FromSeconds(30), first);
        clock.Advance(TimeSpan.FromSeconds(30));

        await Poll.UntilAsync(() => world.Platform.Sent.Count == 1, "the drill to be sent when its timer fired");
        await clock.WaitForTimerAsync(world.Options.MaxWait);
        await scheduler.StopAsync(default);
    }
}
