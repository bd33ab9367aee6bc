using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Disputes.Tests;

/// <summary>
/// Disputes on the feedback of an interview that has finished: its thread is let go of, so only the interview's mark
/// on the button ties a press to the candidate's kept interview.
/// </summary>
public sealed class FinishedInterviewDisputeTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InMemorySessionStore _sessions;
    private readonly InMemoryInterviewThreads _threads;
    private readonly DisputeCommands _commands;

    public FinishedInterviewDisputeTests()
    {
        var options = Options.Create(new SessionStoreOptions());
        _sessions = new InMemorySessionStore(options, _clock);
        _threads = new InMemoryInterviewThreads(options, _clock);
        var desk = new DisputeDesk(new InMemoryDisputeStore(), new InMemoryDisputeVoters(), Options.Create(new DisputeOptions()), _clock, NullLogger<DisputeDesk>.Instance);
        _commands = new DisputeCommands(desk, new InMemoryDisputeVoters(), _sessions, _threads, new QuestionBank([]));
    }

    [Fact]
    public async Task The_button_of_the_kept_finished_interview_opens_the_form_on_its_dimensions()
    {
        var kept = await FinishAsync("candidate", "s-kept", "Depth");

        var form = await _commands.OpenFormAsync("candidate", new DisputedFeedback(1, "q-1", "judge@v2", kept.Mark), "thread-of-that-interview", default);

        Assert.Equal(["Depth"], form.Dimensions);
    }

    [Fact]
    public async Task Someone_pressing_another_persons_button_after_their_own_interview_on_the_same_question_finished_is_refused()
    {
        var theirs = InterviewSession.MarkOf("s-candidate");
        await _threads.SetAsync("candidate", "thread-candidate", default);
        await FinishAsync("bystander", "s-bystander", "Bystander's own dimension");

        var form = await _commands.OpenFormAsync("bystander", new DisputedFeedback(1, "q-1", "judge@v2", theirs), "thread-candidate", default);

        Assert.Empty(form.Dimensions);
        Assert.Equal(DisputeCommands.NotDisputable, form.Refusal);
    }

    [Fact]
    public async Task A_button_from_an_earlier_interview_that_asked_the_same_question_at_the_same_turn_does_not_reach_the_kept_one()
    {
        var earlier = InterviewSession.MarkOf("s-earlier");
        await FinishAsync("candidate", "s-later", "Depth");

        var marked = await _commands.OpenFormAsync("candidate", new DisputedFeedback(1, "q-1", "judge@v2", earlier), "thread-earlier", default);
        var unmarked = await _commands.OpenFormAsync("candidate", new DisputedFeedback(1, "q-1", "judge@v2"), "thread-earlier", default);

        Assert.Equal(DisputeCommands.NotDisputable, marked.Refusal);
        Assert.Equal(DisputeCommands.NotDisputable, unmarked.Refusal);
    }

    [Fact]
    public async Task A_mark_travels_through_the_buttons_encoding_and_a_button_posted_before_marks_decodes_without_one()
    {
        var marked = new DisputedFeedback(3, "theory-attention", "judge-theory@v4", "1a2b3c4d");

        Assert.Equal(marked, DisputedFeedback.Decode(marked.Encode()));
        Assert.Equal(new DisputedFeedback(3, "theory-attention", "judge-theory@v4"), DisputedFeedback.Decode("3|theory-attention|judge-theory@v4"));
        Assert.Null(DisputedFeedback.Decode("3|theory-attention|judge-theory@v4|"));
    }

    private async Task<InterviewSession> FinishAsync(string candidate, string id, string dimension)
    {
        var finished = new InterviewSession(
            id,
            candidate,
            new InterviewOptions(InterviewPlan.Theory),
            7,
            [new PlannedQuestion("q-1", Stage.Theory)],
            new InterviewItem(0),
            SessionPhase.Completed,
            [new Turn(1, "q-1", Stage.Theory, null, TurnOutcome.Answered, "An answer.", 0, Start, new TurnScore("rubric", 3, [new ScoredDimension(dimension, 3)], [], "drill"))],
            new Dictionary<string, int>(),
            false,
            Start,
            Start);
        await _sessions.WriteAsync(new SessionWrite(finished, 0), default);
        return finished;
    }
}
