using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
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
/// Many candidates run whole interviews at once through the real engine, service, Redis store and judging workers,
/// with a stub judge of fixed latency; then redis-benchmark measures the same server's own GET/SET ceiling.
/// </summary>
public static class LoadBenchmark
{
    private const string Answer = "I would start from the failure mode because it decides the metric, then compare two designs by cost and latency, and measure the result offline before an A/B test.";

    public static async Task<int> RunAsync(BenchmarkSettings settings)
    {
        // fsync once a second, as production Redis usually runs (the fault tests use fsync on every write).
        await using var server = await RedisServer.StartAsync(appendFsync: "everysec");
        var options = ConfigurationOptions.Parse(server.Endpoint);
        options.AbortOnConnectFail = false;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var bank = QuestionBankLoader.Load(RepositoryPaths.QuestionBank);
        var engine = new InterviewEngine(bank);
        var store = new RedisSessionStore(
            redis,
            Options.Create(new SessionStoreOptions()),
            Options.Create(new RedisOptions { Configuration = server.Endpoint }),
            TimeProvider.System,
            NullLogger<RedisSessionStore>.Instance);
        await store.EnsureConsumerGroupsAsync(default);
        var judge = new StubJudge(settings.JudgeLatency);
        var output = new WaitingOutput();
        var service = new InterviewService(engine, store, judge, TimeProvider.System, JudgingMode.Queued);
        var worker = new JudgingWorker(engine, store, store, judge, output, TimeProvider.System, NullLogger<JudgingWorker>.Instance);
        var requestTimes = new ConcurrentDictionary<string, double>();
        var workerTimes = new ConcurrentDictionary<string, double>();

        Console.WriteLine($"Mockingbird load benchmark: {settings.Candidates} candidates, full interviews, stub judge {settings.JudgeLatency.TotalMilliseconds:0} ms, {settings.Workers} workers, Redis {server.Endpoint}");
        await server.CommandAsync("CONFIG", "RESETSTAT");

        var alone = await MeasureAloneAsync(service, output, workerTimes, requestTimes, worker, store);
        await server.CommandAsync("CONFIG", "RESETSTAT");
        requestTimes.Clear();
        workerTimes.Clear();

        using var stop = new CancellationTokenSource();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var workers = Enumerable.Range(0, settings.Workers).Select(w => RunWorkerAsync(worker, store, $"w{w}", settings.Batch, workerTimes, stop.Token)).ToList();
        var clock = Stopwatch.StartNew();
        var turns = await Task.WhenAll(Enumerable.Range(0, settings.Candidates).Select(c => RunCandidateAsync($"cand-{c}", service, output, requestTimes)));
        clock.Stop();
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        var commands = ParseCommandStats(await server.CommandAsync("INFO", "commandstats"));
        var totalTurns = turns.Sum();
        var overhead = requestTimes
            .Select(r => r.Value + (workerTimes.TryGetValue(r.Key, out var w) ? w : 0))
            .Order()
            .ToList();
        var turnsPerSecond = totalTurns / clock.Elapsed.TotalSeconds;
        var commandsPerTurn = (double)commands.Values.Sum() / totalTurns;
        var roundTripsPerTurn = (double)commands.Where(c => ClientCommands.Contains(c.Key)).Sum(c => c.Value) / totalTurns;

        var (activeBytes, retainedBytes) = await MeasureBytesAsync(server, service, worker, store, output);
        var (getRps, setRps) = await RedisBenchmarkAsync(server);
        var ceiling = (getRps + setRps) / 2;

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"turns:                      {totalTurns} in {clock.Elapsed.TotalSeconds:0.00} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"turns per second:           {turnsPerSecond:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host overhead per turn:     alone p50 {Percentile(alone, 0.50):0.00} ms, p99 {Percentile(alone, 0.99):0.00} ms; under this load p50 {Percentile(overhead, 0.50):0.00} ms, p99 {Percentile(overhead, 0.99):0.00} ms"));
        Console.WriteLine("                            (answer request + judging worker, wall time including Redis round trips; judge latency excluded)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host CPU per turn:          {cpu.TotalMilliseconds / totalTurns:0.000} ms (benchmark process, all threads)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redis round trips per turn: {roundTripsPerTurn:0.00} (scripts and direct commands the host sent, worker polls included)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redis commands per turn:    {commandsPerTurn:0.00} executed, counting those inside scripts ({string.Join(", ", commands.OrderByDescending(c => c.Value).Take(6).Select(c => $"{c.Key} {c.Value / (double)totalTurns:0.00}"))})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes per active session:   {activeBytes:0} at its largest (all keys of the candidate, read after every judged answer of a full interview)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes kept per candidate:   {retainedBytes:0} (after the interview: history, seen questions, event marks)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redis-benchmark GET / SET:  {getRps:0} / {setRps:0} requests per second (same server, same run)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"share of redis ceiling:     {turnsPerSecond * roundTripsPerTurn / ceiling:P1} (turns/s x round trips/turn / mean of GET and SET rps)"));
        return 0;
    }

    /// <summary>Commands the host sends itself; everything else in commandstats runs inside its scripts.</summary>
    private static readonly HashSet<string> ClientCommands = ["evalsha", "eval", "zrangebyscore", "lrange", "del", "xgroup", "xrange"];

    /// <summary>One candidate with the server to itself: the host's own latency per turn, without queueing behind others.</summary>
    private static async Task<List<double>> MeasureAloneAsync(
        InterviewService service,
        WaitingOutput output,
        ConcurrentDictionary<string, double> workerTimes,
        ConcurrentDictionary<string, double> requestTimes,
        JudgingWorker worker,
        RedisSessionStore store)
    {
        using var stop = new CancellationTokenSource();
        var loop = RunWorkerAsync(worker, store, "alone", 1, workerTimes, stop.Token);
        for (var i = 0; i < 30; i++)
        {
            if (i == 10)
            {
                // The first interviews warm up the JIT and the server's script cache.
                requestTimes.Clear();
                workerTimes.Clear();
            }

            await RunCandidateAsync($"alone-{i}", service, output, requestTimes);
        }

        await stop.CancelAsync();
        await loop;
        return [.. requestTimes.Select(r => r.Value + (workerTimes.TryGetValue(r.Key, out var w) ? w : 0)).Order()];
    }

    private static async Task<int> RunCandidateAsync(string candidate, InterviewService service, WaitingOutput output, ConcurrentDictionary<string, double> requestTimes)
    {
        await Task.Yield();
        var turns = 0;
        var started = await service.StartAsync(candidate, new InterviewOptions(InterviewPlan.Full), (ulong)candidate.GetHashCode(StringComparison.Ordinal), default);
        if (!started.OfType<PostQuestion>().Any())
        {
            return 0;
        }

        for (var turn = 1; turn < 50; turn++)
        {
            var delivered = output.Expect(candidate);
            var clock = Stopwatch.StartNew();
            var actions = await service.HandleAsync(candidate, new AnswerSubmitted(Answer), $"{candidate}-evt-{turn}", default);
            clock.Stop();
            if (!actions.OfType<AcknowledgeAnswer>().Any())
            {
                throw new InvalidOperationException($"{candidate}: answer {turn} was not accepted: {string.Join(" / ", actions)}");
            }

            var key = $"{actions.OfType<AcknowledgeAnswer>().Single().TurnNumber}";
            turns++;
            var after = await delivered;
            requestTimes[$"{candidate}:{key}"] = clock.Elapsed.TotalMilliseconds;
            if (after.OfType<PostScorecard>().Any())
            {
                return turns;
            }
        }

        throw new InvalidOperationException($"{candidate}: the interview did not end.");
    }

    /// <summary>A worker loop that times each job and subtracts the judge's own time from it.</summary>
    private static async Task RunWorkerAsync(JudgingWorker worker, RedisSessionStore queue, string name, int batch, ConcurrentDictionary<string, double> workerTimes, CancellationToken stop)
    {
        var idle = 1;
        while (!stop.IsCancellationRequested)
        {
            var jobs = await queue.TakeAsync(name, batch, default);
            await Task.WhenAll(jobs.Select(async job =>
            {
                var judgeTime = new StrongBox<double>();
                StubJudge.Elapsed.Value = judgeTime;
                var clock = Stopwatch.StartNew();
                await worker.ProcessAsync(job, default);
                workerTimes[$"{job.Job.CandidateId}:{job.Job.TurnNumber}"] = clock.Elapsed.TotalMilliseconds - judgeTime.Value;
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
    /// A session grows with each turn, so its size is read after every judged answer of a whole interview and the
    /// largest is kept; read at the start, it would show the smallest the session ever is.
    /// </summary>
    private static async Task<(double Active, double Retained)> MeasureBytesAsync(RedisServer server, InterviewService service, JudgingWorker worker, RedisSessionStore store, WaitingOutput output)
    {
        const int sample = 20;
        using var stop = new CancellationTokenSource();
        var judging = RunWorkerAsync(worker, store, "bytes-worker", 16, new ConcurrentDictionary<string, double>(), stop.Token);
        double largestTotal = 0;
        for (var i = 0; i < sample; i++)
        {
            var candidate = string.Create(CultureInfo.InvariantCulture, $"bytes-{i:D3}");
            await service.StartAsync(candidate, new InterviewOptions(InterviewPlan.Full), (ulong)i, default);
            var largest = (await KeyBytesAsync(server, candidate)).Total;
            for (var turn = 1; turn < 50; turn++)
            {
                var delivered = output.Expect(candidate);
                await service.HandleAsync(candidate, new AnswerSubmitted(Answer), $"{candidate}-evt-{turn}", default);
                if ((await delivered).OfType<PostScorecard>().Any())
                {
                    break;
                }

                largest = Math.Max(largest, (await KeyBytesAsync(server, candidate)).Total);
            }

            largestTotal += largest;
        }

        await stop.CancelAsync();
        await judging;
        var retained = await KeyBytesAsync(server, "cand-");
        return (largestTotal / sample, retained.Total / Math.Max(1, retained.Candidates));
    }

    private static async Task<(double Total, int Candidates)> KeyBytesAsync(RedisServer server, string candidatePrefix)
    {
        var keys = await ScanAsync(server, $"*:{candidatePrefix}*");
        double total = 0;
        foreach (var key in keys)
        {
            var reply = await server.CommandAsync("MEMORY", "USAGE", key);
            total += double.Parse(reply.TrimStart(':').Trim(), CultureInfo.InvariantCulture);
        }

        var candidates = keys.Select(k => k[(k.LastIndexOf(':') + 1)..]).Distinct(StringComparer.Ordinal).Count();
        return (total, candidates);
    }

    private static async Task<List<string>> ScanAsync(RedisServer server, string pattern)
    {
        var reply = await server.CommandAsync("KEYS", pattern);
        return [.. reply.Split("\r\n").Where(line => line.Length > 0 && line[0] != '*' && line[0] != '$')];
    }

    private static Dictionary<string, long> ParseCommandStats(string info)
    {
        var stats = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in info.Split("\r\n").Where(l => l.StartsWith("cmdstat_", StringComparison.Ordinal)))
        {
            var name = line["cmdstat_".Length..line.IndexOf(':', StringComparison.Ordinal)];
            var calls = line.Split(',')[0].Split('=')[1];
            if (name is not ("config" or "info"))
            {
                stats[name] = long.Parse(calls, CultureInfo.InvariantCulture);
            }
        }

        return stats;
    }

    private static async Task<(double Get, double Set)> RedisBenchmarkAsync(RedisServer server)
    {
        var start = new ProcessStartInfo(RedisServer.FindBinary("redis-benchmark")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-t", "get,set", "-n", "200000", "-c", "50", "--csv" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var csv = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        double Rps(string test) => csv.Split('\n')
            .Where(l => l.StartsWith($"\"{test}\"", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(',')[1].Trim('"'), CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return (Rps("GET"), Rps("SET"));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Takes a fixed time and returns a fixed judgement, so the benchmark measures everything but the judge.</summary>
    private sealed class StubJudge(TimeSpan latency) : IAnswerJudge
    {
        /// <summary>Where the caller wants this call's measured latency written.</summary>
        public static readonly AsyncLocal<StrongBox<double>?> Elapsed = new();

        public async Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            await Task.Delay(latency, TimeProvider.System, cancellationToken);
            Elapsed.Value?.Value = clock.Elapsed.TotalMilliseconds;
            return new Feedback(request.Question.Id, "stub", "benchmark stub", [new DimensionScore("coverage", 3, [], "stub")], [], [], 3, [], [], "none");
        }
    }

    /// <summary>Hands each delivery to the candidate waiting for it.</summary>
    private sealed class WaitingOutput : IInterviewOutput
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<IReadOnlyList<InterviewAction>>> _waiting = new(StringComparer.Ordinal);

        public Task<IReadOnlyList<InterviewAction>> Expect(string candidate) =>
            _waiting.GetOrAdd(candidate, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public Task DeliverAsync(string candidateId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
        {
            if (_waiting.TryRemove(candidateId, out var waiter))
            {
                waiter.TrySetResult(actions);
            }

            return Task.CompletedTask;
        }
    }
}
