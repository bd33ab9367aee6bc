using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Host.Cli;
using Mockingbird.Host.Judging;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Host.Tests;

public sealed class JudgingWorkerServiceTests
{
    private static readonly TimeSpan Sweep = TimeSpan.FromMilliseconds(20);

    // The workers sweep the queue on this clock; a test moves it on while it waits for them.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private ServiceProvider Services(RecordingOutput output, Action<IServiceCollection>? replace = null)
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
            ["Judging:Sweep"] = Sweep.ToString("c", CultureInfo.InvariantCulture),
        }).Build();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInterviewCore(configuration);
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IInterviewOutput>(output);
        services.AddJudgingWorkers();
        replace?.Invoke(services);
        services.AddSingleton(sp => new InterviewService(
            sp.GetRequiredService<InterviewEngine>(), sp.GetRequiredService<ISessionStore>(), sp.GetRequiredService<Interview.Judging.IAnswerJudge>(), _time, JudgingMode.Queued));
        return services.BuildServiceProvider();
    }

    private Task WaitForFeedbackAsync(RecordingOutput output) =>
        Poll.UntilAsync(() => output.Feedback.Any(), "the workers post the feedback", between: () => _time.Advance(Sweep));

    [Fact]
    public async Task The_hosted_workers_judge_a_queued_answer_and_post_its_feedback()
    {
        var output = new RecordingOutput();
        await using var services = Services(output);
        var worker = services.GetServices<IHostedService>().OfType<JudgingWorkerService>().Single();
        await worker.StartAsync(default);
        var interview = services.GetRequiredService<InterviewService>();
        await interview.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 3, default);

        await interview.HandleAsync("c-1", new AnswerSubmitted("Because the variance grows, the softmax saturates and the gradients vanish."), default);
        await WaitForFeedbackAsync(output);
        await worker.StopAsync(default);

        Assert.Single(output.Feedback);
    }

    [Fact]
    public async Task Stopping_the_hosted_workers_lets_the_answer_being_judged_finish_and_posts_its_feedback()
    {
        var output = new RecordingOutput();
        var judged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var judging = 0;
        var judge = new Mock<IAnswerJudge>();
        judge.Setup(j => j.JudgeAsync(It.IsAny<JudgeRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (JudgeRequest r, CancellationToken ct) =>
            {
                Interlocked.Increment(ref judging);
                await judged.Task.WaitAsync(ct);
                return Mockingbird.Judging.Rubric.RubricJudge.Judge(r);
            });
        await using var services = Services(output, s => s.AddSingleton(judge.Object));
        var worker = services.GetServices<IHostedService>().OfType<JudgingWorkerService>().Single();
        await worker.StartAsync(default);
        var interview = services.GetRequiredService<InterviewService>();
        await interview.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 3, default);
        await interview.HandleAsync("c-1", new AnswerSubmitted("Because the variance grows, the softmax saturates and the gradients vanish."), default);
        await Poll.UntilAsync(() => Volatile.Read(ref judging) == 1, "the answer is being judged", between: () => _time.Advance(Sweep));

        var stopping = worker.StopAsync(default);
        judged.SetResult();
        await Poll.EndsAsync(stopping, "the stopping host");

        Assert.Single(output.Feedback);
    }

    [Fact]
    public async Task A_failed_take_is_survived_and_a_later_take_judges()
    {
        var output = new RecordingOutput();
        var failOnce = 1;
        await using var services = Services(output, s => s.AddSingleton<IJudgingQueue>(sp =>
        {
            var real = sp.GetRequiredService<InMemorySessionStore>();
            var queue = new Mock<IJudgingQueue>();
            queue.Setup(q => q.TakeAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
                .Returns((string w, int max, CancellationToken ct) => Interlocked.Decrement(ref failOnce) >= 0
                    ? throw new IOException("connection reset")
                    : real.TakeAsync(w, max, ct));
            queue.Setup(q => q.CompleteAsync(It.IsAny<QueuedJudgement>(), It.IsAny<CancellationToken>()))
                .Returns((QueuedJudgement j, CancellationToken ct) => real.CompleteAsync(j, ct));
            queue.Setup(q => q.JobsQueuedAsync(It.IsAny<CancellationToken>())).Returns((CancellationToken ct) => real.JobsQueuedAsync(ct));
            queue.Setup(q => q.TakeQueuedAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
                .Returns((string w, int max, CancellationToken ct) => Interlocked.Decrement(ref failOnce) >= 0
                    ? throw new IOException("connection reset")
                    : real.TakeQueuedAsync(w, max, ct));
            return queue.Object;
        }));
        var interview = services.GetRequiredService<InterviewService>();
        await interview.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 3, default);
        await interview.HandleAsync("c-1", new AnswerSubmitted("Because the variance grows, the softmax saturates and the gradients vanish."), default);
        var worker = services.GetServices<IHostedService>().OfType<JudgingWorkerService>().Single();

        await worker.StartAsync(default);
        await WaitForFeedbackAsync(output);
        await worker.StopAsync(default);

        Assert.True(failOnce < 0);
        Assert.Single(output.Feedback);
    }
}
