using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.StudyGroups.Suggestions;
using Xunit;

namespace Mockingbird.Testing;

/// <summary>
/// The behaviour every study-group store must have. The in-memory and the Redis store each run this same suite, with
/// the judging queue their closed rounds feed.
/// </summary>
public abstract class StudyGroupStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected static readonly StudyChannel Channel = new("discord", "g-1", "c-1");

    protected FakeTimeProvider Time { get; } = new(Start);

    protected StudyGroupOptions Options { get; } = new() { RecordRetention = TimeSpan.FromDays(30) };

    protected IStudyGroupStore Store { get; private set; } = null!;

    protected IJudgingQueue Queue { get; private set; } = null!;

    public async Task InitializeAsync() => (Store, Queue) = await CreateAsync(Options, Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fresh, empty store over the given options and clock, and the judging queue its closed rounds feed.</summary>
    protected abstract Task<(IStudyGroupStore Store, IJudgingQueue Queue)> CreateAsync(StudyGroupOptions options, FakeTimeProvider time);

    protected static DailyRound Round(string slotId = "2026-11-23", string question = "q-1", StudyChannel? channel = null)
    {
        var where = channel ?? Channel;
        var day = DateOnly.ParseExact(slotId[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return new DailyRound(DailyRound.IdOf(where, slotId), where, new DailySlot(Start, day), Start + TimeSpan.FromHours(24), question, RoundState.Posting, MentionRole: "r-1");
    }

    /// <summary>A round claimed and posted, so open for answers until a day after <see cref="Start"/>.</summary>
    protected async Task<DailyRound> OpenRoundAsync(string slotId = "2026-11-23", StudyChannel? channel = null)
    {
        var (round, _) = await Store.ClaimRoundAsync(Round(slotId, channel: channel), default);
        await Store.MarkPostedAsync(round.Id, "post-1", "thread-1", default);
        return round;
    }

    protected static DailyResult Result(string member, int ordinal, double total = 3.0) =>
        new(member, ordinal, new Feedback("q-1", "offline-rubric", "label", [new DimensionScore("depth", 3, ["e"], "r")], [], [], total, [], [], "drill"));

    protected static DailyRecord Record(DailyRound round, string member, DateOnly? day = null) =>
        new(round.Id, day ?? round.Slot.Day, member, round.QuestionId, 3.0, [new DimensionScore("depth", 3, ["e"], "r")]);

    [Fact]
    public async Task Of_twenty_concurrent_claims_of_a_slot_exactly_one_creates_the_round_and_its_question_is_remembered_once()
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Store.ClaimRoundAsync(Round(question: $"q-{i}"), default))));

        var created = Assert.Single(claims, c => c.Created);
        Assert.All(claims, c => Assert.Equal(created.Round.QuestionId, c.Round.QuestionId));
        Assert.Equal(RoundState.Posting, created.Round.State);
        Assert.Equal([created.Round.QuestionId], await Store.RecentQuestionsAsync(Channel.Key, 10, default));
    }

    [Fact]
    public async Task A_claimed_round_is_found_with_every_field_and_stays_unfinished_until_it_is_done()
    {
        var (claimed, _) = await Store.ClaimRoundAsync(Round("2026-11-23:now-0930"), default);

        var found = await Store.FindRoundAsync(claimed.Id, default);
        Assert.Equal(claimed, found);
        Assert.Equal("2026-11-23:now-0930", found!.SlotId);
        Assert.Contains(await Store.UnfinishedRoundsAsync(default), r => r.Id == claimed.Id);

        await Store.SetStateAsync(claimed.Id, RoundState.Done, default);

        Assert.Equal(RoundState.Done, (await Store.FindRoundAsync(claimed.Id, default))!.State);
        Assert.DoesNotContain(await Store.UnfinishedRoundsAsync(default), r => r.Id == claimed.Id);
    }

    [Fact]
    public async Task Recent_questions_come_newest_first_and_at_most_as_many_as_asked()
    {
        await Store.ClaimRoundAsync(Round("2026-11-21", "q-a"), default);
        await Store.ClaimRoundAsync(Round("2026-11-22", "q-b"), default);
        await Store.ClaimRoundAsync(Round("2026-11-23", "q-c"), default);

        Assert.Equal(["q-c", "q-b"], await Store.RecentQuestionsAsync(Channel.Key, 2, default));
        Assert.Empty(await Store.RecentQuestionsAsync("discord:g-1:other", 2, default));
    }

    [Fact]
    public async Task A_round_skipped_unposted_is_done_and_gives_back_its_question_alone()
    {
        var other = Channel with { Channel = "c-2" };
        await Store.ClaimRoundAsync(Round("2026-11-21", "q-a"), default);
        var (refused, _) = await Store.ClaimRoundAsync(Round("2026-11-22", "q-b"), default);
        await Store.ClaimRoundAsync(Round("2026-11-22", "q-b", channel: other), default);

        await Store.SkipUnpostedRoundAsync(refused, default);

        Assert.Equal(["q-a"], await Store.RecentQuestionsAsync(Channel.Key, 10, default));
        Assert.Equal(["q-b"], await Store.RecentQuestionsAsync(other.Key, 10, default));
        Assert.Equal(RoundState.Done, (await Store.FindRoundAsync(refused.Id, default))!.State);
        Assert.DoesNotContain(await Store.UnfinishedRoundsAsync(default), r => r.Id == refused.Id);
    }

    [Fact]
    public async Task A_lease_is_held_by_one_owner_until_it_runs_out_on_the_clock_passed_in()
    {
        var (round, _) = await Store.ClaimRoundAsync(Round(), default);
        var until = Start + TimeSpan.FromMinutes(2);

        Assert.True(await Store.TryLeaseAsync(round.Id, RoundState.Posting, "a", until, Start, default));
        Assert.False(await Store.TryLeaseAsync(round.Id, RoundState.Posting, "b", Start + TimeSpan.FromMinutes(3), Start + TimeSpan.FromMinutes(1), default));
        Assert.True(await Store.TryLeaseAsync(round.Id, RoundState.Posting, "a", Start + TimeSpan.FromMinutes(3), Start + TimeSpan.FromMinutes(1), default));
        Assert.False(await Store.TryLeaseAsync(round.Id, RoundState.Posting, "b", Start + TimeSpan.FromMinutes(5), Start + TimeSpan.FromMinutes(2), default));
        Assert.True(await Store.TryLeaseAsync(round.Id, RoundState.Posting, "b", Start + TimeSpan.FromMinutes(5), Start + TimeSpan.FromMinutes(3), default));
        Assert.False(await Store.TryLeaseAsync("discord:g-1:c-1:2020-01-01", RoundState.Posting, "a", until, Start, default));
    }

    [Fact]
    public async Task A_lease_its_holder_gives_back_by_ending_it_now_is_free_for_another_at_once()
    {
        var (round, _) = await Store.ClaimRoundAsync(Round(), default);
        await Store.TryLeaseAsync(round.Id, RoundState.Posting, "a", Start + TimeSpan.FromMinutes(2), Start, default);

        await Store.TryLeaseAsync(round.Id, RoundState.Posting, "a", Start, Start, default);

        Assert.True(await Store.TryLeaseAsync(round.Id, RoundState.Posting, "b", Start + TimeSpan.FromMinutes(2), Start, default));
    }

    [Fact]
    public async Task A_step_is_not_leased_once_the_round_has_moved_past_the_state_it_was_read_in()
    {
        var (round, _) = await Store.ClaimRoundAsync(Round(), default);
        await Store.MarkPostedAsync(round.Id, "post-1", "thread-1", default);

        Assert.False(await Store.TryLeaseAsync(round.Id, RoundState.Posting, "late-replica", Start + TimeSpan.FromMinutes(2), Start, default));
    }

    [Fact]
    public async Task Marking_a_round_posted_opens_it_where_it_was_posted_and_lets_its_lease_go()
    {
        var (round, _) = await Store.ClaimRoundAsync(Round(), default);
        await Store.TryLeaseAsync(round.Id, RoundState.Posting, "a", Start + TimeSpan.FromMinutes(2), Start, default);

        await Store.MarkPostedAsync(round.Id, "post-1", "thread-1", default);

        var open = await Store.FindRoundAsync(round.Id, default);
        Assert.Equal((RoundState.Open, "post-1", "thread-1"), (open!.State, open.PostId, open.Thread));
        Assert.False(await Store.TryLeaseAsync(round.Id, RoundState.Posting, "b", Start + TimeSpan.FromMinutes(2), Start, default));
        Assert.True(await Store.TryLeaseAsync(round.Id, RoundState.Open, "b", Start + TimeSpan.FromMinutes(2), Start, default));
    }

    [Fact]
    public async Task A_revised_answer_keeps_its_ordinal_and_first_time_and_counts_the_revision()
    {
        var round = await OpenRoundAsync();

        var first = await Store.SaveAnswerAsync(round.Id, "m-1", "first", Start, default);
        var second = await Store.SaveAnswerAsync(round.Id, "m-2", "other", Start + TimeSpan.FromMinutes(1), default);
        var revised = await Store.SaveAnswerAsync(round.Id, "m-1", "better | with a bar", Start + TimeSpan.FromMinutes(2), default);

        Assert.Equal((AnswerOutcome.Taken, "m-1"), (first.Outcome, Assert.Single(first.Answerers)));
        Assert.Equal(AnswerOutcome.Taken, second.Outcome);
        Assert.Equal(["m-1", "m-2"], second.Answerers);
        Assert.Equal(AnswerOutcome.Revised, revised.Outcome);
        Assert.Equal(["m-1", "m-2"], revised.Answerers);
        Assert.Equal(
            new DailyAnswer("m-1", "better | with a bar", Start, Start + TimeSpan.FromMinutes(2), 1, 1),
            await Store.FindAnswerAsync(round.Id, "m-1", default));
        Assert.Equal([1, 2], (await Store.AnswersAsync(round.Id, default)).Select(a => a.Ordinal));
    }

    [Fact]
    public async Task An_answer_at_the_deadline_is_closed_and_nothing_is_stored()
    {
        var round = await OpenRoundAsync();
        await Store.SaveAnswerAsync(round.Id, "m-1", "in time", Start, default);

        var late = await Store.SaveAnswerAsync(round.Id, "m-2", "too late", round.Deadline, default);
        var lateRevision = await Store.SaveAnswerAsync(round.Id, "m-1", "changed", round.Deadline + TimeSpan.FromSeconds(1), default);

        Assert.Equal((AnswerOutcome.Closed, "m-1"), (late.Outcome, Assert.Single(late.Answerers)));
        Assert.Equal(AnswerOutcome.Closed, lateRevision.Outcome);
        Assert.Null(await Store.FindAnswerAsync(round.Id, "m-2", default));
        Assert.Equal("in time", (await Store.FindAnswerAsync(round.Id, "m-1", default))!.Text);
    }

    [Fact]
    public async Task An_answer_to_a_round_not_yet_posted_is_closed_and_to_no_round_unknown()
    {
        var (posting, _) = await Store.ClaimRoundAsync(Round(), default);

        Assert.Equal(AnswerOutcome.Closed, (await Store.SaveAnswerAsync(posting.Id, "m-1", "early", Start, default)).Outcome);
        Assert.Equal(AnswerOutcome.Unknown, (await Store.SaveAnswerAsync("discord:g-1:c-1:2020-01-01", "m-1", "lost", Start, default)).Outcome);
        Assert.Empty(await Store.AnswersAsync(posting.Id, default));
    }

    [Fact]
    public async Task Closing_a_round_queues_one_daily_job_per_answer_numbered_by_first_answer()
    {
        var round = await OpenRoundAsync();
        await Store.SaveAnswerAsync(round.Id, "m-1", "a", Start, default);
        await Store.SaveAnswerAsync(round.Id, "m-2", "b", Start, default);
        await Store.SaveAnswerAsync(round.Id, "m-1", "a again", Start, default);

        Assert.True(await Store.CloseAsync(round.Id, default));

        var jobs = await Queue.TakeAsync("w-1", 10, default);
        Assert.Equal(
            [new JudgeJob(Channel.Key, round.Id, 1, JudgeJobKind.DailyAnswer), new JudgeJob(Channel.Key, round.Id, 2, JudgeJobKind.DailyAnswer)],
            jobs.Select(j => j.Job).OrderBy(j => j.TurnNumber));
        Assert.Equal(RoundState.Judging, (await Store.FindRoundAsync(round.Id, default))!.State);
    }

    [Fact]
    public async Task A_round_closed_again_or_by_two_replicas_at_once_queues_nothing_more()
    {
        var round = await OpenRoundAsync();
        await Store.SaveAnswerAsync(round.Id, "m-1", "a", Start, default);

        var closes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => Store.CloseAsync(round.Id, default))));
        var again = await Store.CloseAsync(round.Id, default);

        Assert.Single(closes, c => c);
        Assert.False(again);
        Assert.Single(await Queue.TakeAsync("w-1", 10, default));
    }

    [Fact]
    public async Task A_round_nobody_answered_closes_straight_to_revealing_with_no_job()
    {
        var round = await OpenRoundAsync();

        Assert.True(await Store.CloseAsync(round.Id, default));

        Assert.Equal(RoundState.Revealing, (await Store.FindRoundAsync(round.Id, default))!.State);
        Assert.Empty(await Queue.TakeAsync("w-1", 10, default));
    }

    [Fact]
    public async Task A_members_first_result_wins_and_only_the_last_missing_result_moves_the_round_to_revealing()
    {
        var round = await OpenRoundAsync();
        await Store.SaveAnswerAsync(round.Id, "m-1", "a", Start, default);
        await Store.SaveAnswerAsync(round.Id, "m-2", "b", Start, default);
        await Store.CloseAsync(round.Id, default);

        var first = await Store.SaveResultAsync(round.Id, Result("m-1", 1, 4.0), Record(round, "m-1"), default);
        var repeated = await Store.SaveResultAsync(round.Id, Result("m-1", 1, 1.0), Record(round, "m-1"), default);
        var lasts = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => Store.SaveResultAsync(round.Id, Result("m-2", 2), Record(round, "m-2"), default))));

        Assert.False(first);
        Assert.False(repeated);
        Assert.Single(lasts, l => l);
        Assert.Equal(RoundState.Revealing, (await Store.FindRoundAsync(round.Id, default))!.State);
        var results = await Store.ResultsAsync(round.Id, default);
        Assert.Equal([("m-1", 4.0), ("m-2", 3.0)], results.Select(r => (r.MemberId, r.Score!.Value)));
        Assert.Equal("depth", results[0].Feedback!.Dimensions[0].Name);
        Assert.Equal(2, (await Store.RecordsAsync(Channel.Key, default)).Count);
    }

    [Fact]
    public async Task Records_are_read_per_channel_and_only_within_the_retention()
    {
        var round = await OpenRoundAsync();
        var elsewhere = await OpenRoundAsync(channel: new StudyChannel("slack", "T1", "C1"));
        await Store.SaveAnswerAsync(round.Id, "m-1", "a", Start, default);
        await Store.SaveAnswerAsync(elsewhere.Id, "m-1", "a", Start, default);
        await Store.CloseAsync(round.Id, default);
        await Store.SaveResultAsync(round.Id, Result("m-1", 1), Record(round, "m-1"), default);
        await Store.SaveResultAsync(elsewhere.Id, Result("m-1", 1), Record(elsewhere, "m-1"), default);

        var record = Assert.Single(await Store.RecordsAsync(Channel.Key, default));
        Assert.Equal((round.Id, round.Slot.Day, "m-1", 3.0, "depth"), (record.RoundId, record.Day, record.MemberId, record.Score!.Value, record.Dimensions[0].Name));

        Time.Advance(Options.RecordRetention - TimeSpan.FromDays(1));
        Assert.Single(await Store.RecordsAsync(Channel.Key, default));

        Time.Advance(TimeSpan.FromDays(2));
        Assert.Empty(await Store.RecordsAsync(Channel.Key, default));
    }

    [Fact]
    public async Task Preferences_read_in_a_batch_are_the_saved_ones_and_defaults_for_everyone_else()
    {
        await Store.SavePreferencesAsync("m-1", new MemberPreferences(OnBoards: false), default);
        await Store.SavePreferencesAsync("m-2", new MemberPreferences(PrivateFeedback: true), default);
        await Store.SavePreferencesAsync("m-2", new MemberPreferences(OnBoards: false, PrivateFeedback: true), default);

        var batch = await Store.PreferencesAsync(["m-1", "m-2", "m-3", "m-1"], default);

        Assert.Equal(3, batch.Count);
        Assert.Equal(new MemberPreferences(OnBoards: false), batch["m-1"]);
        Assert.Equal(new MemberPreferences(false, true), batch["m-2"]);
        Assert.Equal(MemberPreferences.Default, batch["m-3"]);
        Assert.Equal(MemberPreferences.Default, await Store.PreferencesAsync("m-4", default));
        Assert.Empty(await Store.PreferencesAsync([], default));
    }

    [Fact]
    public async Task A_schedule_is_saved_found_listed_and_removed_by_its_channel()
    {
        var schedule = new DailySchedule(Channel, new TimeOnly(9, 30), "Europe/Berlin", new DailyFocus(Stage.Theory, Topic: "rag"), TimeSpan.FromHours(12), "r-1", "admin", Start);
        var other = schedule with { Channel = new StudyChannel("slack", "T1", "C1"), Focus = DailyFocus.Any, MentionRole = null };

        await Store.SaveScheduleAsync(schedule, default);
        await Store.SaveScheduleAsync(other, default);

        Assert.Equal(schedule, await Store.FindScheduleAsync(Channel.Key, default));
        Assert.Equal(2, (await Store.SchedulesAsync(default)).Count);
        Assert.True(await Store.RemoveScheduleAsync(Channel.Key, default));
        Assert.False(await Store.RemoveScheduleAsync(Channel.Key, default));
        Assert.Null(await Store.FindScheduleAsync(Channel.Key, default));
        Assert.Equal(new[] { other }, await Store.SchedulesAsync(default));
    }

    [Fact]
    public async Task Forgetting_a_member_removes_their_answers_results_records_and_preferences_everywhere_and_nothing_of_others()
    {
        var rounds = new[] { await OpenRoundAsync(), await OpenRoundAsync(channel: new StudyChannel("slack", "T1", "C1")), await OpenRoundAsync(channel: new StudyChannel("discord", "g-2", "c-9")) };
        foreach (var round in rounds)
        {
            await Store.SaveAnswerAsync(round.Id, "m-1", "mine", Start, default);
            await Store.SaveAnswerAsync(round.Id, "m-2", "theirs", Start, default);
            await Store.CloseAsync(round.Id, default);
            await Store.SaveResultAsync(round.Id, Result("m-1", 1), Record(round, "m-1"), default);
            await Store.SaveResultAsync(round.Id, Result("m-2", 2), Record(round, "m-2"), default);
        }

        await Store.SavePreferencesAsync("m-1", new MemberPreferences(OnBoards: false), default);
        await Store.SavePreferencesAsync("m-2", new MemberPreferences(OnBoards: false), default);

        var removed = await Store.ForgetAsync("m-1", default);

        Assert.Equal((3 * 3) + 1, removed);
        foreach (var round in rounds)
        {
            Assert.Null(await Store.FindAnswerAsync(round.Id, "m-1", default));
            Assert.Equal(["m-2"], (await Store.AnswersAsync(round.Id, default)).Select(a => a.MemberId));
            Assert.Equal(["m-2"], (await Store.ResultsAsync(round.Id, default)).Select(r => r.MemberId));
            Assert.Equal(["m-2"], (await Store.RecordsAsync(round.Channel.Key, default)).Select(r => r.MemberId));
        }

        Assert.Equal(MemberPreferences.Default, await Store.PreferencesAsync("m-1", default));
        Assert.Equal(new MemberPreferences(OnBoards: false), await Store.PreferencesAsync("m-2", default));
        Assert.Equal(0, await Store.ForgetAsync("m-1", default));
    }

    [Fact]
    public async Task Forgetting_the_only_member_not_yet_judged_moves_the_round_being_judged_on_to_its_reveal()
    {
        var round = await OpenRoundAsync();
        await Store.SaveAnswerAsync(round.Id, "m-1", "judged", Start, default);
        await Store.SaveAnswerAsync(round.Id, "m-2", "not yet", Start, default);
        await Store.CloseAsync(round.Id, default);
        await Store.SaveResultAsync(round.Id, Result("m-1", 1), Record(round, "m-1"), default);

        await Store.ForgetAsync("m-2", default);

        Assert.Equal(RoundState.Revealing, (await Store.FindRoundAsync(round.Id, default))!.State);
    }

    [Fact]
    public async Task A_result_for_a_member_forgotten_while_their_answer_was_judged_records_nothing_and_brings_nothing_of_theirs_back()
    {
        var round = await OpenRoundAsync();
        await Store.SaveAnswerAsync(round.Id, "m-1", "waiting", Start, default);
        await Store.SaveAnswerAsync(round.Id, "m-2", "being judged", Start, default);
        await Store.CloseAsync(round.Id, default);
        await Store.ForgetAsync("m-2", default);

        var forgottenRevealed = await Store.SaveResultAsync(round.Id, Result("m-2", 2), Record(round, "m-2"), default);
        var lastRevealed = await Store.SaveResultAsync(round.Id, Result("m-1", 1), Record(round, "m-1"), default);

        Assert.False(forgottenRevealed);
        Assert.True(lastRevealed);
        Assert.Equal(["m-1"], (await Store.ResultsAsync(round.Id, default)).Select(r => r.MemberId));
        Assert.Equal(["m-1"], (await Store.RecordsAsync(Channel.Key, default)).Select(r => r.MemberId));
        Assert.Equal(0, await Store.ForgetAsync("m-2", default));
    }

    [Fact]
    public async Task A_result_for_an_answer_other_than_the_members_one_in_the_round_is_not_recorded()
    {
        var round = await OpenRoundAsync();
        await Store.SaveAnswerAsync(round.Id, "m-1", "first", Start, default);
        await Store.CloseAsync(round.Id, default);

        Assert.False(await Store.SaveResultAsync(round.Id, Result("m-1", 2), Record(round, "m-1"), default));
        Assert.False(await Store.SaveResultAsync(round.Id, Result("m-9", 1), Record(round, "m-9"), default));
        Assert.Empty(await Store.ResultsAsync(round.Id, default));
        Assert.Empty(await Store.RecordsAsync(Channel.Key, default));
    }

    [Fact]
    public async Task Forgetting_a_member_leaves_a_round_still_waiting_on_others_being_judged()
    {
        var round = await OpenRoundAsync();
        await Store.SaveAnswerAsync(round.Id, "m-1", "waiting", Start, default);
        await Store.SaveAnswerAsync(round.Id, "m-2", "forgotten", Start, default);
        await Store.CloseAsync(round.Id, default);

        await Store.ForgetAsync("m-2", default);

        Assert.Equal(RoundState.Judging, (await Store.FindRoundAsync(round.Id, default))!.State);
    }

    [Fact]
    public async Task Suggestions_get_short_ids_of_their_own_channel_and_wait_oldest_first_with_everything_they_were_made_with()
    {
        var other = new StudyChannel("slack", "T1", "C1").Key;

        var first = await Store.AddSuggestionAsync(Channel.Key, "m-1", "id: a\nprompt: 'x | y'", null, Start, 10, default);
        var second = await Store.AddSuggestionAsync(Channel.Key, "m-2", "What is RAG?", Stage.Design, Start + TimeSpan.FromMinutes(1), 10, default);
        var elsewhere = await Store.AddSuggestionAsync(other, "m-1", "Elsewhere", Stage.Theory, Start, 10, default);

        Assert.Equal(new DailySuggestion("s1", "m-1", "id: a\nprompt: 'x | y'", null, Start), first);
        Assert.Equal(new DailySuggestion("s2", "m-2", "What is RAG?", Stage.Design, Start + TimeSpan.FromMinutes(1)), second);
        Assert.Equal("s1", elsewhere!.Id);
        Assert.Equal([first!, second!], await Store.PendingSuggestionsAsync(Channel.Key, default));
        Assert.Equal([elsewhere], await Store.PendingSuggestionsAsync(other, default));
        Assert.Empty(await Store.PoolAsync(Channel.Key, default));
    }

    [Fact]
    public async Task A_channel_with_the_most_suggestions_waiting_keeps_no_more_until_one_is_decided()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull(await Store.AddSuggestionAsync(Channel.Key, "m-1", $"q {i}", Stage.Theory, Start, 3, default));
        }

        Assert.Null(await Store.AddSuggestionAsync(Channel.Key, "m-2", "one too many", Stage.Theory, Start, 3, default));
        Assert.Equal(3, (await Store.PendingSuggestionsAsync(Channel.Key, default)).Count);

        await Store.RejectSuggestionAsync(Channel.Key, "s2", default);

        Assert.Equal("s4", (await Store.AddSuggestionAsync(Channel.Key, "m-2", "now there is room", Stage.Theory, Start, 3, default))!.Id);
    }

    [Fact]
    public async Task Of_five_concurrent_approvals_one_moves_the_suggestion_into_the_pool_without_its_author()
    {
        await Store.AddSuggestionAsync(Channel.Key, "m-1", "first", null, Start, 10, default);
        var waiting = await Store.AddSuggestionAsync(Channel.Key, "m-1", "second", null, Start, 10, default);

        var approvals = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => Store.ApproveSuggestionAsync(Channel.Key, "s2", default))));

        var approved = Assert.Single(approvals, a => a is not null);
        Assert.Equal(waiting! with { MemberId = null }, approved);
        Assert.Equal([approved!], await Store.PoolAsync(Channel.Key, default));
        Assert.Equal(["s1"], (await Store.PendingSuggestionsAsync(Channel.Key, default)).Select(s => s.Id));
        Assert.Null(await Store.RejectSuggestionAsync(Channel.Key, "s2", default));
        Assert.Null(await Store.ApproveSuggestionAsync(Channel.Key, "s9", default));
        Assert.Empty(await Store.PoolAsync(new StudyChannel("slack", "T1", "C1").Key, default));
    }

    [Fact]
    public async Task A_rejected_suggestion_is_gone_once_and_never_reaches_the_pool()
    {
        var waiting = await Store.AddSuggestionAsync(Channel.Key, "m-1", "meh", Stage.Theory, Start, 10, default);

        var rejected = await Store.RejectSuggestionAsync(Channel.Key, "s1", default);

        Assert.Equal(waiting, rejected);
        Assert.Null(await Store.RejectSuggestionAsync(Channel.Key, "s1", default));
        Assert.Null(await Store.ApproveSuggestionAsync(Channel.Key, "s1", default));
        Assert.Empty(await Store.PendingSuggestionsAsync(Channel.Key, default));
        Assert.Empty(await Store.PoolAsync(Channel.Key, default));
    }

    [Fact]
    public async Task Forgetting_a_member_removes_their_waiting_suggestions_in_every_channel_and_leaves_approved_ones_and_others()
    {
        var channels = new[] { Channel.Key, new StudyChannel("slack", "T1", "C1").Key, new StudyChannel("discord", "g-2", "c-9").Key };
        foreach (var channel in channels)
        {
            await Store.AddSuggestionAsync(channel, "m-1", "mine, approved", null, Start, 10, default);
            await Store.AddSuggestionAsync(channel, "m-1", "mine, waiting", Stage.Theory, Start, 10, default);
            await Store.AddSuggestionAsync(channel, "m-2", "theirs", Stage.Theory, Start, 10, default);
            await Store.ApproveSuggestionAsync(channel, "s1", default);
        }

        var removed = await Store.ForgetAsync("m-1", default);

        Assert.Equal(3, removed);
        foreach (var channel in channels)
        {
            Assert.Equal(["theirs"], (await Store.PendingSuggestionsAsync(channel, default)).Select(s => s.Text));
            Assert.Equal(["mine, approved"], (await Store.PoolAsync(channel, default)).Select(s => s.Text));
        }

        Assert.Equal(0, await Store.ForgetAsync("m-1", default));
    }
}
