using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.StudyGroups.Tests;

/// <summary>One round from its post to its reveal: blind answers, judging once at the deadline, the reveal.</summary>
public sealed class DailyRoundTests : IDisposable
{
    private const string AnswerOfA = "I would detect it with an alert, roll back first, trace the root cause and add monitoring to prevent it.";
    private const string AnswerOfB = "We noticed on a dashboard, mitigated with a feature flag and wrote a test so it cannot recur.";

    private readonly StudyGroupWorld _world = new(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
    private readonly IDailyAccess _member = StudyGroupWorld.Access(member: true);

    [Fact]
    public async Task Answers_stay_private_the_post_shows_only_who_answered()
    {
        var round = await OpenRoundAsync();

        await AnswerAsync(round, "a", AnswerOfA);
        await AnswerAsync(round, "b", AnswerOfB);

        Assert.Equal(["a", "b"], _world.Platform.Updates[^1].Answerers);
        Assert.False(_world.Platform.Updates[^1].Closed);
        Assert.Empty(_world.Platform.ThreadPosts);
        Assert.Empty(_world.Platform.PrivatePosts);
        Assert.DoesNotContain(_world.Platform.Updates, u => u.Question.Contains("roll back", StringComparison.Ordinal) || u.Title.Contains("roll back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revising_keeps_one_answer_the_latest()
    {
        var round = await OpenRoundAsync();

        await AnswerAsync(round, "a", "A first draft about alerts.");
        var reply = await AnswerAsync(round, "a", AnswerOfA);

        Assert.Contains("revised", reply, StringComparison.Ordinal);
        var answer = Assert.Single(await _world.Store.AnswersAsync(round.Id, default));
        Assert.Equal(AnswerOfA, answer.Text);
        Assert.Equal(["a"], _world.Platform.Updates[^1].Answerers);
        Assert.Equal(AnswerOfA, (await _world.Rounds.OpenFormAsync(round.Id, "a", default)).Draft);
    }

    [Fact]
    public async Task An_answer_after_the_deadline_is_refused_and_handed_back_verbatim()
    {
        var round = await OpenRoundAsync();
        _world.Time.Advance(round.Deadline - _world.Time.GetUtcNow());

        var reply = await AnswerAsync(round, "a", AnswerOfA);

        Assert.Contains("closed", reply, StringComparison.Ordinal);
        Assert.Contains($"«{AnswerOfA}»", reply, StringComparison.Ordinal);
        Assert.Empty(await _world.Store.AnswersAsync(round.Id, default));
        Assert.NotNull((await _world.Rounds.OpenFormAsync(round.Id, "a", default)).Refusal);
    }

    [Fact]
    public async Task Empty_and_oversize_answers_are_refused_clearly_and_nothing_is_recorded()
    {
        var round = await OpenRoundAsync();
        var oversize = new string('x', DailyRounds.MaxAnswerCharacters + 1);

        var empty = await AnswerAsync(round, "a", "   ");
        var tooLong = await AnswerAsync(round, "a", oversize);

        Assert.Contains("empty answer", empty, StringComparison.Ordinal);
        Assert.Contains("the limit is 12,000", tooLong, StringComparison.Ordinal);
        Assert.Contains($"«{oversize}»", tooLong, StringComparison.Ordinal);
        Assert.Empty(await _world.Store.AnswersAsync(round.Id, default));
    }

    [Fact]
    public async Task An_answer_the_store_cannot_save_is_handed_back_whole_and_the_failure_logged_without_it()
    {
        var round = await OpenRoundAsync();
        var failing = new Mock<IStudyGroupStore>();
        failing.Setup(s => s.FindRoundAsync(round.Id, It.IsAny<CancellationToken>())).ReturnsAsync(round);
        failing.Setup(s => s.SaveAnswerAsync(round.Id, "a", AnswerOfA, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("storage did not answer"));
        var rounds = new DailyRounds(failing.Object, _world.Platform, _world.Bank, Microsoft.Extensions.Options.Options.Create(_world.Options), _world.Time, new RecordingLogger<DailyRounds>());

        var reply = await rounds.AnswerAsync(StudyGroupWorld.Request("a", _member), round.Id, AnswerOfA, text => $"«{text}»", default);

        Assert.StartsWith("I couldn't save your answer just now", reply, StringComparison.Ordinal);
        Assert.Contains($"«{AnswerOfA}»", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_who_is_not_in_the_channel_cannot_answer()
    {
        var round = await OpenRoundAsync();

        var reply = await _world.AnswerAsync(round, "outsider", AnswerOfA, StudyGroupWorld.Access(member: false));

        Assert.Contains("Only members of #C0STUDY01", reply, StringComparison.Ordinal);
        Assert.Contains($"«{AnswerOfA}»", reply, StringComparison.Ordinal);
        Assert.Empty(await _world.Store.AnswersAsync(round.Id, default));
    }

    [Fact]
    public async Task At_the_deadline_each_answer_is_judged_once_and_the_thread_gets_one_reveal()
    {
        var round = await OpenRoundAsync();
        await _world.Store.SavePreferencesAsync("c", new MemberPreferences(PrivateFeedback: true), default);
        await _world.Store.SavePreferencesAsync("d", new MemberPreferences(OnBoards: false), default);
        foreach (var member in new[] { "a", "b", "c", "d" })
        {
            await AnswerAsync(round, member, member == "b" ? AnswerOfB : AnswerOfA);
        }

        await PastDeadlineAsync(round);
        await _world.Rounds.CloseAsync(round, default);
        await _world.JudgeQueuedAsync();
        foreach (var ordinal in Enumerable.Range(1, 4))
        {
            _world.Queue.Enqueue([DailyAnswerJudging.JobFor(round, ordinal)]);
        }

        await _world.JudgeQueuedAsync();
        await _world.Scheduler.TickAsync(default);

        Assert.Equal(["a", "b", "c", "d"], _world.Judge.Judged.Order(StringComparer.Ordinal));
        Assert.True(_world.Platform.Updates[^1].Closed);
        var reveal = Assert.Single(_world.Platform.ThreadPosts);
        Assert.Equal("thread-1", reveal.Thread);
        var markup = reveal.Actions.OfType<PostMarkup>().Select(m => m.Text).ToList();
        Assert.Contains(markup, m => m.Contains("What a strong answer covers", StringComparison.Ordinal));
        Assert.Equal(["@a", "@b", "@d"], reveal.Actions.OfType<PostFeedback>().Select(f => f.For));
        Assert.Contains(markup, m => m.Contains("1 member gets their feedback privately", StringComparison.Ordinal));
        var board = Assert.Single(markup, m => m.Contains("Today's board", StringComparison.Ordinal));
        Assert.Contains("@a", board, StringComparison.Ordinal);
        Assert.Contains("@c", board, StringComparison.Ordinal);
        Assert.DoesNotContain("@d", board, StringComparison.Ordinal);
        var privately = Assert.Single(_world.Platform.PrivatePosts);
        Assert.Equal("c", privately.MemberId);
        Assert.Single(privately.Actions.OfType<PostFeedback>());
        Assert.Equal(RoundState.Done, (await _world.Store.FindRoundAsync(round.Id, default))!.State);
        Assert.Equal(4, (await _world.Store.RecordsAsync(round.Channel.Key, default)).Count);
    }

    [Fact]
    public async Task A_round_nobody_answered_still_reveals_its_outline()
    {
        var round = await OpenRoundAsync();

        await PastDeadlineAsync(round);

        var reveal = Assert.Single(_world.Platform.ThreadPosts);
        Assert.Contains(reveal.Actions.OfType<PostMarkup>(), m => m.Text.Contains("Nobody answered", StringComparison.Ordinal));
        Assert.Contains(reveal.Actions.OfType<PostMarkup>(), m => m.Text.Contains("What a strong answer covers", StringComparison.Ordinal));
        Assert.Empty(_world.Judge.Judged);
        Assert.Equal(RoundState.Done, (await _world.Store.FindRoundAsync(round.Id, default))!.State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_answer_that_cannot_be_judged_after_every_attempt_still_lets_the_round_reveal(bool timesOutAsACancellation)
    {
        var round = await OpenRoundAsync();
        _world.Judge.FailFor.Add("b");
        if (timesOutAsACancellation)
        {
            _world.Judge.Failure = () => new TaskCanceledException("The HTTP call timed out.", new TimeoutException());
        }

        await AnswerAsync(round, "a", AnswerOfA);
        await AnswerAsync(round, "b", AnswerOfB);

        await PastDeadlineAsync(round);
        for (var attempt = 0; attempt < 5 && _world.Platform.ThreadPosts.Count == 0; attempt++)
        {
            await _world.JudgeQueuedAsync();
            _world.Time.Advance(TimeSpan.FromMinutes(2));
            await _world.Scheduler.TickAsync(default);
        }

        Assert.Single(_world.Queue.DeadLetters);
        var reveal = Assert.Single(_world.Platform.ThreadPosts);
        Assert.Equal(["@a"], reveal.Actions.OfType<PostFeedback>().Select(f => f.For));
        Assert.Contains(reveal.Actions.OfType<PostMarkup>(), m => m.Text.Contains("@b: this answer could not be judged", StringComparison.Ordinal));
        Assert.Equal(1, _world.Judge.Judged.Count(m => m == "a"));
    }

    [Fact]
    public async Task A_member_who_chose_private_feedback_is_told_privately_when_their_answer_could_not_be_judged()
    {
        var round = await OpenRoundAsync();
        _world.Judge.FailFor.Add("b");
        await _world.Store.SavePreferencesAsync("b", new MemberPreferences(PrivateFeedback: true), default);
        await AnswerAsync(round, "b", AnswerOfB);

        await PastDeadlineAsync(round);
        for (var attempt = 0; attempt < 5 && _world.Platform.ThreadPosts.Count == 0; attempt++)
        {
            await _world.JudgeQueuedAsync();
            _world.Time.Advance(TimeSpan.FromMinutes(2));
        }

        var privately = Assert.Single(_world.Platform.PrivatePosts);
        Assert.Equal("b", privately.MemberId);
        Assert.Contains("could not be judged", Assert.Single(privately.Actions.OfType<PostMarkup>()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_forgotten_while_the_round_is_judged_does_not_leave_it_stuck()
    {
        var round = await OpenRoundAsync();
        await AnswerAsync(round, "a", AnswerOfA);
        await AnswerAsync(round, "b", AnswerOfB);
        await PastDeadlineAsync(round);

        Assert.Equal(1, await _world.Worker.RunOnceAsync("worker-1", 1, default));
        await _world.Store.ForgetAsync("b", default);
        await _world.JudgeQueuedAsync();
        await _world.Scheduler.TickAsync(default);

        var reveal = Assert.Single(_world.Platform.ThreadPosts);
        Assert.Equal(["@a"], reveal.Actions.OfType<PostFeedback>().Select(f => f.For));
        Assert.DoesNotContain(reveal.Actions.OfType<PostMarkup>(), m => m.Text.Contains("@b", StringComparison.Ordinal));
        Assert.Equal(RoundState.Done, (await _world.Store.FindRoundAsync(round.Id, default))!.State);
    }

    [Fact]
    public async Task A_member_forgotten_while_their_own_answer_is_judged_gets_no_feedback_no_place_on_the_board_and_no_record()
    {
        var round = await OpenRoundAsync();
        await AnswerAsync(round, "a", AnswerOfA);
        await AnswerAsync(round, "b", AnswerOfB);
        _world.Judge.WhileJudging = async member =>
        {
            if (member == "b")
            {
                await _world.Store.ForgetAsync("b", default);
            }
        };

        await PastDeadlineAsync(round);
        await _world.JudgeQueuedAsync();
        await _world.Scheduler.TickAsync(default);

        var reveal = Assert.Single(_world.Platform.ThreadPosts);
        Assert.Equal(["@a"], reveal.Actions.OfType<PostFeedback>().Select(f => f.For));
        Assert.DoesNotContain(reveal.Actions.OfType<PostMarkup>(), m => m.Text.Contains("@b", StringComparison.Ordinal));
        Assert.Empty(_world.Platform.PrivatePosts);
        Assert.Equal(["a"], (await _world.Store.RecordsAsync(round.Channel.Key, default)).Select(r => r.MemberId));
        Assert.Equal(0, await _world.Store.ForgetAsync("b", default));
    }

    [Fact]
    public async Task Members_with_the_same_score_share_their_place_on_todays_board()
    {
        var round = await OpenRoundAsync();
        await AnswerAsync(round, "b", AnswerOfA);
        await AnswerAsync(round, "a", AnswerOfA);
        await AnswerAsync(round, "c", AnswerOfB);

        await PastDeadlineAsync(round);
        await _world.JudgeQueuedAsync();

        var board = Assert.Single(Assert.Single(_world.Platform.ThreadPosts).Actions.OfType<PostMarkup>(), m => m.Text.Contains("Today's board", StringComparison.Ordinal)).Text;
        Assert.Equal(["1. @c", "2. @b", "2. @a"], board.Split('\n').Skip(1).Select(line => string.Join(' ', line.Split(' ').Take(2))));
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task A_member_who_presses_answer_while_the_post_is_still_being_made_gets_the_form_not_a_closed_round()
    {
        var posting = new RecordingStudyPlatform { HangPosts = true };
        var replica = _world.NewReplica(posting);
        await _world.SetScheduleAsync("09:00", "Europe/Berlin");
        _world.Time.Advance(TimeSpan.FromHours(1));
        using var stop = new CancellationTokenSource();
        var tick = replica.Scheduler.TickAsync(stop.Token);
        await Poll.UntilAsync(() => posting.PostCalls.Count > 0, "the round's post to be under way");
        var roundId = posting.PostCalls[0];

        var form = await replica.Rounds.OpenFormAsync(roundId, "a", default);
        var early = await replica.Rounds.AnswerAsync(StudyGroupWorld.Request("a", _member), roundId, AnswerOfA, text => $"«{text}»", default);

        Assert.Null(form.Refusal);
        Assert.NotNull(form.Question);
        Assert.StartsWith("This round is still opening", early, StringComparison.Ordinal);
        Assert.Contains($"«{AnswerOfA}»", early, StringComparison.Ordinal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tick);
    }

    private Task<DailyRound> OpenRoundAsync() => _world.OpenRoundAsync();

    private Task<string> AnswerAsync(DailyRound round, string member, string text) => _world.AnswerAsync(round, member, text, _member);

    private Task PastDeadlineAsync(DailyRound round) => _world.PastDeadlineAsync(round);
}
