using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.Testing;

namespace Mockingbird.StudyGroups.Tests;

/// <summary>The scheduler on a fake clock: every slot posted once, across replicas, deaths, downtime and DST.</summary>
public sealed class DailySchedulerTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(20);

    [Theory]
    [InlineData("Europe/Berlin", "09:00", 2026, 3, 22)]
    [InlineData("Europe/Berlin", "02:30", 2026, 10, 18)]
    [InlineData("America/New_York", "02:30", 2026, 3, 1)]
    [InlineData("America/New_York", "01:30", 2026, 10, 25)]
    public async Task Two_weeks_of_ticks_across_a_daylight_saving_change_post_each_slot_exactly_once(string zone, string at, int year, int month, int day)
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero));
        var schedule = await world.SetScheduleAsync(at, zone);
        var end = world.Time.GetUtcNow().AddDays(14);

        while (world.Time.GetUtcNow() < end)
        {
            world.Time.Advance(Tick);
            await world.Scheduler.TickAsync(default);
        }

        var expected = DailySlots.Between(schedule, schedule.SetAt, end).Select(s => DailyRound.IdOf(schedule.Channel, s.Id)).ToList();
        Assert.Equal(14, expected.Count);
        Assert.Equal(expected, world.Platform.PostCalls);
        Assert.Equal(expected, world.Platform.Posts.Select(p => p.Round.Id));
    }

    [Fact]
    public async Task Two_replicas_ticking_interleaved_against_one_store_post_each_slot_once()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 3, 22, 0, 0, 0, TimeSpan.Zero));
        var other = world.NewReplica(world.Platform);
        var schedule = await world.SetScheduleAsync("09:00", "Europe/Berlin");
        var end = world.Time.GetUtcNow().AddDays(14);

        while (world.Time.GetUtcNow() < end)
        {
            world.Time.Advance(Tick);
            await Task.WhenAll(world.Scheduler.TickAsync(default), other.Scheduler.TickAsync(default));
            await other.Scheduler.TickAsync(default);
            await world.Scheduler.TickAsync(default);
        }

        var expected = DailySlots.Between(schedule, schedule.SetAt, end).Select(s => DailyRound.IdOf(schedule.Channel, s.Id)).ToList();
        Assert.Equal(expected, world.Platform.PostCalls);
    }

    [Fact]
    public async Task A_replica_that_dies_mid_post_leaves_the_slot_to_another_once_its_lease_runs_out()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        var dying = new RecordingStudyPlatform { HangPosts = true };
        var doomed = world.NewReplica(dying);
        await world.SetScheduleAsync("09:00", "Europe/Berlin");
        world.Time.Advance(TimeSpan.FromHours(1));

        await KillMidPostAsync(doomed, dying);

        await world.Scheduler.TickAsync(default);
        world.Time.Advance(world.Options.StepLease - TimeSpan.FromSeconds(1));
        await world.Scheduler.TickAsync(default);

        Assert.Empty(world.Platform.PostCalls);

        world.Time.Advance(TimeSpan.FromSeconds(2));
        await world.Scheduler.TickAsync(default);
        await world.Scheduler.TickAsync(default);

        Assert.Equal(["test:space-1:C0STUDY01:2026-06-01"], world.Platform.PostCalls);
        Assert.Equal(RoundState.Open, (await world.Store.FindRoundAsync("test:space-1:C0STUDY01:2026-06-01", default))!.State);
    }

    [Fact]
    public async Task A_post_left_half_made_is_finished_late_while_its_round_takes_answers_and_skipped_once_its_deadline_passed()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        var dying = new RecordingStudyPlatform { HangPosts = true };
        var doomed = world.NewReplica(dying);
        await world.SetScheduleAsync("09:00", "Europe/Berlin");

        // Each day's post is left half-made by a replica killed mid-post, and no other replica runs until 5 hours
        // after the second: the first is past its deadline by then, the second is not.
        foreach (var day in new[] { 1, 2 })
        {
            world.Time.Advance(TimeSpan.FromHours(day == 1 ? 1 : 24));
            await KillMidPostAsync(doomed, dying);
        }

        world.Time.Advance(TimeSpan.FromHours(5));
        await world.Scheduler.TickAsync(default);
        await world.Scheduler.TickAsync(default);

        Assert.Equal(["test:space-1:C0STUDY01:2026-06-02"], world.Platform.PostCalls);
        Assert.Equal(RoundState.Done, (await world.Store.FindRoundAsync("test:space-1:C0STUDY01:2026-06-01", default))!.State);
        Assert.Equal(RoundState.Open, (await world.Store.FindRoundAsync("test:space-1:C0STUDY01:2026-06-02", default))!.State);
        Assert.Single(world.Logs.Entries, e => e.Contains("was not made before its deadline passed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_post_that_reached_the_channel_while_the_store_could_not_record_it_is_shown_closed_as_not_run_once_its_deadline_passed()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        var (roundId, unlucky) = await PostWithoutRecordingItAsync(world);
        Assert.Single(world.Platform.Posts);
        world.Time.Advance(TimeSpan.FromDays(1));
        var callsBeforeTheDeadlinePassed = world.Platform.PostCalls.Count(id => id == roundId);

        await unlucky.Scheduler.TickAsync(default);
        await world.Scheduler.TickAsync(default);

        var closing = Assert.Single(world.Platform.UnrecordedClosings);
        Assert.Equal(roundId, closing.Round.Id);
        Assert.True(closing.Closed);
        Assert.Equal(StudyGroupTexts.NotRun, closing.NotRun);
        Assert.Empty(closing.Answerers);
        Assert.Equal(RoundState.Done, (await world.Store.FindRoundAsync(roundId, default))!.State);
        Assert.Equal(callsBeforeTheDeadlinePassed, world.Platform.PostCalls.Count(id => id == roundId));
        Assert.Single(world.Platform.Posts, p => p.Round.Id == roundId);
        Assert.Single(world.Logs.Entries, e => e.Contains("shown closed as not run", StringComparison.Ordinal));

        // Its button, pressed in the channel, says the same: no reveal is coming.
        Assert.Equal(StudyGroupTexts.NotRun, (await world.Rounds.OpenFormAsync(roundId, "a", default)).Refusal);
        var reply = await world.AnswerAsync(closing.Round, "a", "An answer to a question that was never run.", StudyGroupWorld.Access());
        Assert.StartsWith(StudyGroupTexts.NotRun, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("reveal follows", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_left_unrecorded_that_cannot_be_shown_closed_yet_is_tried_again_at_the_next_tick_and_never_posted_again()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        var other = world.NewReplica(world.Platform);
        var (roundId, _) = await PostWithoutRecordingItAsync(world);
        world.Time.Advance(TimeSpan.FromDays(1));
        var callsBeforeTheDeadlinePassed = world.Platform.PostCalls.Count(id => id == roundId);

        world.Platform.CloseUnrecordedFault = _ => new IOException("connection reset");
        await world.Scheduler.TickAsync(default);

        Assert.Empty(world.Platform.UnrecordedClosings);
        Assert.Equal(RoundState.Posting, (await world.Store.FindRoundAsync(roundId, default))!.State);

        world.Platform.CloseUnrecordedFault = _ => null;
        world.Time.Advance(Tick);
        await Task.WhenAll(world.Scheduler.TickAsync(default), other.Scheduler.TickAsync(default));
        await other.Scheduler.TickAsync(default);

        Assert.Equal(roundId, Assert.Single(world.Platform.UnrecordedClosings).Round.Id);
        Assert.Equal(RoundState.Done, (await world.Store.FindRoundAsync(roundId, default))!.State);
        Assert.Equal(callsBeforeTheDeadlinePassed, world.Platform.PostCalls.Count(id => id == roundId));
        Assert.Single(world.Platform.Posts, p => p.Round.Id == roundId);
    }

    [Fact]
    public async Task A_post_that_reached_the_channel_unrecorded_before_its_schedule_was_turned_off_is_shown_closed_as_not_run()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        var (roundId, _) = await PostWithoutRecordingItAsync(world);
        var callsBeforeTheScheduleWasTurnedOff = world.Platform.PostCalls.Count;

        await world.Store.RemoveScheduleAsync(StudyGroupWorld.Channel.Key, default);
        world.Time.Advance(Tick);
        await world.Scheduler.TickAsync(default);

        Assert.Equal(roundId, Assert.Single(world.Platform.UnrecordedClosings).Round.Id);
        Assert.Equal(RoundState.Done, (await world.Store.FindRoundAsync(roundId, default))!.State);
        Assert.Equal(callsBeforeTheScheduleWasTurnedOff, world.Platform.PostCalls.Count);
        Assert.Single(world.Platform.Posts);
    }

    [Fact]
    public async Task A_slot_recovered_within_the_grace_window_but_after_its_short_rounds_deadline_is_skipped_not_posted()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        await world.SetScheduleAsync("09:00", "Europe/Berlin", roundLength: TimeSpan.FromHours(1));

        world.Time.Advance(TimeSpan.FromHours(2.5));
        await world.Scheduler.TickAsync(default);
        await world.Scheduler.TickAsync(default);

        Assert.Empty(world.Platform.PostCalls);
        Assert.Empty(world.Platform.UnrecordedClosings);
        Assert.Empty(await world.Store.UnfinishedRoundsAsync(default));
        Assert.Single(world.Logs.Entries, e => e.Contains("was not made before its deadline passed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replica_whose_post_failed_lets_go_of_the_step_so_the_next_tick_posts_at_once()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        var failing = new RecordingStudyPlatform { PostFault = _ => new IOException("connection reset") };
        var unlucky = world.NewReplica(failing);
        await world.SetScheduleAsync("09:00", "Europe/Berlin");
        world.Time.Advance(TimeSpan.FromHours(1));

        await unlucky.Scheduler.TickAsync(default);
        await world.Scheduler.TickAsync(default);

        Assert.NotEmpty(failing.PostCalls);
        Assert.Equal(["test:space-1:C0STUDY01:2026-06-01"], world.Platform.PostCalls);
    }

    [Fact]
    public async Task A_slot_missed_while_down_is_posted_once_on_recovery_within_the_grace_window()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        await world.SetScheduleAsync("09:00", "Europe/Berlin");

        world.Time.Advance(TimeSpan.FromHours(1) + world.Options.MissedSlotGrace - TimeSpan.FromMinutes(1));
        await world.Scheduler.TickAsync(default);
        await world.Scheduler.TickAsync(default);

        Assert.Equal(["test:space-1:C0STUDY01:2026-06-01"], world.Platform.PostCalls);
    }

    [Fact]
    public async Task A_slot_missed_beyond_the_grace_window_is_skipped_and_logged_once()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        await world.SetScheduleAsync("09:00", "Europe/Berlin");

        world.Time.Advance(TimeSpan.FromHours(1) + world.Options.MissedSlotGrace + TimeSpan.FromMinutes(1));
        for (var i = 0; i < 5; i++)
        {
            await world.Scheduler.TickAsync(default);
            world.Time.Advance(Tick);
        }

        Assert.Empty(world.Platform.PostCalls);
        Assert.Single(world.Logs.Entries, e => e.Contains("2026-06-01", StringComparison.Ordinal) && e.Contains("skipped", StringComparison.Ordinal));

        world.Time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromHours(4));
        await world.Scheduler.TickAsync(default);
        Assert.Equal(["test:space-1:C0STUDY01:2026-06-02"], world.Platform.PostCalls);
    }

    [Fact]
    public async Task A_schedule_set_after_todays_time_starts_tomorrow()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
        await world.SetScheduleAsync("09:00", "Europe/Berlin");

        await world.Scheduler.TickAsync(default);
        world.Time.Advance(Tick);
        await world.Scheduler.TickAsync(default);
        Assert.Empty(world.Platform.PostCalls);

        world.Time.Advance(TimeSpan.FromDays(1));
        await world.Scheduler.TickAsync(default);
        Assert.Equal(["test:space-1:C0STUDY01:2026-06-02"], world.Platform.PostCalls);
    }

    [Fact]
    public async Task A_post_the_channel_refuses_for_now_skips_that_day_once_with_a_warning_keeps_its_question_unspent_and_the_schedule_posts_the_next_day()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        await world.SetScheduleAsync("09:00", "Europe/Berlin");
        world.Platform.PostFault = _ => new StudyPostRefusedException("Discord refused the post with code 50013, Missing Permissions");

        world.Time.Advance(TimeSpan.FromHours(1));
        await TickEveryTickAsync(world, times: 5);

        var refusedThatDay = world.Platform.PostCalls.Count;
        world.Platform.PostFault = _ => null;
        world.Time.Advance(TimeSpan.FromDays(1));
        await world.Scheduler.TickAsync(default);

        Assert.Equal(1, refusedThatDay);
        Assert.NotNull(await world.Store.FindScheduleAsync(StudyGroupWorld.Channel.Key, default));
        var refused = (await world.Store.FindRoundAsync("test:space-1:C0STUDY01:2026-06-01", default))!;
        Assert.Equal(RoundState.Done, refused.State);
        var posted = (await world.Store.FindRoundAsync("test:space-1:C0STUDY01:2026-06-02", default))!;
        Assert.Equal([posted.QuestionId], await world.Store.RecentQuestionsAsync(StudyGroupWorld.Channel.Key, 10, default));
        Assert.Single(world.Logs.Entries, e => e.Contains("refused the post", StringComparison.Ordinal) && e.Contains("its schedule stays", StringComparison.Ordinal));
        Assert.Equal(["test:space-1:C0STUDY01:2026-06-01", "test:space-1:C0STUDY01:2026-06-02"], world.Platform.PostCalls);
    }

    [Fact]
    public async Task A_slot_no_question_fits_posts_nothing_and_is_logged_once_not_at_every_tick()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        await world.SetScheduleAsync("09:00", "Europe/Berlin", focus: new DailyFocus(Topic: "no-such-topic"));

        world.Time.Advance(TimeSpan.FromHours(1));
        await TickEveryTickAsync(world, times: 5);

        Assert.Empty(world.Platform.PostCalls);
        Assert.Single(world.Logs.Entries, e => e.Contains("No question in the bank fits", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_channel_that_is_gone_stops_its_schedule_with_a_log_line()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        await world.SetScheduleAsync("09:00", "Europe/Berlin");
        world.Platform.PostFault = _ => new StudyChannelGoneException("gone");

        world.Time.Advance(TimeSpan.FromHours(1));
        await world.Scheduler.TickAsync(default);
        world.Time.Advance(TimeSpan.FromDays(1));
        await world.Scheduler.TickAsync(default);

        Assert.Single(world.Platform.PostCalls);
        Assert.Null(await world.Store.FindScheduleAsync(StudyGroupWorld.Channel.Key, default));
        Assert.Empty(await world.Store.UnfinishedRoundsAsync(default));
        Assert.Single(world.Logs.Entries, e => e.Contains(StudyGroupWorld.Channel.Key, StringComparison.Ordinal) && e.Contains("stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_round_posted_the_day_before_clocks_go_forward_closes_before_the_next_days_post()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 3, 28, 7, 0, 0, TimeSpan.Zero));
        var schedule = await world.SetScheduleAsync("09:00", "Europe/Berlin");
        world.Time.Advance(TimeSpan.FromHours(1));

        await world.Scheduler.TickAsync(default);

        var round = (await world.Store.FindRoundAsync(DailyRound.IdOf(schedule.Channel, "2026-03-28"), default))!;
        Assert.Equal(DailySlots.Next(schedule, round.Slot.At).At, round.Deadline);
        Assert.Equal(TimeSpan.FromHours(23), round.Deadline - round.Slot.At);
    }

    /// <summary>
    /// The doomed replica ticks and is killed while its post is on the wire: it neither finishes, nor lets go, nor
    /// renews its lease.
    /// </summary>
    private static async Task KillMidPostAsync(StudyGroupWorld.Replica doomed, RecordingStudyPlatform dying)
    {
        var postsBefore = dying.PostCalls.Count;
        using var kill = new CancellationTokenSource();
        var doomedTick = doomed.Scheduler.TickAsync(kill.Token);
        await Mockingbird.Testing.Poll.UntilAsync(() => dying.PostCalls.Count > postsBefore, "the doomed replica's post to be under way");
        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => doomedTick);
    }

    private static async Task TickEveryTickAsync(StudyGroupWorld world, int times)
    {
        for (var tick = 0; tick < times; tick++)
        {
            await world.Scheduler.TickAsync(default);
            world.Time.Advance(Tick);
        }
    }

    /// <summary>
    /// A replica posts the day's question at 09:00 Berlin while the store cannot record it, so the post is in the
    /// channel and the round is still being posted; the store works again afterwards.
    /// </summary>
    private static async Task<(string RoundId, StudyGroupWorld.Replica Unlucky)> PostWithoutRecordingItAsync(StudyGroupWorld world)
    {
        var (store, outage) = StudyGroupStoreOutage.Around(world.Store);
        var unlucky = world.NewReplica(world.Platform, store);
        await world.SetScheduleAsync("09:00", "Europe/Berlin");
        outage.Fail(nameof(IStudyGroupStore.MarkPostedAsync));
        world.Time.Advance(TimeSpan.FromHours(1));
        await unlucky.Scheduler.TickAsync(default);
        outage.End();
        return ("test:space-1:C0STUDY01:2026-06-01", unlucky);
    }
}
