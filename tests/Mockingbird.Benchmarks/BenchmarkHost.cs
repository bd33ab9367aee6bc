using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Questions;
using Mockingbird.Sessions.Redis;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Benchmarks;

/// <summary>
/// One host process as the bot composes it (engine, interview service, Redis store, judging workers) with a stub
/// judge, and the simulated candidates it serves. Every figure goes into <see cref="Record"/>, one per phase.
/// </summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    public const string Answer = "I would start from the failure mode because it decides the metric, then compare two designs by cost and latency, and measure the result offline before an A/B test.";

    private readonly ConnectionMultiplexer _redis;
    private readonly InterviewService _service;
    private readonly JudgingWorker _worker;
    private readonly RedisSessionStore _store;
    private readonly BenchmarkOutput _output;

    private BenchmarkHost(int index, ConnectionMultiplexer redis, RedisSessionStore store, TimeSpan judgeLatency, HostBus? bus)
    {
        Index = index;
        _redis = redis;
        _store = store;
        var engine = new InterviewEngine(QuestionBankLoader.Load(RepositoryPaths.QuestionBank));
        var judge = new StubJudge(judgeLatency, () => Record);
        _output = new BenchmarkOutput(index, bus, () => Record);
        _service = new InterviewService(engine, store, judge, TimeProvider.System, JudgingMode.Queued);
        _worker = new JudgingWorker(engine, store, store, judge, _output, TimeProvider.System, NullLogger<JudgingWorker>.Instance);
    }

    public int Index { get; }

    /// <summary>Where this process writes what it sees; replaced between phases so each is read on its own.</summary>
    public HostRecord Record { get; set; } = new();

    public static async Task<BenchmarkHost> StartAsync(MeasuredRedis redis, int index, TimeSpan judgeLatency, HostBus? bus)
    {
        var connection = await redis.ConnectHostAsync();
        var store = new RedisSessionStore(
            connection,
            Options.Create(new SessionStoreOptions()),
            Options.Create(new RedisOptions { Configuration = redis.Configuration }),
            TimeProvider.System,
            NullLogger<RedisSessionStore>.Instance);
        await store.EnsureConsumerGroupsAsync(default);
        var host = new BenchmarkHost(index, connection, store, judgeLatency, bus);
        if (bus is not null)
        {
            await bus.ListenForDeliveriesAsync(index, host._output.Arrived);
        }

        return host;
    }

    /// <summary>This host's share of the run's candidates, named for the host count so each phase starts new interviews.</summary>
    public IEnumerable<string> OwnCandidates(BenchmarkSettings settings) =>
        Enumerable.Range(0, settings.Candidates).Where(n => n % settings.Hosts == Index).Select(n => CandidateName(string.Create(CultureInfo.InvariantCulture, $"cand{settings.Hosts}"), n));

    /// <summary>
    /// A candidate of this host: the name says which host serves it, because a worker in any host process may post
    /// its feedback (during a replica's warm-up too) and must send it where the candidate waits.
    /// </summary>
    public string CandidateName(string phase, int number) => string.Create(CultureInfo.InvariantCulture, $"{phase}-h{Index}-{number:D5}");

    private static int HostOf(string candidate)
    {
        var marker = candidate.IndexOf("-h", StringComparison.Ordinal);
        return marker >= 0 && marker + 2 < candidate.Length && char.IsAsciiDigit(candidate[marker + 2])
            ? candidate[marker + 2] - '0'
            : throw new InvalidOperationException($"Candidate {candidate} does not say which host serves it.");
    }

    public List<Task> StartWorkers(int count, int batch, string name, CancellationToken stop) =>
        [.. Enumerable.Range(0, count).Select(w => RunWorkerAsync(string.Create(CultureInfo.InvariantCulture, $"h{Index}-{name}{w}"), batch, stop))];

    /// <summary>
    /// The judging worker loop, in this one method so the bot's own loop can replace it. The stub judge records the
    /// pickup and its own time whatever loop calls it; only the worker's wall time per job is measured here, around
    /// <see cref="JudgingWorker.ProcessAsync"/>.
    /// </summary>
    public async Task RunWorkerAsync(string name, int batch, CancellationToken stop)
    {
        var idle = 1;
        while (!stop.IsCancellationRequested)
        {
            var jobs = await _store.TakeAsync(name, batch, default);
            await Task.WhenAll(jobs.Select(async job =>
            {
                var started = Stopwatch.GetTimestamp();
                await _worker.ProcessAsync(job, default);
                Record.WorkerMs[job.Job.DeliveryKey] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }));
            if (jobs.Count == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(idle), TimeProvider.System, CancellationToken.None);
                idle = Math.Min(idle * 2, 50);
            }
            else
            {
                idle = 1;
            }
        }
    }

    /// <summary>
    /// One candidate answering every question until the scorecard, waiting for each answer's feedback (posted by a
    /// worker in any process) before the next. <paramref name="turnLimit"/> stops early, leaving the session open;
    /// <paramref name="afterFeedback"/> runs after each feedback but the last.
    /// </summary>
    public async Task<int> RunCandidateAsync(string candidate, int turnLimit = int.MaxValue, Func<Task>? afterFeedback = null)
    {
        await Task.Yield();
        var turns = 0;
        var started = await _service.StartAsync(candidate, new InterviewOptions(InterviewPlan.Full), (ulong)candidate.GetHashCode(StringComparison.Ordinal), default);
        if (afterFeedback is not null)
        {
            await afterFeedback();
        }

        if (!started.OfType<PostQuestion>().Any())
        {
            return 0;
        }

        for (var turn = 1; turn < 50; turn++)
        {
            var delivered = _output.Expect(candidate);
            var requested = Stopwatch.GetTimestamp();
            var actions = await _service.HandleAsync(candidate, new AnswerSubmitted(Answer), $"{candidate}-evt-{turn}", default);
            var queued = Stopwatch.GetTimestamp();
            if (!actions.OfType<AcknowledgeAnswer>().Any())
            {
                throw new InvalidOperationException($"{candidate}: answer {turn} was not accepted: {string.Join(" / ", actions)}");
            }

            turns++;
            var (key, ended) = await delivered;
            Record.RequestMs[key] = Stopwatch.GetElapsedTime(requested, queued).TotalMilliseconds;
            Record.QueuedAt[key] = queued;
            if (ended || turns >= turnLimit)
            {
                return turns;
            }

            if (afterFeedback is not null)
            {
                await afterFeedback();
            }
        }

        throw new InvalidOperationException($"{candidate}: the interview did not end.");
    }

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    /// <summary>Takes a fixed time and returns a fixed judgement, so the benchmark measures everything but the judge.</summary>
    private sealed class StubJudge(TimeSpan latency, Func<HostRecord> record) : IAnswerJudge
    {
        public async Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
        {
            var called = Stopwatch.GetTimestamp();
            var key = request.TurnKey ?? throw new InvalidOperationException("The engine sent a judge request without its turn.");
            record().JudgeCalledAt.TryAdd(key, called);
            await Task.Delay(latency, TimeProvider.System, cancellationToken);
            record().JudgeMs[key] = Stopwatch.GetElapsedTime(called).TotalMilliseconds;
            return new Feedback(request.Question.Id, "stub", "benchmark stub", [new DimensionScore("coverage", 3, [], "stub")], [], [], 3, [], [], "none");
        }
    }

    /// <summary>
    /// The chat platform: records every post, and hands each to the candidate waiting for it, here or, through the
    /// bus, in the host process that serves the candidate.
    /// </summary>
    private sealed class BenchmarkOutput(int index, HostBus? bus, Func<HostRecord> record) : IInterviewOutput
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<(string Key, bool Ended)>> _waiting = new(StringComparer.Ordinal);

        public Task<(string Key, bool Ended)> Expect(string candidate) =>
            _waiting.GetOrAdd(candidate, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public Task DeliverAsync(string candidateId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
        {
            var ended = actions.OfType<PostScorecard>().Any();
            var host = HostOf(candidateId);
            record().Delivered(deliveryKey, forAnotherHost: host != index);
            if (host != index)
            {
                (bus ?? throw new InvalidOperationException($"A delivery for host {host} in a run without a bus.")).Deliver(host, candidateId, deliveryKey, ended);
            }
            else
            {
                Arrived(candidateId, deliveryKey, ended);
            }

            return Task.CompletedTask;
        }

        public void Arrived(string candidate, string deliveryKey, bool ended)
        {
            if (_waiting.TryRemove(candidate, out var waiter))
            {
                waiter.TrySetResult((deliveryKey, ended));
            }
        }
    }
}
