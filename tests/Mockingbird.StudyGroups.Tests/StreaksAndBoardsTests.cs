using Mockingbird.Interview.Judging;
using Mockingbird.StudyGroups.Boards;
using Mockingbird.StudyGroups.Rounds;

namespace Mockingbird.StudyGroups.Tests;

/// <summary>Streaks in the channel's own days with a weekly grace day, boards with opt-out, and forget-me.</summary>
public sealed class StreaksAndBoardsTests
{
    // Monday 1 June 2026.
    private static readonly DateOnly Monday = new(2026, 6, 1);

    [Fact]
    public async Task A_member_answering_late_in_the_evening_in_Tokyo_counts_the_channels_day_not_the_UTC_one()
    {
        // 00:00 on 2 June in Tokyo: the 00:30 post of each day falls on the previous UTC date.
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 15, 0, 0, TimeSpan.Zero));
        await world.SetScheduleAsync("00:30", "Asia/Tokyo");
        var access = StudyGroupWorld.Access(member: true);

        world.Time.Advance(TimeSpan.FromMinutes(31));
        await world.Scheduler.TickAsync(default);
        for (var day = 0; day < 3; day++)
        {
            var round = Assert.Single(await world.Store.UnfinishedRoundsAsync(default), r => r.State == RoundState.Open);
            world.Time.Advance(round.Slot.At + TimeSpan.FromHours(23) - world.Time.GetUtcNow());
            Assert.Equal(new TimeOnly(23, 30), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(world.Time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DateTime));
            await world.Rounds.AnswerAsync(StudyGroupWorld.Request("night-owl", access), round.Id, "I would add monitoring and an alert, then roll back.", t => t, default);
            world.Time.Advance(round.Deadline - world.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
            await world.Scheduler.TickAsync(default);
            await world.JudgeQueuedAsync();
        }

        var records = await world.Store.RecordsAsync(StudyGroupWorld.Channel.Key, default);
        Assert.Equal([new DateOnly(2026, 6, 2), new DateOnly(2026, 6, 3), new DateOnly(2026, 6, 4)], records.Select(r => r.Day).Order());
        var streak = await world.Commands.CommandAsync(StudyGroupWorld.Request("night-owl", access), new DailyCommand.Streak(null), "/mock", default);
        Assert.Contains("3 days (best 3 days), counted in Asia/Tokyo days", streak, StringComparison.Ordinal);
    }

    [Fact]
    public void One_missed_day_a_week_is_forgiven_and_keeps_the_run_without_adding_to_it()
    {
        var days = new[] { Monday, Monday.AddDays(1), Monday.AddDays(3), Monday.AddDays(4) };

        Assert.Equal(new Streak(4, 4), DailyStreaks.Of(days, Monday.AddDays(4), graceDaysPerWeek: 1));
    }

    [Fact]
    public void Two_missed_days_in_one_week_break_the_run()
    {
        var days = new[] { Monday, Monday.AddDays(2), Monday.AddDays(4), Monday.AddDays(5) };

        Assert.Equal(new Streak(2, 2), DailyStreaks.Of(days, Monday.AddDays(5), graceDaysPerWeek: 1));
    }

    [Fact]
    public void Missed_days_in_different_weeks_each_use_their_own_weeks_grace()
    {
        // Sunday 7 June and Monday 8 June are missed: one in each week.
        var days = new[] { Monday.AddDays(4), Monday.AddDays(5), Monday.AddDays(8), Monday.AddDays(9) };

        Assert.Equal(new Streak(4, 4), DailyStreaks.Of(days, Monday.AddDays(9), graceDaysPerWeek: 1));
        Assert.Equal(new Streak(2, 2), DailyStreaks.Of(days, Monday.AddDays(9), graceDaysPerWeek: 0));
    }

    [Fact]
    public void Today_not_yet_answered_does_not_break_the_run()
    {
        Assert.Equal(new Streak(2, 2), DailyStreaks.Of([Monday, Monday.AddDays(1)], Monday.AddDays(2), graceDaysPerWeek: 0));
    }

    [Fact]
    public void Boards_rank_by_points_over_their_period_and_leave_out_members_who_opted_out()
    {
        var records = new[]
        {
            Record("r1", new DateOnly(2026, 5, 20), "ann", 4),
            Record("r1", new DateOnly(2026, 5, 20), "bob", 1),
            Record("r2", Monday, "bob", 3),
            Record("r2", Monday, "cy", 2),
            Record("r3", Monday.AddDays(2), "cy", 2),
            Record("r3", Monday.AddDays(2), "dee", 4),
            Record("r3", Monday.AddDays(2), "eve", 4),
        };
        var optedOut = new HashSet<string>(["eve"], StringComparer.Ordinal);
        var today = Monday.AddDays(2);

        var week = DailyBoards.Build(records, BoardPeriod.Week, today, optedOut);
        var allTime = DailyBoards.Build(records, BoardPeriod.AllTime, today, optedOut);

        Assert.Equal(["cy", "dee", "bob"], week.Select(r => r.MemberId));
        Assert.Equal(new BoardRow("cy", 2, 4, 2), week[0]);
        Assert.Equal(["bob", "cy", "ann", "dee"], allTime.Select(r => r.MemberId));
        Assert.DoesNotContain(DailyBoards.Build(records, BoardPeriod.Month, today, optedOut), r => r.MemberId == "ann");
    }

    [Fact]
    public async Task An_answer_to_a_round_still_open_or_being_judged_counts_for_the_streak_before_its_reveal()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
        await world.SetScheduleAsync("09:00", "UTC");
        var access = StudyGroupWorld.Access(member: true);
        for (var day = 0; day < 3; day++)
        {
            world.Time.Advance(TimeSpan.FromHours(day == 0 ? 3.5 : 24));
            await world.Scheduler.TickAsync(default);
            var round = Assert.Single(await world.Store.UnfinishedRoundsAsync(default), r => r.State == RoundState.Open);
            await world.Rounds.AnswerAsync(StudyGroupWorld.Request("ann", access), round.Id, "I would add monitoring and an alert, then roll back.", t => t, default);
        }

        var streak = await world.Commands.CommandAsync(StudyGroupWorld.Request("ann", access), new DailyCommand.Streak(null), "/mock", default);

        Assert.True((await world.Store.RecordsAsync(StudyGroupWorld.Channel.Key, default)).Count < 3);
        Assert.Contains("Your streak in", streak, StringComparison.Ordinal);
        Assert.Contains("3 days (best 3 days)", streak, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_me_removes_the_member_from_boards_and_streaks()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 3, 12, 0, 0, TimeSpan.Zero));
        await world.SetScheduleAsync("09:00", "Europe/Berlin");
        await world.Store.ClaimRoundAsync(new DailyRound("test:space-1:C0STUDY01:2026-06-02", StudyGroupWorld.Channel, new(default, Monday.AddDays(1)), DateTimeOffset.MaxValue, "q", RoundState.Open), default);
        await world.Store.MarkPostedAsync("test:space-1:C0STUDY01:2026-06-02", "post-1", "thread-1", default);
        foreach (var member in new[] { "ann", "bob" })
        {
            await world.Store.SaveAnswerAsync("test:space-1:C0STUDY01:2026-06-02", member, "text", default, default);
        }

        await world.Store.CloseAsync("test:space-1:C0STUDY01:2026-06-02", default);
        foreach (var (member, ordinal) in new[] { ("ann", 1), ("bob", 2) })
        {
            await world.Store.SaveResultAsync("test:space-1:C0STUDY01:2026-06-02", new DailyResult(member, ordinal, null), Record("test:space-1:C0STUDY01:2026-06-02", Monday.AddDays(1), member, 3), default);
        }

        var access = StudyGroupWorld.Access();
        var before = await world.Commands.CommandAsync(StudyGroupWorld.Request("bob", access), new DailyCommand.Board(null, BoardPeriod.Week), "/mock", default);
        Assert.Contains("@bob", before, StringComparison.Ordinal);

        Assert.True(await world.Store.ForgetAsync("bob", default) >= 3);

        var board = await world.Commands.CommandAsync(StudyGroupWorld.Request("ann", access), new DailyCommand.Board(null, BoardPeriod.AllTime), "/mock", default);
        var streak = await world.Commands.CommandAsync(StudyGroupWorld.Request("bob", access), new DailyCommand.Streak(null), "/mock", default);
        Assert.Contains("@ann", board, StringComparison.Ordinal);
        Assert.DoesNotContain("@bob", board, StringComparison.Ordinal);
        Assert.Contains("You have not answered a daily question", streak, StringComparison.Ordinal);
        Assert.DoesNotContain(await world.Store.AnswersAsync("test:space-1:C0STUDY01:2026-06-02", default), a => a.MemberId == "bob");
    }

    [Fact]
    public async Task A_member_who_turns_boards_off_is_left_off_the_channels_board()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 3, 12, 0, 0, TimeSpan.Zero));
        var access = StudyGroupWorld.Access();
        await world.Store.ClaimRoundAsync(new DailyRound("test:space-1:C0STUDY01:2026-06-02", StudyGroupWorld.Channel, new(default, Monday.AddDays(1)), DateTimeOffset.MaxValue, "q", RoundState.Open), default);
        await world.Store.MarkPostedAsync("test:space-1:C0STUDY01:2026-06-02", "post-1", "thread-1", default);
        foreach (var member in new[] { "ann", "bob" })
        {
            await world.Store.SaveAnswerAsync("test:space-1:C0STUDY01:2026-06-02", member, "text", default, default);
        }

        await world.Store.SaveResultAsync("test:space-1:C0STUDY01:2026-06-02", new DailyResult("ann", 1, null), Record("r", Monday.AddDays(1), "ann", 3), default);
        await world.Store.SaveResultAsync("test:space-1:C0STUDY01:2026-06-02", new DailyResult("bob", 2, null), Record("r", Monday.AddDays(1), "bob", 2), default);

        await world.Commands.CommandAsync(StudyGroupWorld.Request("ann", access), new DailyCommand.Boards(false), "/mock", default);
        var board = await world.Commands.CommandAsync(StudyGroupWorld.Request("bob", access), new DailyCommand.Board(null, BoardPeriod.Week), "/mock", default);

        Assert.Contains("1. @bob", board, StringComparison.Ordinal);
        Assert.DoesNotContain("@ann", board, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_whose_rows_read_the_same_share_a_place_and_the_next_member_counts_them_all()
    {
        using var world = new StudyGroupWorld(new DateTimeOffset(2026, 6, 3, 12, 0, 0, TimeSpan.Zero));
        var access = StudyGroupWorld.Access();
        const string RoundId = "test:space-1:C0STUDY01:2026-06-02";
        await world.Store.ClaimRoundAsync(new DailyRound(RoundId, StudyGroupWorld.Channel, new(default, Monday.AddDays(1)), DateTimeOffset.MaxValue, "q", RoundState.Open), default);
        await world.Store.MarkPostedAsync(RoundId, "post-1", "thread-1", default);
        var scores = new[] { ("zed", 3.0), ("amy", 3.0), ("bob", 2.0), ("cat", 1.96) };
        foreach (var (member, _) in scores)
        {
            await world.Store.SaveAnswerAsync(RoundId, member, "text", default, default);
        }

        for (var i = 0; i < scores.Length; i++)
        {
            await world.Store.SaveResultAsync(RoundId, new DailyResult(scores[i].Item1, i + 1, null), Record(RoundId, Monday.AddDays(1), scores[i].Item1, scores[i].Item2), default);
        }

        var board = await world.Commands.CommandAsync(StudyGroupWorld.Request("bob", access), new DailyCommand.Board(null, BoardPeriod.Week), "/mock", default);

        Assert.Equal(
            ["1. @amy", "1. @zed", "3. @bob", "3. @cat"],
            board.Split('\n').Skip(1).Select(line => string.Join(' ', line.Split(' ').Take(2))));
    }

    private static DailyRecord Record(string round, DateOnly day, string member, double score) =>
        new(round, day, member, "q", score, [new DimensionScore("coverage", (int)score, [], "")]);
}
