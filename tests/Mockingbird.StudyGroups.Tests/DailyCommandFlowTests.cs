using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.StudyGroups.Tests;

/// <summary>The daily commands as admins and members use them, against the in-memory store.</summary>
public sealed class DailyCommandFlowTests : IDisposable
{
    private readonly StudyGroupWorld _world = new(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
    private readonly IDailyAccess _admin = StudyGroupWorld.Access(mayManage: true);
    private readonly IDailyAccess _member = StudyGroupWorld.Access(mayManage: false);

    public static TheoryData<DailyCommand> ChangingCommands => new()
    {
        new DailyCommand.SetUp(null, "09:00", "Europe/Berlin"),
        new DailyCommand.Off(null),
        new DailyCommand.Now(null),
    };

    [Theory]
    [MemberData(nameof(ChangingCommands))]
    public async Task Set_off_and_now_are_refused_to_someone_who_may_not_manage_the_server(DailyCommand command)
    {
        await _world.SetScheduleAsync("09:00", "Europe/Berlin");

        var reply = await RunAsync(_member, command);

        Assert.StartsWith("Only people who can manage this server", reply, StringComparison.Ordinal);
        Assert.NotNull(await _world.Store.FindScheduleAsync(StudyGroupWorld.Channel.Key, default));
        Assert.Empty(_world.Platform.PostCalls);
    }

    [Theory]
    [InlineData("25:00", null, null, null, "`25:00` is not a time")]
    [InlineData("9", null, null, null, "`9` is not a time")]
    [InlineData("09:00", "Mars/Base", null, null, "`Mars/Base` is not a time zone")]
    [InlineData("09:00", "PST", null, null, "`PST` is not a time zone")]
    [InlineData("09:00", "Europe/Berlin", 0, null, "0 is outside that")]
    [InlineData("09:00", "Europe/Berlin", 25, null, "25 is outside that")]
    [InlineData("09:00", "Europe/Berlin", null, "astrology", "`astrology` is not a topic")]
    public async Task A_bad_value_in_set_gets_a_reply_naming_it_and_why(string time, string? zone, int? hours, string? topic, string expected)
    {
        var reply = await RunAsync(_admin, new DailyCommand.SetUp(null, time, zone ?? "Europe/Berlin", Topic: topic, Hours: hours));

        Assert.Contains(expected, reply, StringComparison.Ordinal);
        Assert.Null(await _world.Store.FindScheduleAsync(StudyGroupWorld.Channel.Key, default));
    }

    [Fact]
    public async Task A_channel_the_bot_cannot_post_in_is_refused_with_the_platforms_reason()
    {
        var reply = await RunAsync(StudyGroupWorld.Access(mayManage: true, cannotPost: "I am not in #C0STUDY01: invite me first."), new DailyCommand.SetUp(null, "09:00", "Europe/Berlin"));

        Assert.Equal("I am not in #C0STUDY01: invite me first.", reply);
        Assert.Null(await _world.Store.FindScheduleAsync(StudyGroupWorld.Channel.Key, default));
    }

    [Fact]
    public async Task Several_channels_in_one_space_each_keep_their_own_schedule_and_show_lists_only_this_space()
    {
        await RunAsync(_admin, new DailyCommand.SetUp("C0STUDY01", "09:00", "Europe/Berlin"));
        await RunAsync(_admin, new DailyCommand.SetUp("C0STUDY02", "18:30", "America/New_York", Topic: "rag", Hours: 12));
        await RunAsync(_admin, new DailyCommand.SetUp("C0STUDY03", "07:00", "UTC"), StudyGroupWorld.Channel with { Space = "space-2" });

        var shown = await RunAsync(_member, new DailyCommand.Show());

        var first = (await _world.Store.FindScheduleAsync("test:space-1:C0STUDY01", default))!;
        var second = (await _world.Store.FindScheduleAsync("test:space-1:C0STUDY02", default))!;
        Assert.Equal((new TimeOnly(9, 0), "Europe/Berlin", null, TimeSpan.FromHours(24)), (first.At, first.TimeZone, first.Focus.Topic, first.RoundLength));
        Assert.Equal((new TimeOnly(18, 30), "America/New_York", "rag", TimeSpan.FromHours(12)), (second.At, second.TimeZone, second.Focus.Topic, second.RoundLength));
        Assert.Contains("#C0STUDY01", shown, StringComparison.Ordinal);
        Assert.Contains("#C0STUDY02", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("#C0STUDY03", shown, StringComparison.Ordinal);

        await RunAsync(_admin, new DailyCommand.Off("C0STUDY01"));
        Assert.Null(await _world.Store.FindScheduleAsync("test:space-1:C0STUDY01", default));
        Assert.NotNull(await _world.Store.FindScheduleAsync("test:space-1:C0STUDY02", default));
    }

    [Fact]
    public async Task Now_posts_a_question_at_once_that_takes_answers_for_the_round_length()
    {
        await RunAsync(_admin, new DailyCommand.SetUp(null, "09:00", "Europe/Berlin", Hours: 2));

        var reply = await RunAsync(_admin, new DailyCommand.Now(null));

        Assert.StartsWith("Posted in #C0STUDY01", reply, StringComparison.Ordinal);
        var posted = Assert.Single(_world.Platform.Posts);
        Assert.Equal(_world.Time.GetUtcNow() + TimeSpan.FromHours(2), posted.Round.Deadline);
        Assert.StartsWith("test:space-1:C0STUDY01:2026-06-01-now-", posted.Round.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Now_without_a_schedule_says_to_set_one_first()
    {
        var reply = await RunAsync(_admin, new DailyCommand.Now(null));

        Assert.Contains("has no daily question; set one", reply, StringComparison.Ordinal);
        Assert.Empty(_world.Platform.PostCalls);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Pinning_so_narrowly_that_few_questions_fit_is_allowed_and_says_how_soon_they_repeat()
    {
        var one = await RunAsync(_admin, new DailyCommand.SetUp(null, "09:00", "UTC", Topic: "attention"));
        var all = await RunAsync(_admin, new DailyCommand.SetUp(null, "09:00", "UTC"));

        Assert.StartsWith("Daily question set for", one, StringComparison.Ordinal);
        Assert.Contains("Only 1 question fits that, so it is the question every day", one, StringComparison.Ordinal);
        var fitting = _world.Bank.Questions.Count(q => q.Stage != Mockingbird.Interview.Questions.Stage.QuestionsToAsk);
        Assert.Contains($"Only {fitting} questions fit that, so each comes back about every {fitting} days", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_time_moved_later_on_a_day_whose_question_is_out_is_promised_and_posted_from_the_next_day()
    {
        await RunAsync(_admin, new DailyCommand.SetUp(null, "09:00", "UTC"));
        _world.Time.Advance(TimeSpan.FromHours(4));
        await _world.Scheduler.TickAsync(default);

        var moved = await RunAsync(_admin, new DailyCommand.SetUp(null, "20:00", "UTC"));
        var shown = await RunAsync(_member, new DailyCommand.Show());
        _world.Time.Advance(TimeSpan.FromHours(10.5));
        await _world.Scheduler.TickAsync(default);
        var postsThatEvening = _world.Platform.PostCalls.Count;
        _world.Time.Advance(TimeSpan.FromDays(1));
        await _world.Scheduler.TickAsync(default);

        Assert.Contains("Next post 2026-06-02 20:00:00Z.", moved, StringComparison.Ordinal);
        Assert.Contains("Next post 2026-06-02 20:00:00Z.", shown, StringComparison.Ordinal);
        Assert.Equal(1, postsThatEvening);
        Assert.Equal(2, _world.Platform.PostCalls.Count);
    }

    private Task<string> RunAsync(IDailyAccess access, DailyCommand command, StudyChannel? here = null) =>
        _world.Commands.CommandAsync(StudyGroupWorld.Request("someone", access, here), command, "/mock", default);
}
