using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Experiments;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Experiments;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Chat.Tests.Experiments;

/// <summary>👍/👎 clicks counted per rater in the experiment that wrote the feedback, and forgotten with the rater.</summary>
public sealed class ExperimentVotesTests
{
    private const string Experiment = "judge-2026-12";
    private const string Rater = "chat:rater";
    private const string Other = "chat:other";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFeedbackRatings _ratings = new();
    private readonly InMemoryExperimentStore _store = new();

    private ChatInterviews Chat(IExperimentStore store)
    {
        var options = Options.Create(new SessionStoreOptions());
        var service = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), new InMemorySessionStore(options, _time), new RubricJudge(), _time, JudgingMode.Queued);
        var votes = new ExperimentVotes(store, _time, new RecordingLogger<ExperimentVotes>(), ExperimentCommandsTests.Reports(store, _time));
        return new ChatInterviews(service, new InMemoryInterviewThreads(options, _time), _ratings, _time, new RecordingLogger<ChatInterviews>(), [new ExperimentMemory(store)], experimentVotes: votes);
    }

    private Task<string> RateAsync(ChatInterviews chat, string rater, string feedback, string arm, bool helpful) =>
        chat.RateAsync(rater, feedback, _time.GetUtcNow(), arm, helpful, default);

    private async Task<ArmMetrics?> ArmAsync(string version) =>
        (await _store.MetricsAsync(Experiment, _time.GetUtcNow(), default)).SingleOrDefault(a => a.Arm == version);

    [Fact]
    public async Task Each_raters_vote_on_an_experiments_feedback_is_counted_in_its_arm_and_a_changed_vote_replaces_theirs()
    {
        var chat = Chat(_store);

        await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2", helpful: false);
        await RateAsync(chat, Rater, "feedback-1", $"{Experiment}/v2", helpful: true);
        await RateAsync(chat, Other, "feedback-1", $"{Experiment}/v2", helpful: false);
        await RateAsync(chat, Other, "feedback-2", $"{Experiment}/v1", helpful: true);

        var challenger = Assert.IsType<ArmMetrics>(await ArmAsync("v2"));
        Assert.Equal(2, challenger.Votes);
        Assert.Equal((1L, 2L), (challenger.HelpfulRaters.Successes, challenger.HelpfulRaters.Total));
        Assert.Equal(1, (await ArmAsync("v1"))!.Votes);
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
        await RateAsync(chat, Other, "feedback-1", $"{Experiment}/v2", helpful: true);

        var reply = await chat.CommandAsync(new ChatRequest(Rater, "event-1", 1), new ChatCommand.ForgetMe(), new RecordingSurface(), "/mock", default);

        Assert.Contains("1 experiment votes and interview outcomes", reply, StringComparison.Ordinal);
        Assert.Equal(1, (await ArmAsync("v2"))!.Votes);
    }
}
