using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>A Redis user allowed its keys but not pub/sub, on a server of the test's own so the user changes nothing else.</summary>
public sealed class RedisPermissionsTests : IAsyncLifetime
{
    private const string Answer = "Because the variance grows with dimension, the softmax would saturate and stall learning.";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private RedisServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        Assert.Equal("+OK\r\n", await _server.CommandAsync("ACL", "SETUSER", "app", "on", ">pw", "~*", "+@all", "resetchannels"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_user_without_channel_rights_saves_an_answer_its_sweep_finds_while_listening_fails_rather_than_hangs()
    {
        var (redis, store) = await RedisFixture.OpenStoreAsync($"{_server.Endpoint},user=app,password=pw", new SessionStoreOptions(), _time, _prefix);
        await using var _ = redis;
        var service = new InterviewService(new InterviewEngine(SampleQuestions.Bank()), store, new RubricJudge(), _time, JudgingMode.Queued);
        await service.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 5, default);

        var accepted = await service.HandleAsync("c-1", new AnswerSubmitted(Answer), "evt-answer", default);
        var listening = await Assert.ThrowsAnyAsync<RedisException>(() => TimerWatchingClock.WithoutAdvancingAsync(ListenAsync(store), "listening for announced jobs"));
        var swept = await store.TakeAsync("w1", 10, default);

        Assert.IsType<AcknowledgeAnswer>(Assert.Single(accepted));
        Assert.Equal(SessionPhase.Judging, (await store.FindActiveAsync("c-1", default))!.Session.Phase);
        Assert.Equal((1, "c-1"), (Assert.Single(swept).Job.TurnNumber, swept[0].Job.CandidateId));
        Assert.Contains("NOPERM", listening.Message, StringComparison.Ordinal);
    }

    private static async Task<bool> ListenAsync(IJudgingQueue queue)
    {
        await queue.JobsQueuedAsync(CancellationToken.None);
        return true;
    }
}
