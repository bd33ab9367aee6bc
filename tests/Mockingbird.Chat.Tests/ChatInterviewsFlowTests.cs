using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Chat.Tests;

/// <summary>
/// Each public path of the chat flow, called directly rather than through a bot: the in-memory stores (which can be
/// made to fail), queued judging as in the bots, a recording surface for the platform, and a fake clock.
/// </summary>
public sealed class ChatInterviewsFlowTests
{
    private const string Candidate = "chat:candidate";
    private const string Thread = "thread-1";
    private const string Usage = "/mock";

    private const string Answer =
        "The softmax saturates because the dot product's variance grows with the key dimension, so scaling keeps gradients alive.";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly FlakyStore _store;
    private readonly FlakyThreads _threads;
    private readonly InMemoryFeedbackRatings _ratings = new();
    private readonly ChatInterviews _chat;
    private readonly RecordingSurface _surface = new();
    private int _events;

    public ChatInterviewsFlowTests()
    {
        var options = Options.Create(new SessionStoreOptions());
        _store = new FlakyStore(new InMemorySessionStore(options, _time));
        _threads = new FlakyThreads(new InMemoryInterviewThreads(options, _time));
        var service = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), _store, new RubricJudge(), _time, JudgingMode.Queued);
        _chat = new ChatInterviews(service, _threads, _ratings, _time, new RecordingLogger<ChatInterviews>());
    }

    [Fact]
    public async Task Starting_opens_a_thread_for_the_plan_remembers_it_and_posts_the_introduction_and_first_question_there()
    {
        var start = Request();

        var reply = await StartAsync(start);

        Assert.Equal("Your interview is ready in <thread-1>. Good luck!", reply);
        Assert.Equal([InterviewPlan.Theory], _surface.ThreadsOpened);
        Assert.Equal(Thread, await _threads.FindAsync(Candidate, default));
        var (thread, actions, key) = Assert.Single(_surface.Posts);
        Assert.Equal((Thread, $"event:{start.EventId}"), (thread, key));
        Assert.IsType<PostIntroduction>(actions[0]);
        Assert.Equal(new QuestionPosition(1, null), Assert.IsType<PostQuestion>(actions[1]).Position);
    }

    [Fact]
    public async Task The_same_start_delivered_twice_opens_one_thread_and_points_the_repeat_at_it()
    {
        var start = Request();
        await StartAsync(start);

        var repeat = await StartAsync(start);

        Assert.Equal("Your interview is in <thread-1>.", repeat);
        Assert.Single(_surface.ThreadsOpened);
        Assert.Single(_surface.Posts);
    }

    [Fact]
    public async Task A_second_start_while_an_interview_runs_opens_nothing_and_says_where_the_interview_is()
    {
        await StartAsync();

        var reply = await StartAsync();

        Assert.EndsWith("\nYour interview is in <thread-1>.", reply, StringComparison.Ordinal);
        Assert.StartsWith("rendered 1 action(s)", reply, StringComparison.Ordinal);
        Assert.Single(_surface.ThreadsOpened);
    }

    [Fact]
    public async Task An_answer_in_the_candidates_thread_is_recorded_and_marked_taken_with_nothing_posted_until_its_feedback()
    {
        await StartAsync();

        var message = await _chat.MessageAsync(Request(), Thread, Answer, onlyFiles: false, _surface, ChatInterviews.NotSavedSendAgain, default);

        Assert.Equal(ThreadMessageOutcome.Recorded, message.Outcome);
        Assert.False(message.TakenEarlier);
        Assert.Equal(1, _surface.AnswersMarkedTaken);
        Assert.Single(_surface.Posts);
        Assert.Empty(_surface.Warnings);
        Assert.Equal(SessionPhase.Judging, await PhaseAsync());
    }

    [Fact]
    public async Task The_same_answer_event_delivered_twice_is_recorded_once_and_neither_marked_nor_posted_again()
    {
        await StartAsync();
        var answer = Request();
        await _chat.MessageAsync(answer, Thread, Answer, onlyFiles: false, _surface, ChatInterviews.NotSavedSendAgain, default);
        var turns = await TurnsAsync();

        var repeat = await _chat.MessageAsync(answer, Thread, Answer, onlyFiles: false, _surface, ChatInterviews.NotSavedSendAgain, default);

        Assert.Equal((ThreadMessageOutcome.Recorded, 0), (repeat.Outcome, repeat.Actions.Count));
        Assert.Equal(turns, await TurnsAsync());
        Assert.Equal(1, _surface.AnswersMarkedTaken);
        Assert.Single(_surface.Posts);
    }

    [Fact]
    public async Task A_write_the_store_made_before_timing_out_settles_as_taken_earlier_and_is_marked_not_warned()
    {
        await StartAsync();
        _store.FailAfterNextWrite = true;
        var answer = Request();

        var received = await _chat.ReceiveMessageAsync(answer, Thread, Answer, onlyFiles: false, deadline: null, default);
        var settled = await received.Settle!(default);
        var responded = await _chat.RespondAsync(answer, Thread, received, _surface, ChatInterviews.NotSavedSendAgain, default);

        Assert.Equal(ThreadMessageOutcome.NotRecorded, received.Outcome);
        Assert.Equal((ThreadMessageOutcome.Recorded, true, 0), (settled.Outcome, settled.TakenEarlier, settled.Actions.Count));
        Assert.Equal((ThreadMessageOutcome.Recorded, true), (responded.Outcome, responded.TakenEarlier));
        Assert.Equal(1, _surface.AnswersMarkedTaken);
        Assert.Empty(_surface.Warnings);
        Assert.Single(_surface.Posts);
        Assert.Single(await TurnsAsync());
    }

    [Fact]
    public async Task A_write_that_outlives_its_deadline_and_then_fails_is_applied_once_more_when_settled()
    {
        await StartAsync();
        var late = new TaskCompletionSource<WriteResult>();
        _store.NextWrite = late.Task;
        var answer = Request();

        var receiving = _chat.ReceiveMessageAsync(answer, Thread, Answer, onlyFiles: false, TimeSpan.FromSeconds(2), default);
        _time.Advance(TimeSpan.FromSeconds(2));
        var received = await receiving;
        late.SetException(new TimeoutException("the reply was lost"));
        var responded = await _chat.RespondAsync(answer, Thread, received, _surface, ChatInterviews.NotSavedRetrying, default);

        Assert.Equal(ThreadMessageOutcome.NotRecorded, received.Outcome);
        Assert.Equal((ThreadMessageOutcome.Recorded, false), (responded.Outcome, responded.TakenEarlier));
        Assert.Equal(1, _surface.AnswersMarkedTaken);
        Assert.Empty(_surface.Warnings);
        Assert.Equal(SessionPhase.Judging, await PhaseAsync());
    }

    [Theory]
    [InlineData(ChatInterviews.NotSavedRetrying)]
    [InlineData(ChatInterviews.NotSavedSendAgain)]
    public async Task An_answer_the_store_cannot_save_even_when_asked_again_is_warned_about_with_the_notice_given(string notice)
    {
        await StartAsync();
        _store.FailWrites = true;

        var message = await _chat.MessageAsync(Request(), Thread, Answer, onlyFiles: false, _surface, notice, default);

        Assert.Equal(ThreadMessageOutcome.NotRecorded, message.Outcome);
        Assert.Equal([(Thread, notice)], _surface.Warnings);
        Assert.Equal(0, _surface.AnswersMarkedTaken);
        Assert.Single(_surface.Posts);
        _store.FailWrites = false;
        Assert.Equal(SessionPhase.AwaitingAnswer, await PhaseAsync());
    }

    [Fact]
    public async Task An_answer_not_saved_with_no_notice_to_give_is_left_for_the_platform_to_deliver_again_without_a_word()
    {
        await StartAsync();
        _store.FailWrites = true;
        var answer = Request();

        var received = await _chat.ReceiveMessageAsync(answer, Thread, Answer, onlyFiles: false, deadline: null, default);
        var responded = await _chat.RespondAsync(answer, Thread, received, _surface, notSavedNotice: null, default);

        Assert.Equal(ThreadMessageOutcome.NotRecorded, responded.Outcome);
        Assert.Empty(_surface.Warnings);
        Assert.Equal(0, _surface.AnswersMarkedTaken);
    }

    [Fact]
    public async Task A_message_the_store_cannot_place_while_it_is_down_is_not_checked_and_nobody_is_warned()
    {
        await StartAsync();
        _threads.Down = true;

        var message = await _chat.MessageAsync(Request(), "thread-of-a-study-group", Answer, onlyFiles: false, _surface, ChatInterviews.NotSavedSendAgain, default);

        Assert.Equal(ThreadMessageOutcome.NotChecked, message.Outcome);
        Assert.Empty(_surface.Warnings);
    }

    [Fact]
    public async Task A_taken_answer_whose_reaction_fails_is_still_acknowledged_by_a_post_in_the_thread()
    {
        await StartAsync();
        _surface.FailMark = true;

        var message = await _chat.MessageAsync(Request(), Thread, Answer, onlyFiles: false, _surface, ChatInterviews.NotSavedSendAgain, default);

        Assert.Equal(ThreadMessageOutcome.Recorded, message.Outcome);
        var (thread, actions, _) = _surface.Posts[^1];
        Assert.Equal(Thread, thread);
        Assert.IsType<AcknowledgeAnswer>(Assert.Single(actions));
    }

    [Fact]
    public async Task An_answer_over_the_length_limit_is_refused_in_the_thread_and_not_recorded()
    {
        await StartAsync();
        var tooLong = new string('a', 12_001);

        var message = await _chat.MessageAsync(Request(), Thread, tooLong, onlyFiles: false, _surface, ChatInterviews.NotSavedSendAgain, default);

        var notice = Assert.IsType<PostNotice>(Assert.Single(_surface.Posts[^1].Actions));
        Assert.Equal("Your answer is 12,001 characters; the limit is 12,000. Shorten it and send it again: nothing was recorded.", notice.Text);
        Assert.Equal(NoticeKind.Rejected, notice.Kind);
        Assert.Equal(0, _surface.AnswersMarkedTaken);
        Assert.Equal(ThreadMessageOutcome.Recorded, message.Outcome);
        Assert.Equal(SessionPhase.AwaitingAnswer, await PhaseAsync());
    }

    [Fact]
    public async Task An_answer_exactly_at_the_length_limit_is_taken()
    {
        await StartAsync();

        await _chat.MessageAsync(Request(), Thread, new string('a', 12_000), onlyFiles: false, _surface, ChatInterviews.NotSavedSendAgain, default);

        Assert.Equal(1, _surface.AnswersMarkedTaken);
        Assert.Equal(SessionPhase.Judging, await PhaseAsync());
    }

    [Fact]
    public async Task A_message_in_a_thread_that_is_not_the_writers_interview_is_ignored_and_never_written()
    {
        await StartAsync();
        var writes = _store.WritesStarted;

        var inAnotherThread = await _chat.MessageAsync(Request(), "thread-of-a-study-group", Answer, onlyFiles: false, _surface, ChatInterviews.NotSavedSendAgain, default);
        var byAnotherUser = await _chat.MessageAsync(new ChatRequest("chat:onlooker", "event-onlooker", 1), Thread, Answer, onlyFiles: false, _surface, ChatInterviews.NotSavedSendAgain, default);

        Assert.Same(ThreadMessage.NotAnAnswer, inAnotherThread);
        Assert.Same(ThreadMessage.NotAnAnswer, byAnotherUser);
        Assert.Equal(writes, _store.WritesStarted);
        Assert.Single(_surface.Posts);
        Assert.Empty(_surface.Warnings);
        Assert.Equal(0, _surface.AnswersMarkedTaken);
    }

    [Fact]
    public async Task A_blank_message_is_not_an_answer_even_while_the_store_is_down()
    {
        await StartAsync();
        _threads.Down = true;

        var received = await _chat.ReceiveMessageAsync(Request(), Thread, "  \n", onlyFiles: false, deadline: null, default);

        Assert.Same(ThreadMessage.NotAnAnswer, received);
    }

    [Fact]
    public async Task At_most_ten_thousand_threads_are_remembered_for_an_outage_and_the_oldest_are_forgotten_past_that()
    {
        await StartAsync();
        for (var other = 1; other < 10_000; other++)
        {
            await SeeThreadOfAnotherCandidateAsync(other);
        }

        var atTheLimit = await ReceiveDuringOutageAsync();
        await SeeThreadOfAnotherCandidateAsync(10_000);
        var pastTheLimit = await ReceiveDuringOutageAsync();

        Assert.Equal(ThreadMessageOutcome.NotRecorded, atTheLimit.Outcome);
        Assert.Equal(ThreadMessageOutcome.NotChecked, pastTheLimit.Outcome);
    }

    [Fact]
    public async Task Forgetting_a_candidate_also_forgets_their_remembered_thread()
    {
        await StartAsync();

        var reply = await _chat.CommandAsync(Request(), new ChatCommand.ForgetMe(), _surface, Usage, default);
        var afterwards = await ReceiveDuringOutageAsync();

        Assert.StartsWith("Deleted: 1 interview(s) in progress, 0 completed interview(s), ", reply, StringComparison.Ordinal);
        Assert.Null(await _threads.FindAsync(Candidate, default));
        Assert.Equal(ThreadMessageOutcome.NotChecked, afterwards.Outcome);
    }

    [Fact]
    public async Task Forgetting_a_candidate_reaches_every_other_keeper_of_their_data_and_says_what_each_deleted()
    {
        var options = Options.Create(new SessionStoreOptions());
        var keeper = new Mock<IPersonalDataKeeper>();
        keeper.SetupGet(k => k.What).Returns("study-group item(s)");
        keeper.Setup(k => k.ForgetAsync(Candidate, It.IsAny<CancellationToken>())).ReturnsAsync(3);
        var service = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), new InMemorySessionStore(options, _time), new RubricJudge(), _time, JudgingMode.Queued);
        var chat = new ChatInterviews(service, new InMemoryInterviewThreads(options, _time), _ratings, _time, new RecordingLogger<ChatInterviews>(), [keeper.Object]);

        var reply = await chat.CommandAsync(Request(), new ChatCommand.ForgetMe(), _surface, Usage, default);

        Assert.Contains(", 3 study-group item(s). ", reply, StringComparison.Ordinal);
        keeper.Verify(k => k.ForgetAsync(Candidate, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_form_answer_is_echoed_under_its_own_delivery_key_before_it_is_recorded()
    {
        await StartAsync();
        var form = Request();
        SessionPhase? phaseWhenEchoed = null;
        _surface.OnEcho = async () => phaseWhenEchoed = await PhaseAsync();

        var reply = await _chat.FormAnswerAsync(form, Answer, new QuestionPosition(1, null), Thread, _surface, default);

        Assert.Equal("Answer saved — its feedback will appear in <thread-1>.", reply);
        Assert.Equal([(Thread, Answer, $"event:{form.EventId}:answer")], _surface.Echoes);
        Assert.Equal(SessionPhase.AwaitingAnswer, phaseWhenEchoed);
        Assert.Equal(SessionPhase.Judging, await PhaseAsync());
    }

    [Fact]
    public async Task A_form_answer_whose_echo_fails_is_still_recorded()
    {
        await StartAsync();
        _surface.FailEcho = true;

        var reply = await _chat.FormAnswerAsync(Request(), Answer, new QuestionPosition(1, null), Thread, _surface, default);

        Assert.Equal("Answer saved — its feedback will appear in <thread-1>.", reply);
        Assert.Equal(SessionPhase.Judging, await PhaseAsync());
    }

    [Fact]
    public async Task The_same_form_submitted_twice_is_echoed_and_recorded_once()
    {
        await StartAsync();
        var form = Request();
        await _chat.FormAnswerAsync(form, Answer, new QuestionPosition(1, null), Thread, _surface, default);

        var repeat = await _chat.FormAnswerAsync(form, Answer, new QuestionPosition(1, null), Thread, _surface, default);

        Assert.Equal("That answer was sent already — see <thread-1>.", repeat);
        Assert.Single(_surface.Echoes);
        Assert.Single(await TurnsAsync());
    }

    [Fact]
    public async Task A_form_over_the_length_limit_is_not_echoed_and_comes_back_with_the_reason()
    {
        await StartAsync();
        var tooLong = new string('a', 12_001);

        var reply = await _chat.FormAnswerAsync(Request(), tooLong, new QuestionPosition(1, null), Thread, _surface, default);

        Assert.StartsWith("Your answer is 12,001 characters; the limit is 12,000.", reply, StringComparison.Ordinal);
        Assert.EndsWith($"What you wrote, to send again:\n```\n«{tooLong}»\n```", reply, StringComparison.Ordinal);
        Assert.Empty(_surface.Echoes);
        Assert.Equal(SessionPhase.AwaitingAnswer, await PhaseAsync());
    }

    [Fact]
    public async Task A_form_submitted_in_someone_elses_thread_is_handed_back_and_not_recorded()
    {
        await StartAsync();

        var reply = await _chat.FormAnswerAsync(Request(), Answer, new QuestionPosition(1, null), "thread-of-a-study-group", _surface, default);

        Assert.Equal($"That form belongs to someone else's interview, so nothing was recorded.\n\nWhat you wrote, to send again:\n```\n«{Answer}»\n```", reply);
        Assert.Empty(_surface.Echoes);
        Assert.Equal(SessionPhase.AwaitingAnswer, await PhaseAsync());
    }

    [Fact]
    public async Task An_empty_form_sends_nothing()
    {
        await StartAsync();
        var writes = _store.WritesStarted;

        var reply = await _chat.FormAnswerAsync(Request(), " ", new QuestionPosition(1, null), Thread, _surface, default);

        Assert.Equal("The form was empty, so nothing was sent.", reply);
        Assert.Equal(writes, _store.WritesStarted);
        Assert.Empty(_surface.Echoes);
    }

    [Fact]
    public void A_handed_back_answer_is_quoted_inside_a_fence_it_cannot_close()
    {
        var reply = ChatInterviews.HandBack("Not taken.", "use ```python``` here", _surface);

        Assert.Equal("Not taken.\n\nWhat you wrote, to send again:\n```\n«use ʼʼʼpythonʼʼʼ here»\n```", reply);
    }

    [Fact]
    public async Task Files_alone_in_the_candidates_thread_are_told_to_write_text_under_the_events_delivery_key()
    {
        await StartAsync();
        var files = Request();

        var message = await _chat.MessageAsync(files, Thread, string.Empty, onlyFiles: true, _surface, ChatInterviews.NotSavedSendAgain, default);

        Assert.Equal(ThreadMessageOutcome.FilesOnly, message.Outcome);
        var (thread, actions, key) = _surface.Posts[^1];
        Assert.Equal((Thread, $"event:{files.EventId}"), (thread, key));
        Assert.Equal(NoticeKind.Rejected, Assert.IsType<PostNotice>(Assert.Single(actions)).Kind);
    }

    [Fact]
    public async Task A_hint_command_is_posted_in_the_thread_and_the_reply_points_there()
    {
        await StartAsync();

        var reply = await _chat.CommandAsync(Request(), new ChatCommand.Hint(), _surface, Usage, default);

        Assert.Equal("Done — see <thread-1>.", reply);
        Assert.IsType<PostHint>(Assert.Single(_surface.Posts[^1].Actions));
    }

    [Fact]
    public async Task Resuming_after_the_thread_was_lost_opens_a_new_one_and_posts_the_current_question_there()
    {
        await StartAsync();
        await _threads.RemoveAsync(Candidate, default);

        var reply = await _chat.CommandAsync(Request(), new ChatCommand.ResumeInterview(), _surface, Usage, default);

        Assert.Equal("Your interview continues in <thread-2>.", reply);
        Assert.Equal([InterviewPlan.Theory, null], _surface.ThreadsOpened);
        Assert.Equal("thread-2", await _threads.FindAsync(Candidate, default));
        var (thread, actions, _) = _surface.Posts[^1];
        Assert.Equal("thread-2", thread);
        Assert.Equal(new QuestionPosition(1, null), actions.OfType<PostQuestion>().Single().Position);
    }

    [Fact]
    public async Task A_command_without_an_interview_is_answered_in_the_reply_alone()
    {
        var reply = await _chat.CommandAsync(Request(), new ChatCommand.Skip(), _surface, Usage, default);

        Assert.Equal("rendered 1 action(s)", reply);
        Assert.Empty(_surface.Posts);
    }

    [Fact]
    public async Task A_rating_counts_once_per_person_for_a_well_formed_arm_and_as_unknown_otherwise()
    {
        var posted = _time.GetUtcNow();

        var first = await _chat.RateAsync("ann", "m1", posted, "judge-design@v1", helpful: true, ratedIn: null, default);
        var again = await _chat.RateAsync("ann", "m1", posted, "judge-design@v1", helpful: true, ratedIn: null, default);
        await _chat.RateAsync("bob", "m1", posted, "Judge Design", helpful: false, ratedIn: null, default);

        Assert.Equal("Thanks! Glad it helped.", first);
        Assert.Equal("You rated this feedback that way already.", again);
        Assert.Equal(
            [new ArmRatings("judge-design@v1", 1, 0), new ArmRatings(FeedbackArm.Unknown, 0, 1)],
            (await _ratings.SummaryAsync(default)).OrderBy(a => a.Arm == FeedbackArm.Unknown));
    }

    [Fact]
    public async Task A_rating_is_taken_up_to_thirty_days_after_the_feedback_and_not_a_moment_later()
    {
        var posted = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromDays(30));
        var onTheLastDay = await _chat.RateAsync("ann", "m1", posted, "judge-design@v1", helpful: false, ratedIn: null, default);
        _time.Advance(TimeSpan.FromTicks(1));

        var late = await _chat.RateAsync("bob", "m1", posted, "judge-design@v1", helpful: true, ratedIn: null, default);

        Assert.Equal("Thanks — noted. This helps us improve the feedback.", onTheLastDay);
        Assert.Equal("Ratings close 30 days after the feedback, so this one was not counted.", late);
        Assert.Equal([new ArmRatings("judge-design@v1", 0, 1)], await _ratings.SummaryAsync(default));
    }

    private async Task<string> StartAsync(ChatRequest? request = null) =>
        await _chat.CommandAsync(request ?? Request(), new ChatCommand.Start(new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2)), _surface, Usage, default);

    private async Task SeeThreadOfAnotherCandidateAsync(int other)
    {
        var candidate = $"chat:other-{other}";
        await _threads.SetAsync(candidate, $"thread-of-{candidate}", default);

        // Written in a thread nobody's interview has, so not an answer; asking whose thread it is remembers the writer's thread.
        Assert.Same(ThreadMessage.NotAnAnswer, await _chat.ReceiveMessageAsync(new ChatRequest(candidate, $"event-{candidate}", 1), "a-thread-of-no-interview", "hello", onlyFiles: false, deadline: null, default));
    }

    private async Task<ThreadMessage> ReceiveDuringOutageAsync()
    {
        _threads.Down = true;
        _store.FailWrites = true;
        try
        {
            return await _chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);
        }
        finally
        {
            _threads.Down = false;
            _store.FailWrites = false;
        }
    }

    private async Task<SessionPhase> PhaseAsync() => (await _store.FindActiveAsync(Candidate, default))!.Session.Phase;

    private async Task<IReadOnlyList<Turn>> TurnsAsync() => (await _store.FindActiveAsync(Candidate, default))!.Session.Turns;

    private ChatRequest Request() => new(Candidate, $"event-{++_events}", 7);
}
