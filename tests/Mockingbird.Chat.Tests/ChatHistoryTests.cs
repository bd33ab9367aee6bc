using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Progress;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Chat.Tests;

/// <summary><c>/mock history</c>: the requester's own history as a chart shown to them alone, and the summary as the reply.</summary>
public sealed class ChatHistoryTests
{
    private const string Candidate = "chat:candidate";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly Mock<ISessionStore> _store = new();
    private readonly Mock<IProgressChart> _chart = new();
    private readonly RecordingSurface _surface = new();
    private readonly ChatImage _image = new("progress.png", new byte[] { 0x89, 0x50 }, "Your progress", "alt");

    public ChatHistoryTests()
    {
        _chart.Setup(c => c.Render(It.IsAny<ProgressSeries>())).Returns(_image);
    }

    [Fact]
    public async Task History_shows_the_chart_to_the_requester_and_replies_with_the_summary()
    {
        var history = ProgressSummaryTests.History(2.0, 2.5, 3.0);
        _store.Setup(s => s.HistoryAsync(Candidate, It.IsAny<CancellationToken>())).ReturnsAsync(history);

        var reply = await HistoryAsync();

        Assert.Equal(ProgressSummary.Text(history), reply);
        Assert.Equal([_image], _surface.Images);
        _chart.Verify(c => c.Render(It.Is<ProgressSeries>(p => p.Interviews == 3)), Times.Once);
        _store.Verify(s => s.HistoryAsync(It.Is<string>(c => c != Candidate), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task No_history_is_a_text_reply_without_an_image()
    {
        _store.Setup(s => s.HistoryAsync(Candidate, It.IsAny<CancellationToken>())).ReturnsAsync([]);

        var reply = await HistoryAsync();

        Assert.Equal(ProgressSummary.NoHistory, reply);
        Assert.Empty(_surface.Images);
        _chart.Verify(c => c.Render(It.IsAny<ProgressSeries>()), Times.Never);
    }

    [Fact]
    public async Task What_the_platform_says_about_the_image_comes_before_the_summary()
    {
        var history = ProgressSummaryTests.History(2.0);
        _store.Setup(s => s.HistoryAsync(Candidate, It.IsAny<CancellationToken>())).ReturnsAsync(history);
        _surface.ImageNote = "I couldn't upload your progress chart.";

        var reply = await HistoryAsync();

        Assert.Equal("I couldn't upload your progress chart.\n" + ProgressSummary.Text(history), reply);
    }

    [Fact]
    public async Task A_chart_that_cannot_be_drawn_leaves_the_summary_to_say_it_all()
    {
        var history = ProgressSummaryTests.History(2.0);
        _store.Setup(s => s.HistoryAsync(Candidate, It.IsAny<CancellationToken>())).ReturnsAsync(history);
        _chart.Setup(c => c.Render(It.IsAny<ProgressSeries>())).Throws(new InvalidOperationException("no surface"));

        var reply = await HistoryAsync();

        Assert.Equal("I couldn't draw your progress chart this time; here is the summary.\n" + ProgressSummary.Text(history), reply);
        Assert.Empty(_surface.Images);
    }

    private Task<string> HistoryAsync()
    {
        var service = new InterviewService(new Interview.Sessions.InterviewEngine(SampleQuestions.Bank()), _store.Object, new RubricJudge(), _time, JudgingMode.Queued);
        var chat = new ChatInterviews(service, Mock.Of<IInterviewThreads>(), new InMemoryFeedbackRatings(), _time, new RecordingLogger<ChatInterviews>(), progressChart: _chart.Object);
        return chat.CommandAsync(new ChatRequest(Candidate, "e-1", 1), new ChatCommand.History(), _surface, "/mock", default);
    }
}
