using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Moq;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>
/// Two bot replicas on one real redis-server, each with its own connection, its own memory of the sessions it wrote
/// and its own knowledge of whose threads are whose: nothing one replica knows may outlive what the other changes.
/// </summary>
[Collection(nameof(RedisCollection))]
public sealed class RedisKnownThreadsTests(RedisFixture fixture) : IAsyncLifetime
{
    private const string Candidate = "known:candidate";

    private const string Answer =
        "The softmax saturates because the dot product's variance grows with the key dimension, so scaling keeps gradients alive.";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly List<ConnectionMultiplexer> _connections = [];
    private RedisSessionStore _store = null!;
    private Replica _first = null!;
    private Replica _second = null!;
    private int _events;

    public async Task InitializeAsync()
    {
        _first = await ReplicaAsync();
        _second = await ReplicaAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_message_in_the_thread_of_an_interview_another_replica_replaced_is_not_an_answer_and_the_new_thread_takes_answers()
    {
        await StartAsync(_first, "thread-1");
        await _second.Chat.CommandAsync(Request(), new ChatCommand.EndInterview(), _second.Surface.Object, "/mock", default);
        _time.Advance(TimeSpan.FromMinutes(1));
        await StartAsync(_second, "thread-2");

        var inOldThread = await _first.Chat.ReceiveMessageAsync(Request(), "thread-1", Answer, onlyFiles: false, deadline: null, default);
        var untouched = (await _store.FindActiveAsync(Candidate, default))!.Session;
        var inNewThread = await _first.Chat.ReceiveMessageAsync(Request(), "thread-2", Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.NotAnAnswer, inOldThread.Outcome);
        Assert.Empty(untouched.Turns);
        Assert.Equal(ThreadMessageOutcome.Recorded, inNewThread.Outcome);
        Assert.Equal(SessionPhase.Judging, (await _store.FindActiveAsync(Candidate, default))!.Session.Phase);
    }

    [Fact]
    public async Task An_answer_through_a_replica_that_knows_the_thread_is_taken_while_another_replica_changed_the_interview_meanwhile()
    {
        await StartAsync(_first, "thread-1");
        var hint = await _second.Chat.CommandAsync(Request(), new ChatCommand.Hint(), _second.Surface.Object, "/mock", default);
        Assert.DoesNotContain("no interview", hint, StringComparison.Ordinal);

        var received = await _first.Chat.ReceiveMessageAsync(Request(), "thread-1", Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.Recorded, received.Outcome);
        var session = (await _store.FindActiveAsync(Candidate, default))!.Session;
        Assert.Equal(SessionPhase.Judging, session.Phase);
        Assert.Equal(1, session.HintsGiven);
        _first.Threads.Verify(t => t.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task After_an_interview_resumes_in_a_new_thread_through_another_replica_its_old_thread_takes_no_answer_where_it_was_known()
    {
        await StartAsync(_first, "thread-1");
        Assert.Equal(Candidate, _first.Known.CandidateOf("thread-1"));

        // The platform said the thread was gone (on Slack, perhaps only until the bot is invited back), and the
        // candidate resumed through the other replica. Nothing tells the first replica: the session does.
        Assert.True(await _second.Threads.Object.RemoveIfCurrentAsync(Candidate, "thread-1", default));
        _second.Surface.Setup(s => s.OpenThreadAsync(It.IsAny<InterviewPlan?>(), It.IsAny<CancellationToken>())).ReturnsAsync("thread-2");
        Assert.Contains("continues in <thread-2>", await _second.Chat.CommandAsync(Request(), new ChatCommand.ResumeInterview(), _second.Surface.Object, "/mock", default), StringComparison.Ordinal);

        var inOldThread = await _first.Chat.ReceiveMessageAsync(Request(), "thread-1", Answer, onlyFiles: false, deadline: null, default);
        var inNewThread = await _first.Chat.ReceiveMessageAsync(Request(), "thread-2", Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.NotAnAnswer, inOldThread.Outcome);
        Assert.Equal(ThreadMessageOutcome.Recorded, inNewThread.Outcome);
        Assert.Equal("thread-2", (await _store.FindActiveAsync(Candidate, default))!.Session.Place);
    }

    [Fact]
    public async Task A_replica_that_never_saw_the_thread_asks_whose_it_is_once_and_then_takes_answers_there_without_asking()
    {
        await StartAsync(_first, "thread-1");

        var first = await _second.Chat.ReceiveMessageAsync(Request(), "thread-1", Answer, onlyFiles: false, deadline: null, default);
        var second = await _second.Chat.ReceiveMessageAsync(Request(), "thread-1", Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.Recorded, first.Outcome);
        Assert.Equal(ThreadMessageOutcome.Recorded, second.Outcome);
        _second.Threads.Verify(t => t.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Once_a_candidate_is_forgotten_through_one_replica_the_other_takes_nothing_in_their_old_thread()
    {
        await StartAsync(_first, "thread-1");

        Assert.Contains("Deleted", await _second.Chat.CommandAsync(Request(), new ChatCommand.ForgetMe(), _second.Surface.Object, "/mock", default), StringComparison.Ordinal);
        var received = await _first.Chat.ReceiveMessageAsync(Request(), "thread-1", Answer, onlyFiles: false, deadline: null, default);

        Assert.Equal(ThreadMessageOutcome.NotAnAnswer, received.Outcome);
        Assert.Null(await _store.FindActiveAsync(Candidate, default));
    }

    private async Task StartAsync(Replica replica, string thread)
    {
        replica.Surface.Setup(s => s.OpenThreadAsync(It.IsAny<InterviewPlan?>(), It.IsAny<CancellationToken>())).ReturnsAsync(thread);
        var reply = await replica.Chat.CommandAsync(Request(), new ChatCommand.Start(new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2)), replica.Surface.Object, "/mock", default);
        Assert.Contains($"ready in <{thread}>", reply, StringComparison.Ordinal);
    }

    private ChatRequest Request()
    {
        var number = ++_events;
        return new ChatRequest(Candidate, $"event-{number}", (ulong)number);
    }

    private async Task<Replica> ReplicaAsync()
    {
        var options = new SessionStoreOptions();
        var (redis, store) = await RedisFixture.OpenStoreAsync(fixture.Server, options, _time, _prefix);
        _connections.Add(redis);
        _store = store;
        var known = InterviewThreadCache.ForRetention(_time, options.ThreadRetention);
        var stored = new RedisInterviewThreads(redis, Options.Create(options), Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix, Shards = 4 }), _time);

        // The real store, with its lookups counted.
        var threads = new Mock<IInterviewThreads>();
        threads.Setup(t => t.SetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns<string, string, CancellationToken>(stored.SetAsync);
        threads.Setup(t => t.SetIfAbsentAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns<string, string, CancellationToken>(stored.SetIfAbsentAsync);
        threads.Setup(t => t.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns<string, CancellationToken>(stored.FindAsync);
        threads.Setup(t => t.RemoveIfCurrentAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns<string, string, CancellationToken>(stored.RemoveIfCurrentAsync);
        threads.Setup(t => t.RemoveAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns<string, CancellationToken>(stored.RemoveAsync);
        var service = new InterviewService(new InterviewEngine(RedisFixture.Bank), store, new RubricJudge(), _time, JudgingMode.Queued);
        var chat = new ChatInterviews(service, threads.Object, new InMemoryFeedbackRatings(), _time, NullLogger<ChatInterviews>.Instance, knownThreads: known);
        var surface = new Mock<IChatSurface>();
        surface.Setup(s => s.Link(It.IsAny<string>())).Returns<string>(thread => $"<{thread}>");
        surface.Setup(s => s.Render(It.IsAny<IReadOnlyList<InterviewAction>>())).Returns("rendered");
        return new Replica(chat, surface, threads, known);
    }

    private sealed record Replica(ChatInterviews Chat, Mock<IChatSurface> Surface, Mock<IInterviewThreads> Threads, InterviewThreadCache Known);
}
