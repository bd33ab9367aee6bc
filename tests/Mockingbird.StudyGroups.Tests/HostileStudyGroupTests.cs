using Mockingbird.StudyGroups.Boards;
using Mockingbird.StudyGroups.Rounds;

namespace Mockingbird.StudyGroups.Tests;

/// <summary>Attacks on study groups: reads across channels, failures mid-step, and steps run twice at once.</summary>
public sealed class HostileStudyGroupTests : IDisposable
{
    private const string AnswerOfA = "I would detect it with an alert, roll back first, trace the root cause and add monitoring to prevent it.";

    private readonly StudyGroupWorld _world = new(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
    private readonly IDailyAccess _member = StudyGroupWorld.Access(member: true);

    [Fact]
    public async Task Someone_outside_a_channel_cannot_read_who_is_on_its_board()
    {
        var round = await OpenRoundAsync();
        await AnswerAsync(round, "a", AnswerOfA);
        await PastDeadlineAsync(round);
        await _world.JudgeQueuedAsync();
        Assert.NotEmpty(await _world.Store.RecordsAsync(round.Channel.Key, default));

        var outsider = StudyGroupWorld.Access(member: false);
        var reply = await _world.Commands.CommandAsync(
            StudyGroupWorld.Request("outsider", outsider, StudyGroupWorld.Channel with { Channel = "C0ELSEWHERE" }),
            new DailyCommand.Board(StudyGroupWorld.Channel.Channel, BoardPeriod.AllTime),
            "/mock",
            default);

        Assert.DoesNotContain("@a", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_whose_closing_edit_failed_once_is_still_shown_closed_later()
    {
        var round = await OpenRoundAsync();
        await AnswerAsync(round, "a", AnswerOfA);
        _world.Platform.UpdateFault = post => post.Closed ? new HttpRequestException("503") : null;
        await PastDeadlineAsync(round);
        _world.Platform.UpdateFault = _ => null;

        await _world.JudgeQueuedAsync();
        for (var tick = 0; tick < 5; tick++)
        {
            _world.Time.Advance(_world.Options.TickInterval);
            await _world.Scheduler.TickAsync(default);
        }

        Assert.Equal(RoundState.Done, (await _world.Store.FindRoundAsync(round.Id, default))!.State);
        Assert.Contains(_world.Platform.Updates, u => u.Closed);
    }

    [Fact]
    public async Task A_member_who_chose_private_feedback_still_gets_it_when_the_channel_is_gone_by_the_reveal()
    {
        var round = await OpenRoundAsync();
        await _world.Store.SavePreferencesAsync("a", new MemberPreferences(PrivateFeedback: true), default);
        await AnswerAsync(round, "a", AnswerOfA);
        _world.Platform.ThreadFault = _ => new StudyChannelGoneException("channel deleted");

        await PastDeadlineAsync(round);
        await _world.JudgeQueuedAsync();

        Assert.Equal(RoundState.Done, (await _world.Store.FindRoundAsync(round.Id, default))!.State);
        Assert.Single(_world.Platform.PrivatePosts);
    }

    [Fact]
    public async Task A_reveal_the_channel_refuses_for_now_ends_the_round_with_a_warning_keeps_the_schedule_and_still_sends_private_feedback()
    {
        var round = await OpenRoundAsync();
        await _world.Store.SavePreferencesAsync("a", new MemberPreferences(PrivateFeedback: true), default);
        await AnswerAsync(round, "a", AnswerOfA);
        _world.Platform.ThreadFault = _ => new StudyPostRefusedException("Discord refused a post in the round's thread with code 50013, Missing Permissions");

        await PastDeadlineAsync(round);
        await _world.JudgeQueuedAsync();

        Assert.Equal(RoundState.Done, (await _world.Store.FindRoundAsync(round.Id, default))!.State);
        Assert.Single(_world.Platform.PrivatePosts);
        Assert.NotNull(await _world.Store.FindScheduleAsync(StudyGroupWorld.Channel.Key, default));
        Assert.Single(_world.Logs.Entries, e => e.Contains("its reveal was refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reveal_in_flight_is_not_started_again_by_the_same_hosts_scheduler()
    {
        var round = await OpenRoundAsync();
        await AnswerAsync(round, "a", AnswerOfA);
        await PastDeadlineAsync(round);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _world.Platform.HoldThreadPosts = hold;

        // The judging worker records the last result and starts the reveal, whose thread post waits on the platform.
        var judging = Task.Run(_world.JudgeQueuedAsync);
        await Mockingbird.Testing.Poll.UntilAsync(() => _world.Platform.ThreadPostsInFlight == 1, "the reveal's thread post to be in flight");

        // The scheduler's next tick, in the same host, while that post is still in flight.
        _world.Time.Advance(_world.Options.TickInterval);
        var tick = _world.Scheduler.TickAsync(default);
        await Mockingbird.Testing.Poll.UntilAsync(() => tick.IsCompleted || _world.Platform.MostThreadPostsInFlight > 1, "the tick to finish or start a second reveal");
        hold.SetResult();
        await Task.WhenAll(judging, tick);

        Assert.Equal(1, _world.Platform.MostThreadPostsInFlight);
    }

    [Fact]
    public async Task A_reveal_that_fails_after_the_last_judgement_leaves_the_job_done_and_is_finished_by_the_next_tick()
    {
        var round = await OpenRoundAsync();
        await AnswerAsync(round, "a", AnswerOfA);
        await PastDeadlineAsync(round);
        _world.Platform.ThreadFault = _ => new HttpRequestException("503");

        await _world.JudgeQueuedAsync();
        _world.Platform.ThreadFault = _ => null;
        _world.Time.Advance(_world.Options.TickInterval);
        await _world.Scheduler.TickAsync(default);

        Assert.Empty(await _world.Queue.TakeAsync("worker-2", 10, default));
        Assert.Empty(_world.Queue.DeadLetters);
        Assert.Equal(["a"], _world.Judge.Judged);
        Assert.Single(_world.Platform.ThreadPosts);
        Assert.Equal(RoundState.Done, (await _world.Store.FindRoundAsync(round.Id, default))!.State);
    }

    [Fact]
    public async Task A_schedule_moved_earlier_while_a_round_is_open_does_not_leave_two_rounds_open()
    {
        await _world.SetScheduleAsync("18:00", "UTC");
        _world.Time.Advance(TimeSpan.FromHours(12.5));
        await _world.Scheduler.TickAsync(default);
        var first = Assert.Single(await _world.Store.UnfinishedRoundsAsync(default));

        _world.Time.Advance(TimeSpan.FromHours(1));
        await _world.SetScheduleAsync("09:00", "UTC");
        _world.Time.Advance(TimeSpan.FromHours(14));
        await _world.Scheduler.TickAsync(default);

        var open = (await _world.Store.UnfinishedRoundsAsync(default)).Where(r => r.IsOpenAt(_world.Time.GetUtcNow())).ToList();
        Assert.True(open.Count == 1, $"open rounds: {string.Join(", ", open.Select(r => r.Id))} (first closes {first.Deadline:u})");
    }

    [Fact]
    public async Task An_answer_form_filled_to_the_limit_of_every_input_is_taken()
    {
        var round = await OpenRoundAsync();
        var form = Mockingbird.Chat.AnswerForm.For(4000);
        var full = Mockingbird.Chat.AnswerForm.Answer(form.Fields.Select((field, i) => new string((char)('a' + i), field.MaxLength)));

        var reply = await AnswerAsync(round, "a", full);

        Assert.NotNull(await _world.Store.FindAnswerAsync(round.Id, "a", default));
        Assert.DoesNotContain("the limit is", reply, StringComparison.Ordinal);
    }

    public void Dispose() => _world.Dispose();

    private Task<DailyRound> OpenRoundAsync() => _world.OpenRoundAsync();

    private Task<string> AnswerAsync(DailyRound round, string member, string text) => _world.AnswerAsync(round, member, text, _member);

    private Task PastDeadlineAsync(DailyRound round) => _world.PastDeadlineAsync(round);
}
