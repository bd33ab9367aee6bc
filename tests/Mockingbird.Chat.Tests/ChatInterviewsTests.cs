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
/// The chat flow both bots share, against the in-memory stores with queued judging (as in the bots) and a mocked
/// surface standing for the platform.
/// </summary>
public sealed class ChatInterviewsTests
{
    private const string Candidate = "chat:candidate";
    private const string Thread = "thread-1";

    private const string Answer =
        "The softmax saturates because the dot product's variance grows with the key dimension, so scaling keeps gradients alive.";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly FlakyStore _store;
    private readonly Dictionary<string, string> _threads = [];
    private bool _threadsDown;
    private readonly ChatInterviews _chat;
    private readonly InterviewService _service;
    private readonly IInterviewThreads _threadStore;
    private readonly InterviewThreadCache _known;
    private readonly Mock<IInterviewThreads> _threadMock = new();
    private readonly Mock<IChatSurface> _surface = new();
    private readonly List<(string Thread, IReadOnlyList<InterviewAction> Actions)> _posted = [];
    private int _events;

    public ChatInterviewsTests()
    {
        var options = Options.Create(new SessionStoreOptions());
        _store = new FlakyStore(new InMemorySessionStore(options, _time));
        _known = InterviewThreadCache.ForRetention(_time, options.Value.ThreadRetention);
        var threads = _threadMock;
        threads.Setup(t => t.SetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, CancellationToken>((candidate, thread, _) => _threads[candidate] = thread)
            .Returns(Task.CompletedTask);
        threads.Setup(t => t.SetIfAbsentAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns<string, string, CancellationToken>((candidate, thread, _) => Task.FromResult(_threads.TryAdd(candidate, thread)));
        threads.Setup(t => t.RemoveIfCurrentAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns<string, string, CancellationToken>((candidate, thread, _) => Task.FromResult(_threads.GetValueOrDefault(candidate) == thread && _threads.Remove(candidate)));
        threads.Setup(t => t.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns<string, CancellationToken>((candidate, _) => _threadsDown
                ? Task.FromException<string?>(new TimeoutException("store down"))
                : Task.FromResult(_threads.GetValueOrDefault(candidate)));
        _service = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), _store, new RubricJudge(), _time, JudgingMode.Queued);
        _threadStore = threads.Object;
        _chat = new ChatInterviews(_service, _threadStore, new InMemoryFeedbackRatings(), _time, new RecordingLogger<ChatInterviews>(), knownThreads: _known);
        _surface.Setup(s => s.OpenThreadAsync(It.IsAny<InterviewPlan?>(), It.IsAny<CancellationToken>())).ReturnsAsync(Thread);
        _surface.Setup(s => s.PostAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<InterviewAction>>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, IReadOnlyList<InterviewAction>, string, CancellationToken>((thread, actions, _, _) => _posted.Add((thread, actions)))
            .Returns(Task.CompletedTask);
        _surface.Setup(s => s.Link(It.IsAny<string>())).Returns<string>(thread => $"<{thread}>");
        _surface.Setup(s => s.Quote(It.IsAny<string>())).Returns<string>(text => text);
        _surface.Setup(s => s.Render(It.IsAny<IReadOnlyList<InterviewAction>>())).Returns("rendered");
    }

    [Fact]
    public async Task A_form_answer_is_shown_in_the_thread_before_it_is_recorded_so_its_feedback_cannot_land_above_it()
    {
        await StartAsync();
        SessionPhase? phaseWhenShown = null;
        _surface.Setup(s => s.EchoAnswerAsync(Thread, Answer, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(async () => phaseWhenShown = (await _store.FindActiveAsync(Candidate, default))!.Session.Phase);

        var reply = await _chat.FormAnswerAsync(Request(), Answer, new QuestionPosition(1, null), Thread, _surface.Object, default);

        Assert.Equal(SessionPhase.AwaitingAnswer, phaseWhenShown);
        Assert.Equal(SessionPhase.Judging, (await _store.FindActiveAsync(Candidate, default))!.Session.Phase);
        Assert.Contains("Answer saved", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_for_an_earlier_question_is_not_shown_and_comes_back_in_the_reply_alone()
    {
        await StartAsync();
        _posted.Clear();

        var reply = await _chat.FormAnswerAsync(Request(), Answer, new QuestionPosition(7, null), Thread, _surface.Object, default);

        _surface.Verify(s => s.EchoAnswerAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(_posted);
        Assert.Contains("earlier question", reply, StringComparison.Ordinal);
        Assert.Contains(Answer, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_answer_the_store_cannot_record_is_handed_back_in_full()
    {
        await StartAsync();
        _store.FailWrites = true;

        var reply = await _chat.FormAnswerAsync(Request(), Answer, new QuestionPosition(1, null), Thread, _surface.Object, default);

        Assert.Contains("couldn't save", reply, StringComparison.Ordinal);
        Assert.Contains(Answer, reply, StringComparison.Ordinal);
        Assert.Equal(SessionPhase.AwaitingAnswer, (await _store.FindActiveAsync(Candidate, default))!.Session.Phase);
    }

    [Fact]
    public async Task A_form_answer_is_handed_back_when_the_store_cannot_even_say_whose_thread_it_is()
    {
        await StartAsync();
        _threadsDown = true;

        var reply = await _chat.FormAnswerAsync(Request(), Answer, new QuestionPosition(1, null), Thread, _surface.Object, default);

        Assert.Contains("couldn't save", reply, StringComparison.Ordinal);
        Assert.Contains(Answer, reply, StringComparison.Ordinal);
        _surface.Verify(s => s.EchoAnswerAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_click_that_changes_nothing_is_answered_privately_and_not_posted_in_the_thread()
    {
        await StartAsync();
        _posted.Clear();

        var reply = await _chat.ButtonAsync(Request(), new SkipRequested(new QuestionPosition(5, null)), Thread, _surface.Object, default);

        Assert.Contains("earlier question", reply, StringComparison.Ordinal);
        Assert.Empty(_posted);
    }

    [Fact]
    public async Task An_answer_in_a_known_thread_that_cannot_be_saved_is_marked_and_its_author_told()
    {
        await StartAsync();
        _store.FailWrites = true;

        var taken = (await _chat.MessageAsync(Request(), Thread, Answer, onlyFiles: false, _surface.Object, ChatInterviews.NotSavedSendAgain, default)).Outcome == ThreadMessageOutcome.Recorded;

        Assert.False(taken);
        _surface.Verify(s => s.WarnNotSavedAsync(Thread, ChatInterviews.NotSavedSendAgain, It.IsAny<CancellationToken>()), Times.Once);
        _surface.Verify(s => s.MarkAnswerTakenAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task While_the_store_is_down_a_thread_seen_lately_is_still_known_as_the_candidates()
    {
        await StartAsync();
        _threadsDown = true;
        _store.FailReads = true;

        var received = await _chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);
        var elsewhere = await _chat.ReceiveMessageAsync(Request(), "someone-elses-thread", Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.NotRecorded, received.Outcome);
        Assert.Equal(ThreadMessageOutcome.NotChecked, elsewhere.Outcome);
    }

    [Fact]
    public async Task An_answer_in_the_thread_opened_for_its_interview_is_taken_without_asking_whose_thread_it_is()
    {
        await StartAsync();
        _threadsDown = true;

        var received = await _chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.Recorded, received.Outcome);
        Assert.Equal(SessionPhase.Judging, (await _store.FindActiveAsync(Candidate, default))!.Session.Phase);
    }

    [Fact]
    public async Task Someone_elses_message_in_a_known_interview_thread_is_not_an_answer_without_asking_the_store_anything()
    {
        await StartAsync();
        _threadsDown = true;
        _store.FailReads = true;

        var received = await _chat.ReceiveMessageAsync(new ChatRequest("onlooker", "event-onlooker", 7), Thread, Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.NotAnAnswer, received.Outcome);
    }

    [Fact]
    public async Task A_replica_that_never_saw_the_thread_asks_whose_it_is_once_and_then_takes_answers_there_without_asking()
    {
        await StartAsync();
        var replica = new ChatInterviews(_service, _threadStore, new InMemoryFeedbackRatings(), _time, new RecordingLogger<ChatInterviews>());

        var first = await replica.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);
        _threadsDown = true;
        var second = await replica.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.Recorded, first.Outcome);
        Assert.Equal(ThreadMessageOutcome.Recorded, second.Outcome);
        Assert.Equal(SessionPhase.Judging, (await _store.FindActiveAsync(Candidate, default))!.Session.Phase);
    }

    [Fact]
    public async Task An_answer_in_its_thread_a_tenth_of_the_retention_after_the_thread_was_learnt_looks_it_up_to_keep_it_and_a_failed_lookup_fails_nothing()
    {
        // A retention of ten hours, so its tenth passes well within the interview's idle timeout.
        var chat = new ChatInterviews(_service, _threadStore, new InMemoryFeedbackRatings(), _time, new RecordingLogger<ChatInterviews>(), knownThreads: InterviewThreadCache.ForRetention(_time, TimeSpan.FromHours(10)));
        Assert.Contains("ready in", await chat.CommandAsync(Request(), new ChatCommand.Start(new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2)), _surface.Object, "/mock", default), StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromHours(1));
        var lookupsBefore = Lookups();

        var due = await chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);
        var kept = await chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);
        Assert.Equal(1, Lookups() - lookupsBefore);
        _time.Advance(TimeSpan.FromHours(1));
        _threadsDown = true;
        var dueWhileDown = await chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);

        Assert.All([due, kept, dueWhileDown], message => Assert.Equal(ThreadMessageOutcome.Recorded, message.Outcome));
        Assert.Equal(2, Lookups() - lookupsBefore);
    }

    private int Lookups() => _threadMock.Invocations.Count(i => i.Method.Name == nameof(IInterviewThreads.FindAsync));

    [Fact]
    public async Task A_start_saves_the_interview_with_the_thread_opened_for_it()
    {
        await StartAsync();

        Assert.Equal(Thread, (await _store.FindActiveAsync(Candidate, default))!.Session.Place);
        Assert.Equal(Thread, await _threadStore.FindAsync(Candidate, default));
    }

    [Fact]
    public async Task A_message_in_the_thread_of_an_interview_replaced_through_another_replica_is_not_an_answer_to_the_new_one()
    {
        await StartAsync();
        await RestartElsewhereInAsync("thread-2");

        var received = await _chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.NotAnAnswer, received.Outcome);
        Assert.Equal(SessionPhase.AwaitingAnswer, (await _store.FindActiveAsync(Candidate, default))!.Session.Phase);
    }

    [Fact]
    public async Task Files_alone_in_the_thread_of_an_interview_replaced_through_another_replica_get_no_notice()
    {
        await StartAsync();
        await RestartElsewhereInAsync("thread-2");
        _posted.Clear();

        var received = await _chat.MessageAsync(Request(), Thread, string.Empty, onlyFiles: true, _surface.Object, ChatInterviews.NotSavedSendAgain, default);

        Assert.Equal(ThreadMessageOutcome.NotAnAnswer, received.Outcome);
        Assert.Empty(_posted);
    }

    [Fact]
    public async Task An_answer_in_the_thread_of_an_interview_that_timed_out_is_told_there_is_no_interview_in_progress()
    {
        await StartAsync();
        await _store.DiscardActiveAsync(Candidate, default);

        var received = await _chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.Recorded, received.Outcome);
        Assert.Contains("no interview in progress", Assert.IsType<PostNotice>(Assert.Single(received.Actions)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resume_whose_move_to_a_new_thread_cannot_be_saved_keeps_no_record_of_that_thread()
    {
        await StartAsync();
        _threads.Remove(Candidate);
        _surface.Setup(s => s.OpenThreadAsync(It.IsAny<InterviewPlan?>(), It.IsAny<CancellationToken>()))
            .Callback(() => _store.FailWrites = true)
            .ReturnsAsync("thread-2");

        await Assert.ThrowsAsync<TimeoutException>(() => _chat.CommandAsync(Request(), new ChatCommand.ResumeInterview(), _surface.Object, "/mock", default));

        Assert.Empty(_threads);
        Assert.Equal(Thread, (await _store.FindActiveAsync(Candidate, default))!.Session.Place);
    }

    [Fact]
    public async Task A_resume_whose_move_fails_reports_that_failure_even_when_letting_its_thread_go_fails_too()
    {
        await StartAsync();
        _threads.Remove(Candidate);
        _threadMock.Setup(t => t.RemoveIfCurrentAsync(Candidate, "thread-2", It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("thread store down"));
        _surface.Setup(s => s.OpenThreadAsync(It.IsAny<InterviewPlan?>(), It.IsAny<CancellationToken>()))
            .Callback(() => _store.FailWrites = true)
            .ReturnsAsync("thread-2");

        await Assert.ThrowsAsync<TimeoutException>(() => _chat.CommandAsync(Request(), new ChatCommand.ResumeInterview(), _surface.Object, "/mock", default));
    }

    [Fact]
    public async Task Of_two_resumes_at_once_the_one_that_keeps_its_thread_first_moves_the_interview_and_the_others_thread_gets_a_note()
    {
        await StartAsync();
        _threads.Remove(Candidate);
        var elsewhere = new ChatInterviews(_service, _threadStore, new InMemoryFeedbackRatings(), _time, new RecordingLogger<ChatInterviews>());
        var otherSurface = new Mock<IChatSurface>();
        otherSurface.Setup(s => s.OpenThreadAsync(It.IsAny<InterviewPlan?>(), It.IsAny<CancellationToken>())).ReturnsAsync("thread-3");
        otherSurface.Setup(s => s.Link(It.IsAny<string>())).Returns<string>(thread => $"<{thread}>");
        string? otherReply = null;
        _surface.Setup(s => s.OpenThreadAsync(It.IsAny<InterviewPlan?>(), It.IsAny<CancellationToken>()))
            .Returns(async (InterviewPlan? _, CancellationToken _) =>
            {
                // The other resume runs to its end while this one opens its thread.
                otherReply = await elsewhere.CommandAsync(Request(), new ChatCommand.ResumeInterview(), otherSurface.Object, "/mock", default);
                return "thread-2";
            });
        _posted.Clear();

        var reply = await _chat.CommandAsync(Request(), new ChatCommand.ResumeInterview(), _surface.Object, "/mock", default);

        Assert.Contains("continues in <thread-3>", otherReply, StringComparison.Ordinal);
        Assert.Contains("continues in <thread-3>", reply, StringComparison.Ordinal);
        Assert.Equal("thread-3", _threads[Candidate]);
        Assert.Equal("thread-3", (await _store.FindActiveAsync(Candidate, default))!.Session.Place);
        var (thread, actions) = Assert.Single(_posted);
        Assert.Equal("thread-2", thread);
        Assert.StartsWith("Resuming here did not finish", Assert.IsType<PostNotice>(Assert.Single(actions)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_the_store_fails_to_save_leaves_a_note_in_the_thread_opened_for_it_and_keeps_no_thread()
    {
        _store.FailWrites = true;

        await Assert.ThrowsAsync<TimeoutException>(() => _chat.CommandAsync(Request(), new ChatCommand.Start(new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2)), _surface.Object, "/mock", default));

        var (thread, actions) = Assert.Single(_posted);
        Assert.Equal(Thread, thread);
        Assert.StartsWith("Starting an interview here did not finish", Assert.IsType<PostNotice>(Assert.Single(actions)).Text, StringComparison.Ordinal);
        Assert.Empty(_threads);
    }

    [Fact]
    public async Task Once_an_interview_resumes_in_a_new_thread_through_another_replica_its_old_thread_takes_no_answer_and_the_new_one_does()
    {
        await StartAsync();
        _threads.Remove(Candidate);
        var elsewhere = new ChatInterviews(_service, _threadStore, new InMemoryFeedbackRatings(), _time, new RecordingLogger<ChatInterviews>());
        _surface.Setup(s => s.OpenThreadAsync(It.IsAny<InterviewPlan?>(), It.IsAny<CancellationToken>())).ReturnsAsync("thread-2");
        Assert.Contains("continues in <thread-2>", await elsewhere.CommandAsync(Request(), new ChatCommand.ResumeInterview(), _surface.Object, "/mock", default), StringComparison.Ordinal);

        var inOldThread = await _chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, deadline: null, default);
        var untouched = (await _store.FindActiveAsync(Candidate, default))!.Session;
        var inNewThread = await _chat.ReceiveMessageAsync(Request(), "thread-2", Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.NotAnAnswer, inOldThread.Outcome);
        Assert.Equal(SessionPhase.AwaitingAnswer, untouched.Phase);
        Assert.Equal("thread-2", untouched.Place);
        Assert.Equal(ThreadMessageOutcome.Recorded, inNewThread.Outcome);
    }

    [Fact]
    public async Task A_store_slower_than_the_deadline_counts_as_not_recorded()
    {
        await StartAsync();
        var stalled = new TaskCompletionSource<WriteResult>();
        _store.NextWrite = stalled.Task;
        var writes = _store.WritesStarted;

        var receiving = _chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, TimeSpan.FromSeconds(2), default);
        Assert.Equal(writes + 1, _store.WritesStarted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(receiving.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ThreadMessageOutcome.NotRecorded, (await receiving).Outcome);
    }

    [Fact]
    public async Task A_write_that_outlives_the_deadline_and_lands_is_answered_as_taken_not_as_lost()
    {
        await StartAsync();
        var late = new TaskCompletionSource<WriteResult>();
        _store.NextWrite = late.Task;

        var received = _chat.ReceiveMessageAsync(Request(), Thread, Answer, onlyFiles: false, TimeSpan.FromSeconds(2), default);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ThreadMessageOutcome.NotRecorded, (await received).Outcome);
        var responding = _chat.RespondAsync(Request(), Thread, await received, _surface.Object, ChatInterviews.NotSavedSendAgain, default);
        late.SetResult(new WriteResult(WriteOutcome.Saved, 2));
        await responding;

        _surface.Verify(s => s.MarkAnswerTakenAsync(It.IsAny<CancellationToken>()), Times.Once);
        _surface.Verify(s => s.WarnNotSavedAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_store_that_timed_out_after_writing_is_asked_again_and_nobody_is_told_to_send_the_answer_again()
    {
        await StartAsync();
        _store.FailAfterNextWrite = true;

        var taken = (await _chat.MessageAsync(Request(), Thread, Answer, onlyFiles: false, _surface.Object, ChatInterviews.NotSavedSendAgain, default)).Outcome == ThreadMessageOutcome.Recorded;

        Assert.True(taken);
        Assert.Equal(SessionPhase.Judging, (await _store.FindActiveAsync(Candidate, default))!.Session.Phase);
        _surface.Verify(s => s.WarnNotSavedAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _surface.Verify(s => s.MarkAnswerTakenAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Files_without_text_in_the_candidates_thread_get_a_notice_and_are_not_an_answer()
    {
        await StartAsync();
        _posted.Clear();

        var taken = (await _chat.MessageAsync(Request(), Thread, string.Empty, onlyFiles: true, _surface.Object, ChatInterviews.NotSavedSendAgain, default)).Outcome == ThreadMessageOutcome.Recorded;

        Assert.False(taken);
        Assert.Contains("not files", Assert.IsType<PostNotice>(Assert.Single(Assert.Single(_posted).Actions)).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ML engineer", "too short")]
    public async Task A_start_with_a_job_description_that_cannot_be_used_says_why_and_starts_nothing(string job, string expected)
    {
        var reply = await _chat.CommandAsync(Request(), new ChatCommand.Start(new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), job), _surface.Object, "/mock", default);

        Assert.Contains(expected, reply, StringComparison.Ordinal);
        Assert.Contains("Nothing was started", reply, StringComparison.Ordinal);
        Assert.Null(await _store.FindActiveAsync(Candidate, default));
        _surface.Verify(s => s.OpenThreadAsync(It.IsAny<InterviewPlan?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_start_with_a_job_description_keeps_its_requirements_with_the_interview()
    {
        const string job = "- Build retrieval services for our support assistant\n- Own the evaluation of attention-based ranking models in production";

        var reply = await _chat.CommandAsync(Request(), new ChatCommand.Start(new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), job), _surface.Object, "/mock", default);

        Assert.Contains("ready in", reply, StringComparison.Ordinal);
        var session = (await _store.FindActiveAsync(Candidate, default))!.Session;
        Assert.Equal(["Build retrieval services for our support assistant", "Own the evaluation of attention-based ranking models in production"], session.Options.Job!.Requirements);
        Assert.Contains("attention", session.Options.Job.Topics);
    }

    [Fact]
    public async Task A_start_asking_for_the_job_form_where_no_form_can_open_says_where_it_opens()
    {
        var reply = await _chat.CommandAsync(Request(), new ChatCommand.AskForJob(new InterviewOptions(InterviewPlan.Theory)), _surface.Object, "/mock", default);

        Assert.Equal(ChatInterviews.JobFormOnlyFromCommand, reply);
        Assert.Null(await _store.FindActiveAsync(Candidate, default));
    }

    private async Task StartAsync()
    {
        var reply = await _chat.CommandAsync(Request(), new ChatCommand.Start(new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2)), _surface.Object, "/mock", default);
        Assert.Contains("ready in", reply, StringComparison.Ordinal);
    }

    private ChatRequest Request() => new(Candidate, $"event-{++_events}", 7);

    /// <summary>The candidate ends their interview and starts another in <paramref name="thread"/>, through another replica.</summary>
    private async Task RestartElsewhereInAsync(string thread)
    {
        var elsewhere = new ChatInterviews(_service, _threadStore, new InMemoryFeedbackRatings(), _time, new RecordingLogger<ChatInterviews>());
        await elsewhere.CommandAsync(Request(), new ChatCommand.EndInterview(), _surface.Object, "/mock", default);
        _surface.Setup(s => s.OpenThreadAsync(It.IsAny<InterviewPlan?>(), It.IsAny<CancellationToken>())).ReturnsAsync(thread);
        _time.Advance(TimeSpan.FromMinutes(1));
        var restarted = await elsewhere.CommandAsync(Request(), new ChatCommand.Start(new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2)), _surface.Object, "/mock", default);
        Assert.Contains($"ready in <{thread}>", restarted, StringComparison.Ordinal);
    }
}
