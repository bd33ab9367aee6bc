using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>Faults against a real server of the test's own: restarts of the host and of Redis, damaged values.</summary>
public sealed class RedisFaultTests : IAsyncLifetime
{
    private const string Answer = "Because the variance grows with dimension, the softmax would saturate and stall learning.";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly InterviewEngine _engine = new(SampleQuestions.Bank());
    private readonly RecordingOutput _output = new();
    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>One host process: its own multiplexer, store, service and worker.</summary>
    private sealed record Host(ConnectionMultiplexer Redis, RedisSessionStore Store, InterviewService Service, JudgingWorker Worker) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Redis.DisposeAsync();
    }

    private async Task<Host> StartHostAsync()
    {
        var (redis, store) = await RedisFixture.OpenStoreAsync(_server, new SessionStoreOptions(), _time, _prefix);
        var judge = new RubricJudge();
        return new Host(
            redis,
            store,
            new InterviewService(_engine, store, judge, _time, JudgingMode.Queued),
            new JudgingWorker(_engine, store, store, judge, _output, _time, NullLogger<JudgingWorker>.Instance));
    }

    [Fact]
    public async Task After_a_host_restart_the_candidate_resumes_where_they_were()
    {
        await using (var first = await StartHostAsync())
        {
            await first.Service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 5, default);
            await first.Service.HandleAsync("c-1", new AnswerSubmitted(Answer), default);
            await first.Worker.RunOnceAsync("w1", 10, default);
        }

        await using var second = await StartHostAsync();
        var actions = await second.Service.HandleAsync("c-1", new ResumeRequested(), default);

        Assert.Contains("question 2 of 2", Assert.IsType<PostNotice>(actions[0]).Text, StringComparison.Ordinal);
        Assert.Equal(2, Assert.IsType<PostQuestion>(actions[1]).Number);
    }

    [Fact]
    public async Task When_redis_restarts_mid_interview_the_host_reconnects_and_the_accepted_answer_is_judged()
    {
        await using var host = await StartHostAsync();
        await host.Service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 5, default);
        var accepted = await host.Service.HandleAsync("c-1", new AnswerSubmitted(Answer), default);
        Assert.IsType<AcknowledgeAnswer>(Assert.Single(accepted));

        await _server.StopAsync();
        await Assert.ThrowsAnyAsync<RedisException>(() => host.Service.HandleAsync("c-1", new HintRequested(), default));
        await _server.RestartAsync();

        var judged = 0;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    judged = await host.Worker.RunOnceAsync("w1", 10, default);
                }
                catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
                {
                    // Still reconnecting: refused, or timed out waiting in the backlog while no connection was up.
                }

                return judged > 0;
            },
            "the worker reaches the restarted Redis and takes the queued job");

        Assert.Equal(1, judged);
        var feedback = Assert.Single(_output.Feedback);
        Assert.Equal((1, "offline-rubric"), (feedback.TurnNumber, feedback.Feedback.Judge));
        Assert.Equal(2, _output.Delivered.Single().Actions.OfType<PostQuestion>().Single().Number);
    }

    [Theory]
    [InlineData("schema", "0")]
    [InlineData("data", "{\"id\": 42")]
    public async Task A_damaged_or_old_version_session_gets_a_clear_message_and_a_fresh_start_not_a_crash_loop(string field, string value)
    {
        await using var host = await StartHostAsync();
        await host.Service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory), 5, default);
        var key = host.Redis.GetServer(_server.Endpoint).Keys(pattern: $"{{{_prefix}:*:session:c-1").Single();

        // As a writer leaves it: a writer of another version, or a broken one, writes a new version with its value.
        await host.Redis.GetDatabase().HashSetAsync(key, [new HashEntry(field, value), new HashEntry("v", 2)]);

        var reply = await host.Service.HandleAsync("c-1", new AnswerSubmitted(Answer), default);
        var restart = await host.Service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory), 6, default);

        Assert.Contains("could not be read", Assert.IsType<PostNotice>(Assert.Single(reply)).Text, StringComparison.Ordinal);
        Assert.IsType<PostQuestion>(restart[^1]);
    }
}
