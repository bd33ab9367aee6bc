using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Experiments;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Experiments;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Chat.Tests.Experiments;

/// <summary>
/// 👍/👎 clicks counted in the experiment that wrote the feedback when they are its candidate's own, once per
/// candidate per arm, and forgotten with the candidate.
/// </summary>
public sealed class ExperimentVotesTests
{
    private const string Experiment = "judge-2026-12";
    private const string Rater = "chat:rater";
    private const string Other = "chat:other";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFeedbackRatings _ratings = new();
    private readonly InMemoryExperimentStore _store = new();
    private readonly InMemoryInterviewThreads _threads;
    private readonly InMemorySessionStore _sessions;

    public ExperimentVotesTests()
    {
        _threads = new InMemoryInterviewThreads(Options.Create(new SessionStoreOptions()), _time);
        _sessions = new InMemorySessionStore(Options.Create(new SessionStoreOptions()), _time);
        _threads.SetAsync(Rater, ThreadOf(Rater), default).GetAwaiter().GetResult();
        _threads.SetAsync(Other, ThreadOf(Other), default).GetAwaiter().GetResult();
    }

    private static string ThreadOf(string candidate) => $"thread-of-{candidate}";

    private ChatInterviews Chat(IExperimentStore store, IInterviewThreads? threads = null, ISessionStore? sessions = null)
    {
        var service = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), sessions ?? _sessions, new RubricJudge(), _time, JudgingMode.Queued);
        var votes = new ExperimentVotes(store, _time, new RecordingLogger<ExperimentVotes>(), ExperimentCommandsTests.Reports(store, _time));
        return new ChatInterviews(service, threads ?? _threads, _ratings, _time, new RecordingLogger<ChatInterviews>(), [new ExperimentMemory(store)], experimentVotes: votes);
    }

    /// <summary>A click on a feedback in <paramref name="ratedIn"/>, by default the rater's own interview thread.</summary>
    private Task<string> RateAsync(ChatInterviews chat, string rater, string feedback, string arm, bool helpful, string? ratedIn = null) =>
        chat.RateAsync(rater, feedback, _time.GetUtcNow(), arm, helpful, ratedIn ?? ThreadOf(rater), default);

    private async Task<ArmMetrics?> ArmAsync(string version) =>
        (await _store.MetricsAsync(Experiment, _time.GetUtcNow(), default)).SingleOrDefault(a => a.Arm == version);

    [Fact]
    public async Task A_candidates_vote_on_their_own_feedback_is_counted_in_its_arm_and_a_changed_vote_replaces_theirs()
    {
        var chat = Chat(_store);

        await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2", helpful: false);
        await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2", helpful: true);
        await RateAsync(chat, Other, "feedback-2", $"{Experiment}/v1", helpful: true);

        var challenger = Assert.IsType<ArmMetrics>(await ArmAsync("v2"));
        Assert.Equal(1, challenger.Votes);
        Assert.Equal(new ShareCount(1, 1), challenger.HelpfulRaters);
        Assert.Equal(1, (await ArmAsync("v1"))!.Votes);
    }

    [Fact]
    public async Task Onlookers_votes_on_a_candidates_feedback_are_kept_as_ratings_and_the_candidates_own_votes_count_once_in_the_arm()
    {
        var chat = Chat(_store);

        await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2", helpful: true);
        await RateAsync(chat, Rater, "feedback-2", $"{Experiment}/v2", helpful: true);
        await RateAsync(chat, Rater, "feedback-3", $"{Experiment}/v2", helpful: false);
        foreach (var onlooker in Enumerable.Range(0, 5).Select(i => $"chat:onlooker-{i}"))
        {
            await RateAsync(chat, onlooker, "feedback-1", $"{Experiment}/v2", helpful: false, ratedIn: ThreadOf(Rater));
        }

        // Another candidate's vote on this candidate's feedback is an onlooker's too.
        await RateAsync(chat, Other, "feedback-1", $"{Experiment}/v2", helpful: false, ratedIn: ThreadOf(Rater));

        var challenger = Assert.IsType<ArmMetrics>(await ArmAsync("v2"));
        Assert.Equal(new ShareCount(1, 1), challenger.HelpfulRaters);
        Assert.Equal(3, challenger.Votes);
        Assert.Equal(new ArmRatings($"{Experiment}/v2", 2, 7), Assert.Single(await _ratings.SummaryAsync(default)));
    }

    [Fact]
    public async Task A_candidates_vote_on_their_feedback_after_the_interview_ended_counts_and_the_same_button_counts_for_nobody_else()
    {
        var chat = Chat(_store);
        var lastFeedback = await FinishedInterviewAsync(Rater);
        var otherFeedback = await FinishedInterviewAsync(Other);
        await _threads.RemoveAsync(Rater, default);
        await _threads.RemoveAsync(Other, default);
        var button = RatingValue(lastFeedback, $"{Experiment}/v2");

        await RateAsync(chat, Rater, "feedback-1", button, helpful: true);
        await RateAsync(chat, Other, "feedback-1", button, helpful: false, ratedIn: ThreadOf(Rater));
        await RateAsync(chat, "chat:onlooker", "feedback-1", button, helpful: false, ratedIn: ThreadOf(Rater));
        await RateAsync(chat, Other, "feedback-2", RatingValue(otherFeedback, $"{Experiment}/v1"), helpful: false);

        var challenger = Assert.IsType<ArmMetrics>(await ArmAsync("v2"));
        Assert.Equal((1, new ShareCount(1, 1)), (challenger.Votes, challenger.HelpfulRaters));
        Assert.Equal(new ShareCount(0, 1), (await ArmAsync("v1"))!.HelpfulRaters);
    }

    [Fact]
    public async Task A_finished_candidates_vote_through_a_button_that_names_no_interview_is_kept_as_a_rating_and_not_counted()
    {
        var chat = Chat(_store);
        await FinishedInterviewAsync(Rater);
        await _threads.RemoveAsync(Rater, default);

        await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2", helpful: true);
        await RateAsync(chat, Rater, "feedback-2", $"{Experiment}/v2|00000000", helpful: true);

        Assert.Null(await ArmAsync("v2"));
        Assert.Equal(2, Assert.Single(await _ratings.SummaryAsync(default)).Helpful);
    }

    [Fact]
    public async Task A_vote_through_a_button_naming_an_interview_whose_history_cannot_be_read_is_kept_as_a_rating_and_not_counted()
    {
        var sessions = new Mock<ISessionStore>();
        sessions.Setup(s => s.HistoryAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("store down"));
        var chat = Chat(_store, sessions: sessions.Object);

        var reply = await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2|1a2b3c4d", helpful: true, ratedIn: "an-ended-interviews-thread");

        Assert.Equal("Thanks! Glad it helped.", reply);
        Assert.Null(await ArmAsync("v2"));
        Assert.Equal(1, Assert.Single(await _ratings.SummaryAsync(default)).Helpful);
    }

    /// <summary>Runs a one-question interview to its scorecard, as the candidate's thread lets it go; returns its last feedback.</summary>
    private async Task<PostFeedback> FinishedInterviewAsync(string candidate)
    {
        var inline = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), _sessions, new RubricJudge(), _time, JudgingMode.Inline);
        await inline.StartAsync(candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 1), seed: 7, default);
        var feedback = new List<PostFeedback>();
        for (var turn = 0; turn < 5 && (await _sessions.FindActiveAsync(candidate, default)) is not null; turn++)
        {
            feedback.AddRange((await inline.HandleAsync(candidate, new AnswerSubmitted("I would scale the logits because their variance grows with the dimension."), default)).OfType<PostFeedback>());
        }

        Assert.Null(await _sessions.FindActiveAsync(candidate, default));
        return feedback[^1];
    }

    /// <summary>What a rating button under <paramref name="feedback"/> carries, as if its judge had served <paramref name="arm"/>.</summary>
    private static string RatingValue(PostFeedback feedback, string arm)
    {
        var rated = feedback with { Feedback = feedback.Feedback with { Source = new FeedbackSource("llm", Experiment: arm.Split('/')[0], Arm: arm.Split('/')[1]) } };
        return ChatButton.For(rated)!.First(b => b.Kind == ChatButtonKind.RateUp).Value;
    }

    [Fact]
    public async Task Two_candidates_feedbacks_rated_by_forty_people_each_leave_the_experiment_without_enough_data_and_stop_no_arm()
    {
        var chat = Chat(_store);
        const string baselineCandidate = "chat:baseline-candidate";
        const string challengerCandidate = "chat:challenger-candidate";
        await _threads.SetAsync(baselineCandidate, ThreadOf(baselineCandidate), default);
        await _threads.SetAsync(challengerCandidate, ThreadOf(challengerCandidate), default);
        await RateAsync(chat, baselineCandidate, "baseline-feedback", $"{Experiment}/v1", helpful: true);
        await RateAsync(chat, challengerCandidate, "challenger-feedback", $"{Experiment}/v2", helpful: true);

        // With each candidate's own vote, 38 of 40 found the baseline's feedback helpful and 10 of 40 the challenger's.
        for (var i = 0; i < 39; i++)
        {
            await RateAsync(chat, $"chat:member-{i}", "baseline-feedback", $"{Experiment}/v1", helpful: i < 37, ratedIn: ThreadOf(baselineCandidate));
            await RateAsync(chat, $"chat:member-{i}", "challenger-feedback", $"{Experiment}/v2", helpful: i < 9, ratedIn: ThreadOf(challengerCandidate));
        }

        var report = (await ExperimentCommandsTests.Reports(_store, _time).ReportAsync(Experiment, default))!;

        var comparison = Assert.Single(report.Comparisons);
        Assert.Equal(ShareDecision.NotEnoughData, comparison.Test.Decision);
        Assert.Equal((1L, 1L), (comparison.Test.A.Total, comparison.Test.B.Total));
        Assert.Empty(report.Breaches);
    }

    [Fact]
    public async Task A_vote_whose_thread_cannot_be_read_is_kept_as_a_rating_and_not_counted_in_the_experiment()
    {
        var threads = new Mock<IInterviewThreads>();
        threads.Setup(t => t.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("store down"));
        var chat = Chat(_store, threads.Object);

        var reply = await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2", helpful: true);

        Assert.Equal("Thanks! Glad it helped.", reply);
        Assert.Null(await ArmAsync("v2"));
        Assert.Equal(1, Assert.Single(await _ratings.SummaryAsync(default)).Helpful);
    }

    [Theory]
    [InlineData("judge-design@v2")]
    [InlineData("offline-rubric")]
    [InlineData("undeclared-experiment/v2")]
    [InlineData(Experiment + "/v7")]
    public async Task A_vote_on_feedback_from_no_declared_experiment_arm_is_rated_but_counted_in_no_experiment(string arm)
    {
        var chat = Chat(_store);

        await RateAsync(chat, Rater, "feedback-1", arm, helpful: true);

        Assert.Empty(await _store.MetricsAsync(Experiment, _time.GetUtcNow(), default));
        Assert.Empty(await _store.MetricsAsync("undeclared-experiment", _time.GetUtcNow(), default));
        Assert.Equal(1, Assert.Single(await _ratings.SummaryAsync(default)).Helpful);
    }

    [Fact]
    public async Task A_rater_who_opted_out_of_experiments_is_not_counted_in_them_while_their_rating_is_kept()
    {
        var chat = Chat(_store);
        await _store.SetOptedOutAsync(Rater, true, default);

        var reply = await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2", helpful: true);

        Assert.Equal("Thanks! Glad it helped.", reply);
        Assert.Null(await ArmAsync("v2"));
        Assert.Equal(1, Assert.Single(await _ratings.SummaryAsync(default)).Helpful);
    }

    [Fact]
    public async Task A_replica_that_keeps_a_copy_of_the_opt_outs_reads_it_instead_of_the_store_for_each_vote()
    {
        var store = new Mock<IExperimentStore>();
        var copy = new ExperimentControlCache();
        var optedOut = new ExperimentControl([], new HashSet<string> { Rater });
        store.Setup(s => s.ControlAsync(It.IsAny<CancellationToken>())).ReturnsAsync(optedOut);
        await copy.RefreshAsync(store.Object, default);
        store.Invocations.Clear();
        var votes = new ExperimentVotes(store.Object, _time, new RecordingLogger<ExperimentVotes>(), ExperimentCommandsTests.Reports(store.Object, _time), copy);

        Assert.False(await votes.RecordAsync(new FeedbackRating(Rater, "feedback-1", $"{Experiment}/v2", Helpful: true), default));
        Assert.True(await votes.RecordAsync(new FeedbackRating(Other, "feedback-1", $"{Experiment}/v2", Helpful: true), default));
        store.Verify(s => s.ControlAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task An_experiment_store_that_fails_never_loses_the_rating()
    {
        var broken = new Mock<IExperimentStore>();
        broken.Setup(s => s.ControlAsync(It.IsAny<CancellationToken>())).ReturnsAsync(ExperimentControl.Empty);
        broken.Setup(s => s.RecordAsync(It.IsAny<ArmVote>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("store down"));
        var chat = Chat(broken.Object);

        var reply = await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2", helpful: false);

        Assert.Equal("Thanks — noted. This helps us improve the feedback.", reply);
        Assert.Equal(new ArmRatings($"{Experiment}/v2", 0, 1), Assert.Single(await _ratings.SummaryAsync(default)));
        broken.Verify(s => s.RecordAsync(It.IsAny<ArmVote>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Forget_me_removes_the_persons_experiment_votes_and_says_so()
    {
        var chat = Chat(_store);
        await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2", helpful: true);
        await RateAsync(chat, Other, "feedback-2", $"{Experiment}/v2", helpful: true);

        var reply = await chat.CommandAsync(new ChatRequest(Rater, "event-1", 1), new ChatCommand.ForgetMe(), new RecordingSurface(), "/mock", default);

        Assert.Contains("1 experiment votes and interview outcomes", reply, StringComparison.Ordinal);
        Assert.Equal(1, (await ArmAsync("v2"))!.Votes);
    }
}
