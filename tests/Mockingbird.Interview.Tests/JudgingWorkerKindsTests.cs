using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Interview.Tests;

public sealed class JudgingWorkerKindsTests
{
    private static readonly QueuedJudgement DailyJob = new("1-0", new JudgeJob("discord:g:c", "discord:g:c:2026-12-03", 1, JudgeJobKind.DailyAnswer), 1, "w");

    private readonly Mock<ISessionStore> _store = new(MockBehavior.Strict);
    private readonly Mock<IJudgingQueue> _queue = new();
    private readonly Mock<IAnswerJudge> _judge = new(MockBehavior.Strict);
    private readonly Mock<IInterviewOutput> _output = new(MockBehavior.Strict);

    [Fact]
    public async Task A_job_of_another_kind_goes_to_its_handler_and_never_to_the_interview_sessions()
    {
        var handler = new Mock<IJudgingJobHandler>();
        handler.SetupGet(h => h.Kind).Returns(JudgeJobKind.DailyAnswer);

        await Worker([handler.Object]).ProcessAsync(DailyJob, default);

        handler.Verify(h => h.ProcessAsync(DailyJob, It.IsAny<CancellationToken>()), Times.Once);
        _queue.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_job_no_handler_here_takes_is_failed_back_to_the_queue_for_a_worker_that_has_one()
    {
        await Worker([]).ProcessAsync(DailyJob, default);

        _queue.Verify(q => q.FailAsync(DailyJob, It.Is<string>(reason => reason.Contains("DailyAnswer", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
        _queue.Verify(q => q.CompleteAsync(It.IsAny<QueuedJudgement>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private JudgingWorker Worker(IEnumerable<IJudgingJobHandler> handlers) => new(
        new InterviewEngine(SampleQuestions.Bank()),
        _store.Object,
        _queue.Object,
        _judge.Object,
        _output.Object,
        new FakeTimeProvider(),
        new RecordingLogger<JudgingWorker>(),
        otherKinds: handlers);
}
