using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.StudyGroups.Tests;

/// <summary>
/// Study groups as a host runs them, in memory: the store, the judging queue, the real rubric judge behind a counter,
/// the judging worker with daily answers as its handler, and as many replicas of the flow and scheduler as a test
/// asks for, all on one fake clock.
/// </summary>
public sealed class StudyGroupWorld : IDisposable
{
    public static readonly StudyChannel Channel = new("test", "space-1", "C0STUDY01");

    private readonly LoggerFactory _loggers;

    public StudyGroupWorld(DateTimeOffset start, StudyGroupOptions? options = null, QuestionBank? bank = null)
    {
        Time = new FakeTimeProvider(start);
        Options = options ?? new StudyGroupOptions();
        Bank = bank ?? SampleQuestions.Bank();
        _loggers = new LoggerFactory([Logs]);
        Queue = new InMemorySessionStore(Microsoft.Extensions.Options.Options.Create(new SessionStoreOptions()), Time);
        Store = new InMemoryStudyGroupStore(Queue, Microsoft.Extensions.Options.Options.Create(Options), Time);
        Judge = new CountingJudge(new RubricJudge());
        Platform = new RecordingStudyPlatform();
        Replica first = NewReplica(Platform);
        Rounds = first.Rounds;
        Scheduler = first.Scheduler;
        Commands = new DailyCommands(Store, Platform, Rounds, Bank, Microsoft.Extensions.Options.Options.Create(Options), Time, _loggers.CreateLogger<DailyCommands>());
        var judging = new DailyAnswerJudging(Store, Queue, Judge, Bank, Rounds, _loggers.CreateLogger<DailyAnswerJudging>());
        Worker = new JudgingWorker(
            new InterviewEngine(Bank),
            Queue,
            Queue,
            Judge,
            new Mock<IInterviewOutput>(MockBehavior.Strict).Object,
            Time,
            _loggers.CreateLogger<JudgingWorker>(),
            otherKinds: [judging]);
    }

    public FakeTimeProvider Time { get; }

    public StudyGroupOptions Options { get; }

    public QuestionBank Bank { get; }

    public RecordingLoggerProvider Logs { get; } = new();

    public InMemorySessionStore Queue { get; }

    public InMemoryStudyGroupStore Store { get; }

    public CountingJudge Judge { get; }

    public RecordingStudyPlatform Platform { get; }

    public DailyRounds Rounds { get; }

    public DailyCommands Commands { get; }

    public DailyScheduler Scheduler { get; }

    public JudgingWorker Worker { get; }

    /// <summary>
    /// Another host running the same study groups against the same store (its own lease owner), or against
    /// <paramref name="store"/> when it reaches that store another way (through an outage, say).
    /// </summary>
    public Replica NewReplica(IStudyGroupPlatform platform, IStudyGroupStore? store = null)
    {
        store ??= Store;
        var rounds = new DailyRounds(store, platform, Bank, Microsoft.Extensions.Options.Options.Create(Options), Time, _loggers.CreateLogger<DailyRounds>());
        return new Replica(rounds, new DailyScheduler(rounds, store, Microsoft.Extensions.Options.Options.Create(Options), Time, _loggers.CreateLogger<DailyScheduler>()));
    }

    public DailySchedule Schedule(string at, string zone, StudyChannel? channel = null, DailyFocus? focus = null, TimeSpan? roundLength = null) =>
        new(channel ?? Channel, TimeOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture), zone, focus ?? DailyFocus.Any, roundLength ?? DailySchedule.DefaultRoundLength, null, "admin", Time.GetUtcNow());

    public async Task<DailySchedule> SetScheduleAsync(string at, string zone, StudyChannel? channel = null, DailyFocus? focus = null, TimeSpan? roundLength = null)
    {
        var schedule = Schedule(at, zone, channel, focus, roundLength);
        await Store.SaveScheduleAsync(schedule, default);
        return schedule;
    }

    /// <summary>Takes and processes every judging job that is due now, until none is left.</summary>
    public async Task<int> JudgeQueuedAsync()
    {
        var total = 0;
        int taken;
        while ((taken = await Worker.RunOnceAsync("worker-1", 10, default)) > 0)
        {
            total += taken;
        }

        return total;
    }

    public static DailyRequest Request(string memberId, IDailyAccess access, StudyChannel? here = null) => new(here ?? Channel, memberId, access);

    public static IDailyAccess Access(bool mayManage = false, bool member = true, string? cannotPost = null)
    {
        var access = new Mock<IDailyAccess>();
        access.Setup(a => a.MayManageAsync(It.IsAny<StudyChannel>(), It.IsAny<CancellationToken>())).ReturnsAsync(mayManage);
        access.Setup(a => a.IsMemberAsync(It.IsAny<StudyChannel>(), It.IsAny<CancellationToken>())).ReturnsAsync(member);
        access.Setup(a => a.CannotPostInAsync(It.IsAny<StudyChannel>(), It.IsAny<CancellationToken>())).ReturnsAsync(cannotPost);
        return access.Object;
    }

    /// <summary>Sets a 09:00 Berlin schedule, moves past its slot and ticks: the day's round, open.</summary>
    public async Task<DailyRound> OpenRoundAsync()
    {
        await SetScheduleAsync("09:00", "Europe/Berlin");
        Time.Advance(TimeSpan.FromHours(1));
        await Scheduler.TickAsync(default);
        var round = Assert.Single(await Store.UnfinishedRoundsAsync(default));
        Assert.Equal(RoundState.Open, round.State);
        return round;
    }

    /// <summary>A member's answer through the form; what they typed is handed back as «text».</summary>
    public Task<string> AnswerAsync(DailyRound round, string member, string text, IDailyAccess access) =>
        Rounds.AnswerAsync(Request(member, access), round.Id, text, answer => $"«{answer}»", default);

    /// <summary>Moves past the deadline and ticks, which closes the round.</summary>
    public async Task PastDeadlineAsync(DailyRound round)
    {
        Time.Advance(round.Deadline - Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        await Scheduler.TickAsync(default);
    }

    public void Dispose() => _loggers.Dispose();

    public sealed record Replica(DailyRounds Rounds, DailyScheduler Scheduler);
}

/// <summary>The real judge, counting what it is asked to judge, and failing for members a test names.</summary>
public sealed class CountingJudge(IAnswerJudge inner) : IAnswerJudge
{
    private readonly Lock _gate = new();
    private readonly List<string> _judged = [];

    /// <summary>Answers of these members throw, as a judge that is down would.</summary>
    public HashSet<string> FailFor { get; } = new(StringComparer.Ordinal);

    /// <summary>What a failing judge throws: by default a timeout of its own; an HTTP timeout comes as a cancellation.</summary>
    public Func<Exception> Failure { get; set; } = () => new TimeoutException("judge down");

    /// <summary>Runs while a member's answer is being judged, before the verdict is returned.</summary>
    public Func<string, Task>? WhileJudging { get; set; }

    /// <summary>Whose answers were judged, once per call.</summary>
    public IReadOnlyList<string> Judged
    {
        get
        {
            lock (_gate)
            {
                return [.. _judged];
            }
        }
    }

    public Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            _judged.Add(request.CandidateId ?? "?");
        }

        return FailFor.Contains(request.CandidateId ?? string.Empty) ? Task.FromException<Feedback>(Failure()) : JudgedAsync(request, cancellationToken);
    }

    private async Task<Feedback> JudgedAsync(JudgeRequest request, CancellationToken cancellationToken)
    {
        var feedback = await inner.JudgeAsync(request, cancellationToken);
        if (WhileJudging is { } during)
        {
            await during(request.CandidateId ?? "?");
        }

        return feedback;
    }
}
