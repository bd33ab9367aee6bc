using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mockingbird.Chat;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Rubric;
using Mockingbird.Questions;
using Mockingbird.Sessions.Redis;
using Mockingbird.Testing;
using StackExchange.Redis;

namespace Mockingbird.Benchmarks;

/// <summary>
/// One host process as the bot composes it (engine, interview service, Redis store, judging workers, and the chat
/// layer's interview threads) with a stub judge, and the simulated candidates it serves. An answer is a message in the
/// candidate's thread, taken as the chat bots take one (<see cref="ChatInterviews.ReceiveMessageAsync(ChatRequest, string, string, bool, TimeSpan?, CancellationToken)"/>),
/// and feedback is posted as they post it (<see cref="ChatThreadOutput{TPart}"/>), so the threads' own Redis commands
/// count. Every figure goes into <see cref="Record"/>, one per phase.
/// </summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    public const string Answer = "I would start from the failure mode because it decides the metric, then compare two designs by cost and latency, and measure the result offline before an A/B test.";

    private readonly ConnectionMultiplexer _redis;
    private readonly RoundTrips? _roundTrips;
    private readonly InterviewService _service;
    private readonly ChatInterviews _chat;
    private readonly IInterviewThreads _threads;
    private readonly InterviewThreadCache _known;
    private readonly JudgingWorker _worker;
    private readonly RedisSessionStore _store;
    private readonly BenchmarkOutput _output;
    private ProcessWork _phaseStart;
    private long _decodedAtStart;

    private BenchmarkHost(int index, ConnectionMultiplexer redis, RedisSessionStore store, IInterviewThreads threads, InterviewThreadCache known, TimeSpan judgeLatency, HostBus? bus, bool countCommands)
    {
        Index = index;
        _redis = redis;
        _roundTrips = countCommands ? new RoundTrips(redis) : null;
        _store = store;
        var engine = new InterviewEngine(Bank);
        var judge = new StubJudge(judgeLatency, () => Record);
        _threads = threads;
        _known = known;
        _output = new BenchmarkOutput(index, threads, _known, bus, () => Record, new CountingLogger(() => Record));
        _service = new InterviewService(engine, store, judge, TimeProvider.System, JudgingMode.Queued);
        _chat = new ChatInterviews(_service, threads, new InMemoryFeedbackRatings(), TimeProvider.System, new ChatFailures(), knownThreads: _known);
        _worker = new JudgingWorker(engine, store, new TimedQueue(store, () => Record), judge, _output, TimeProvider.System, new CountingLogger(() => Record));
    }

    public int Index { get; }

    /// <summary>The repository's bank, loaded once for the engine and the store as a host has it.</summary>
    private static QuestionBank Bank { get; } = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);

    /// <summary>Where this process writes what it sees; replaced between phases so each is read on its own.</summary>
    public HostRecord Record { get; set; } = new();

    /// <summary>
    /// Connects a host to <paramref name="redis"/>. Without <paramref name="countCommands"/> no command is profiled:
    /// the profiler holds each command, with its arguments, until it is next drained, which a host measured for its
    /// memory alone must not count as its own.
    /// </summary>
    public static async Task<BenchmarkHost> StartAsync(MeasuredRedis redis, int index, TimeSpan judgeLatency, HostBus? bus, bool countCommands = true)
    {
        var connection = await redis.ConnectHostAsync();
        var options = Options.Create(new SessionStoreOptions());
        var redisOptions = Options.Create(new RedisOptions { Configuration = redis.Configuration });
        var store = new RedisSessionStore(connection, options, redisOptions, TimeProvider.System, NullLogger<RedisSessionStore>.Instance, Bank);
        await store.EnsureConsumerGroupsAsync(default);
        var known = InterviewThreadCache.ForRetention(TimeProvider.System, options.Value.ThreadRetention);
        var threads = new CountedThreads(new RedisInterviewThreads(connection, options, redisOptions, TimeProvider.System));
        var host = new BenchmarkHost(index, connection, store, threads, known, judgeLatency, bus, countCommands);
        if (bus is not null)
        {
            await bus.ListenForDeliveriesAsync(index, host._output.Arrived);
        }

        return host;
    }

    /// <summary>Starts a new record for a phase, forgetting the commands counted before it.</summary>
    public void BeginPhase()
    {
        Record = new HostRecord();
        _roundTrips?.TakeCounts();
        _phaseStart = ProcessWork.Now();
        _decodedAtStart = _store.SessionsDecoded;
    }

    /// <summary>
    /// Puts into the record the commands counted since <see cref="BeginPhase"/>, and the CPU time, garbage collection
    /// and allocation of the whole process meanwhile (its simulated candidates' included), and its peak memory so far.
    /// </summary>
    public void EndPhase()
    {
        Record.Commands = _roundTrips?.TakeCounts() ?? [];
        var work = ProcessWork.Now() - _phaseStart;
        Record.CpuMs = work.Cpu.TotalMilliseconds;
        Record.CollectionPausedMs = work.Paused.TotalMilliseconds;
        Record.Collections = work.Collections;
        Record.AllocatedBytes = work.Allocated;
        Record.PeakRssBytes = HostRecord.ReadPeakRssBytes();
        Record.SessionsDecoded = _store.SessionsDecoded - _decodedAtStart;
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

    /// <summary>
    /// The bot's judging worker loop (<see cref="JudgingWorker.RunAsync(string, int, TimeSpan, TimeSpan, CancellationToken)"/>),
    /// with the bot's default sweep and drain: it waits for the queue's announcements, takes as many jobs as it has
    /// free places, sweeps every second, and when stopped finishes the jobs it holds (which may be another host
    /// process's candidates', waiting for their feedback).
    /// </summary>
    public async Task RunWorkerAsync(string name, int inFlight, CancellationToken stop)
    {
        RoundTrips.Enter(RedisPath.Worker);
        await _worker.RunAsync(string.Create(CultureInfo.InvariantCulture, $"h{Index}-{name}"), inFlight, BenchmarkSettings.Sweep, BenchmarkSettings.DrainOnStop, stop);
    }

    /// <summary>
    /// One candidate answering every question until the scorecard, waiting for each answer's feedback (posted by a
    /// worker in any process) before the next. A request that fails is sent again with the same event id, as a
    /// platform redelivers an event it got no answer for; a turn whose feedback does not come by
    /// <see cref="BenchmarkSettings.FeedbackDeadline"/> ends the interview and is classified by what the session holds.
    /// <paramref name="turnLimit"/> stops early, leaving the session open; <paramref name="afterFeedback"/> runs after
    /// each feedback but the last, with its delivery key (none after the start).
    /// </summary>
    public async Task<int> RunCandidateAsync(string candidate, int turnLimit = int.MaxValue, Func<string?, Task>? afterFeedback = null)
    {
        await Task.Yield();
        var turns = 0;
        var seed = (ulong)candidate.GetHashCode(StringComparison.Ordinal);
        var (started, _, startRetried) = await WithRetriesAsync(() => _service.StartAsync(candidate, new InterviewOptions(InterviewPlan.Full), seed, eventId: null, _ => Task.FromResult(ThreadOf(candidate)), default));
        if (started is null || !started.OfType<PostQuestion>().Any())
        {
            if (startRetried)
            {
                Record.GaveUp[$"{candidate}:start"] = "start not accepted after retries";
            }

            return 0;
        }

        // The chat bots open the interview's thread as the start is decided (the session is saved with it), then keep
        // it as the candidate's and learn whose it is.
        var (threadKept, _, _) = await WithRetriesAsync(async () =>
        {
            await _threads.SetAsync(candidate, ThreadOf(candidate), default);
            return started;
        });
        if (threadKept is null)
        {
            Record.GaveUp[$"{candidate}:start"] = "thread not kept after retries";
            return 0;
        }

        _known.Learn(candidate, ThreadOf(candidate));

        if (afterFeedback is not null)
        {
            await afterFeedback(null);
        }

        for (var turn = 1; turn < 50; turn++)
        {
            var delivered = _output.Expect(candidate);
            var firstAttempt = Stopwatch.GetTimestamp();
            var runtimeBefore = RuntimeWork.Now();
            var (actions, requested, retried) = await WithRetriesAsync(() => AnswerAsync(candidate, turn));
            var queued = Stopwatch.GetTimestamp();
            var runtimeDuring = RuntimeWork.Now() - runtimeBefore;

            // Empty after a retry: the failed attempt was applied after all, and the event id kept it from applying twice.
            if (actions is null || !(actions.OfType<AcknowledgeAnswer>().Any() || (retried && actions.Count == 0)))
            {
                _output.StopExpecting(candidate);
                Record.GaveUp[Turn(candidate, turn)] = actions is null ? "never accepted" : $"refused: {string.Join(" / ", actions.Select(a => a.GetType().Name))}";
                return turns;
            }

            Record.AnswerAccepted();
            turns++;
            (string Key, bool Ended) feedback;
            try
            {
                feedback = await delivered.WaitAsync(BenchmarkSettings.FeedbackDeadline, TimeProvider.System);
            }
            catch (TimeoutException)
            {
                _output.StopExpecting(candidate);
                await GiveUpAsync(candidate, turn);
                return turns;
            }

            Record.RequestMs[feedback.Key] = Stopwatch.GetElapsedTime(requested, queued).TotalMilliseconds;
            Record.RuntimeDuringRequest[feedback.Key] = runtimeDuring;
            Record.AcceptMs[feedback.Key] = Stopwatch.GetElapsedTime(firstAttempt, queued).TotalMilliseconds;
            Record.QueuedAt[feedback.Key] = queued;
            Record.FeedbackMs[feedback.Key] = Stopwatch.GetElapsedTime(queued).TotalMilliseconds;
            if (feedback.Ended || turns >= turnLimit)
            {
                return turns;
            }

            if (afterFeedback is not null)
            {
                await afterFeedback(feedback.Key);
            }
        }

        throw new InvalidOperationException($"{candidate}: the interview did not end.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_roundTrips is not null)
        {
            await _roundTrips.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    private static string Turn(string candidate, int turn) => string.Create(CultureInfo.InvariantCulture, $"{candidate}:{turn}");

    /// <summary>
    /// The answer as a message in the candidate's thread. One not recorded is sent again with the same event id, as
    /// the platforms redeliver an event the bot did not acknowledge.
    /// </summary>
    private async Task<IReadOnlyList<InterviewAction>> AnswerAsync(string candidate, int turn)
    {
        RoundTrips.Enter(RedisPath.Request);
        var failure = ChatFailures.Watch();
        var request = new ChatRequest(candidate, $"{candidate}-evt-{turn}", Seed: 0);
        var message = await _chat.ReceiveMessageAsync(request, ThreadOf(candidate), Answer, onlyFiles: false, deadline: null, default);
        return message.Outcome switch
        {
            ThreadMessageOutcome.Recorded => message.Actions,

            // What the platforms' redelivery is for: the store failed or timed out. Anything else is a bug to see.
            ThreadMessageOutcome.NotRecorded or ThreadMessageOutcome.NotChecked when failure.Value is { } error && IsRetried(error) => throw new AnswerNotRecordedException(error),
            _ => throw new InvalidDataException($"{candidate}'s answer came to {message.Outcome} ({failure.Value ?? "nothing logged"})."),
        };
    }

    private static bool IsRetried(string errorType) =>
        errorType.StartsWith("Redis", StringComparison.Ordinal) || errorType is nameof(TimeoutException) or nameof(InvalidOperationException);

    private static string ThreadOf(string candidate) => $"thread-{candidate}";

    private static string CandidateOf(string thread) => thread["thread-".Length..];

    /// <summary>Sends a request until it returns or the deadline passes; returns null then. Also when its last attempt started and whether it was retried.</summary>
    private async Task<(T? Result, long LastAttempt, bool Retried)> WithRetriesAsync<T>(Func<Task<T>> request)
        where T : class
    {
        var first = Stopwatch.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(100);
        for (var attempt = 0; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                return (await request(), started, attempt > 0);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException or AnswerNotRecordedException)
            {
                Record.RequestFailed(ex is AnswerNotRecordedException notRecorded ? notRecorded.Cause : ex.GetType().Name);
                if (Stopwatch.GetElapsedTime(first) > BenchmarkSettings.FeedbackDeadline)
                {
                    return (null, started, true);
                }

                await Task.Delay(pause, TimeProvider.System, CancellationToken.None);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 1000));
            }
        }
    }

    /// <summary>What became of an accepted answer whose feedback never came, as the session shows it now.</summary>
    private async Task GiveUpAsync(string candidate, int turn)
    {
        var (current, _, _) = await WithRetriesAsync(async () => new[] { await _store.FindActiveAsync(candidate, default) });
        var session = current?[0]?.Session;
        if (session is not null && session.Turns.Count >= turn)
        {
            Record.GaveUpKeys[$"{session.Id}:{turn}"] = 0;
        }

        Record.GaveUp[Turn(candidate, turn)] = session is null ? "lost: no session"
            : session.Turns.Count < turn ? "lost: the answer is not in the session"
            : session.PendingTurn?.Number == turn ? "in the session, never judged"
            : "judged, feedback never posted";
    }

    /// <summary>
    /// Takes a fixed time and returns what the bot's default judge, the offline rubric judge, says of the answer, so
    /// the sessions and posts carry the missed points and drills that real ones do. The benchmark's answer is the same
    /// every turn, so each judgement is worked out once per question and kept: the judge's own work stays out of the
    /// figures, as its latency does.
    /// </summary>
    private sealed class StubJudge(TimeSpan latency, Func<HostRecord> record) : IAnswerJudge
    {
        private readonly ConcurrentDictionary<string, Feedback> _judgements = new(StringComparer.Ordinal);

        public async Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
        {
            var called = Stopwatch.GetTimestamp();
            var key = request.TurnKey ?? throw new InvalidOperationException("The engine sent a judge request without its turn.");
            record().JudgeCalledAt.TryAdd(key, called);
            await Task.Delay(latency, TimeProvider.System, cancellationToken);
            record().JudgeReturnedAt.TryAdd(key, Stopwatch.GetTimestamp());
            record().RuntimeAtJudgeReturned.TryAdd(key, RuntimeWork.Now());
            var same = string.Join('\u001f', [request.Question.Id, request.FollowUp ?? string.Empty, request.Answer, .. request.AlreadyCovered ?? []]);
            return _judgements.GetOrAdd(same, _ => RubricJudge.Judge(request));
        }
    }

    /// <summary>
    /// The chat platform: records every post, and hands each to the candidate waiting for it, here or, through the
    /// bus, in the host process that serves the candidate.
    /// </summary>
    private sealed class BenchmarkOutput(int index, IInterviewThreads threads, InterviewThreadCache known, HostBus? bus, Func<HostRecord> record, ILogger logger)
        : ChatThreadOutput<IReadOnlyList<InterviewAction>>(threads, logger, known)
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<(string Key, bool Ended)>> _waiting = new(StringComparer.Ordinal);

        public Task<(string Key, bool Ended)> Expect(string candidate) =>
            _waiting.GetOrAdd(candidate, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        protected override IReadOnlyList<IReadOnlyList<InterviewAction>> Render(IReadOnlyList<InterviewAction> actions, string deliveryKey) => [actions];

        protected override IReadOnlyList<IReadOnlyList<InterviewAction>> RenderAnswerEcho(string answer, string deliveryKey) => [];

        protected override string? ThreadGoneReason(Exception failure) => null;

        protected override Task PostPartAsync(string thread, IReadOnlyList<InterviewAction> part, string partKey, CancellationToken cancellationToken)
        {
            var candidateId = CandidateOf(thread);
            var actions = part;
            var deliveryKey = partKey[..partKey.LastIndexOf('#')];
            record().DeliverCalledAt.TryAdd(deliveryKey, Stopwatch.GetTimestamp());
            record().RuntimeAtDeliverCalled.TryAdd(deliveryKey, RuntimeWork.Now());
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

        public void StopExpecting(string candidate) => _waiting.TryRemove(candidate, out _);

        public void Arrived(string candidate, string deliveryKey, bool ended)
        {
            if (_waiting.TryRemove(candidate, out var waiter))
            {
                waiter.TrySetResult((deliveryKey, ended));
            }
        }
    }

    /// <summary>The queue as the worker sees it, noting when each job was taken and how long completing it took.</summary>
    private sealed class TimedQueue(RedisSessionStore store, Func<HostRecord> record) : IJudgingQueue
    {
        private readonly IJudgingQueue _queue = store;

        public async Task<IReadOnlyList<QueuedJudgement>> TakeAsync(string worker, int max, CancellationToken cancellationToken)
        {
            RoundTrips.Enter(RedisPath.Sweep);
            return Taken(await _queue.TakeAsync(worker, max, cancellationToken), max);
        }

        public Task JobsQueuedAsync(CancellationToken cancellationToken) => _queue.JobsQueuedAsync(cancellationToken);

        public async Task<IReadOnlyList<QueuedJudgement>> TakeQueuedAsync(string worker, int max, CancellationToken cancellationToken)
        {
            RoundTrips.Enter(RedisPath.Take);
            return Taken(await _queue.TakeQueuedAsync(worker, max, cancellationToken), max);
        }

        public async Task CompleteAsync(QueuedJudgement judgement, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            await _queue.CompleteAsync(judgement, cancellationToken);
            record().CompleteMs.TryAdd(judgement.Job.DeliveryKey, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        /// <summary>Forwarded, not left to the interface's default, which would complete at once and cost a round trip.</summary>
        public async Task CompleteLaterAsync(QueuedJudgement judgement, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            await _queue.CompleteLaterAsync(judgement, cancellationToken);
            record().CompleteMs.TryAdd(judgement.Job.DeliveryKey, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        public Task FlushCompletionsAsync(CancellationToken cancellationToken) => _queue.FlushCompletionsAsync(cancellationToken);

        public Task<int> ReleaseAsync(IReadOnlyList<QueuedJudgement> judgements, CancellationToken cancellationToken) => _queue.ReleaseAsync(judgements, cancellationToken);

        public Task<bool> FailAsync(QueuedJudgement judgement, string reason, CancellationToken cancellationToken) =>
            _queue.FailAsync(judgement, reason, cancellationToken);

        public Task<bool> HeldAsync(QueuedJudgement judgement, string heldPart, string reason, CancellationToken cancellationToken) =>
            _queue.HeldAsync(judgement, heldPart, reason, cancellationToken);

        private IReadOnlyList<QueuedJudgement> Taken(IReadOnlyList<QueuedJudgement> jobs, int freePlaces)
        {
            var now = Stopwatch.GetTimestamp();
            record().Took(jobs.Count, freePlaces);
            foreach (var job in jobs)
            {
                record().TakenAt.TryAdd(job.Job.DeliveryKey, now);
            }

            return jobs;
        }
    }

    /// <summary>The chat layer's interview threads, their commands counted apart from the session's on the path that asked.</summary>
    private sealed class CountedThreads(IInterviewThreads threads) : IInterviewThreads
    {
        public async Task SetAsync(string candidateId, string thread, CancellationToken cancellationToken)
        {
            Enter();
            await threads.SetAsync(candidateId, thread, cancellationToken);
        }

        public async Task<string?> FindAsync(string candidateId, CancellationToken cancellationToken)
        {
            Enter();
            return await threads.FindAsync(candidateId, cancellationToken);
        }

        public async Task<bool> SetIfAbsentAsync(string candidateId, string thread, CancellationToken cancellationToken)
        {
            Enter();
            return await threads.SetIfAbsentAsync(candidateId, thread, cancellationToken);
        }

        public async Task<bool> RemoveAsync(string candidateId, CancellationToken cancellationToken)
        {
            Enter();
            return await threads.RemoveAsync(candidateId, cancellationToken);
        }

        public async Task<bool> RemoveIfCurrentAsync(string candidateId, string thread, CancellationToken cancellationToken)
        {
            Enter();
            return await threads.RemoveIfCurrentAsync(candidateId, thread, cancellationToken);
        }

        public async Task MarkReadAsync(InterviewThreadMark mark, CancellationToken cancellationToken)
        {
            Enter();
            await threads.MarkReadAsync(mark, cancellationToken);
        }

        public Task<IReadOnlyList<InterviewThreadMark>> ListMarksAsync(CancellationToken cancellationToken) => threads.ListMarksAsync(cancellationToken);

        // Set inside each async method, so the caller's path is left as it was.
        private static void Enter()
        {
            switch (RoundTrips.Path)
            {
                case RedisPath.Request:
                    RoundTrips.Enter(RedisPath.RequestThread);
                    break;
                case RedisPath.Worker:
                    RoundTrips.Enter(RedisPath.WorkerThread);
                    break;
            }
        }
    }

    /// <summary>An answer the chat layer did not record because the store failed; <see cref="Cause"/> names the exception it logged.</summary>
    private sealed class AnswerNotRecordedException(string cause) : Exception(cause)
    {
        public string Cause { get; } = cause;
    }

    /// <summary>
    /// The chat layer's log, read for one thing: the error type it gives when an answer could not be recorded, which it
    /// logs and does not throw. <see cref="Watch"/> starts a box for the calls made from here on in this async flow.
    /// </summary>
    private sealed class ChatFailures : ILogger<ChatInterviews>
    {
        private static readonly AsyncLocal<StrongBox<string?>?> Current = new();

        public static StrongBox<string?> Watch() => Current.Value = new StrongBox<string?>();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Current.Value is { } box && state is IReadOnlyList<KeyValuePair<string, object?>> fields && fields.FirstOrDefault(f => f.Key == "ErrorType").Value is string errorType)
            {
                box.Value = errorType;
            }
        }
    }

    /// <summary>
    /// The worker's warnings and errors (its posts' among them: a delivery with no thread to post in), counted by event,
    /// so a failover run shows what the worker went through.
    /// </summary>
    private sealed class CountingLogger(Func<HostRecord> record) : ILogger<JudgingWorker>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                record().WorkerLogged(eventId.Name ?? eventId.Id.ToString(CultureInfo.InvariantCulture));
            }
        }
    }
}
