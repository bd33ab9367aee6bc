using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Mockingbird.Testing;

namespace Mockingbird.Benchmarks;

/// <summary>
/// Many candidates run whole interviews at once through the real engine, service, Redis store and judging workers,
/// with a stub judge of fixed latency, in one to three host processes sharing one Redis; then redis-benchmark
/// measures the same server's own GET/SET ceiling. Prints each figure beside its target.
/// </summary>
public static class LoadBenchmark
{
    private const int MemoryTargetSessions = 10_000;

    private static readonly TimeSpan ReplicaTimeout = TimeSpan.FromMinutes(9);

    /// <summary>Commands the host sends itself; everything else in commandstats runs inside its scripts.</summary>
    private static readonly HashSet<string> ClientCommands = ["evalsha", "eval", "zrangebyscore", "lrange", "del", "xgroup", "xrange"];

    public static async Task<int> RunAsync(BenchmarkSettings settings)
    {
        if (settings.Replica is { } replica)
        {
            return await RunReplicaAsync(settings, replica);
        }

        await using var redis = await MeasuredRedis.StartSingleServerAsync();
        await using var bus = settings.Hosts > 1 ? await HostBus.StartAsync() : null;
        await using var host = await BenchmarkHost.StartAsync(redis, 0, settings.JudgeLatency, bus);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Mockingbird load benchmark: {settings.Candidates} candidates, full interviews, stub judge {settings.JudgeLatency.TotalMilliseconds:0} ms, {(settings.Hosts > 1 ? $"1 to {settings.Hosts} host processes in turn" : "1 host process")} with {settings.Workers} workers each, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, Redis {redis.Configuration}"));
        if (settings.RssOnly)
        {
            return await MeasureOpenSessionsAsync(settings, host);
        }

        var alone = await MeasureAloneAsync(host);

        if (bus is not null)
        {
            await bus.ListenForSignalsAsync();
        }

        // Each host count in turn, with fresh candidates, so the throughput of one, two and three hosts reads side by side.
        var phases = new List<LoadPhase>();
        for (var hosts = 1; hosts <= settings.Hosts; hosts++)
        {
            phases.Add(await RunLoadPhaseAsync(settings with { Hosts = hosts }, redis, bus, host));
        }

        var (records, seconds, commands, redisCpu) = phases[^1];
        var load = HostRecord.Merge(records);
        var (activeBytes, retainedBytes) = await MeasureBytesAsync(redis, host);
        var (getRps, setRps) = await RedisBenchmarkAsync(redis);

        // The memory target is set at 10,000 candidates at once; a smaller run opens that many sessions after its load.
        var (openSessions, _, openPeak) = settings.Candidates >= MemoryTargetSessions
            ? (settings.Candidates, 0.0, load.PeakRssBytes)
            : await OpenSessionsAsync(host, MemoryTargetSessions, settings);

        var totalTurns = load.Turns;
        var overhead = load.Overheads();
        var pickups = load.Pickups();
        var commandsPerTurn = (double)commands.Values.Sum() / totalTurns;
        var roundTripsPerTurn = (double)commands.Where(c => ClientCommands.Contains(c.Key)).Sum(c => c.Value) / totalTurns;
        var redisCpuPerTurnUs = redisCpu * 1e6 / totalTurns;
        var commandsPerSecond = commands.Values.Sum() / seconds;
        var ceiling = (getRps + setRps) / 2;
        var checks = phases.Select(p => HostRecord.Merge(p.Records)).Select(merged => (Check: merged.DeliveryCheck(), merged.PostedForOtherHosts)).ToList();
        var wrong = checks.Sum(c => c.Check.Lost + c.Check.Doubled + c.Check.Unasked);

        Console.WriteLine();
        foreach (var (phase, ((answered, lost, doubled, unasked), postedElsewhere)) in phases.Zip(checks))
        {
            Line($"turns per second:           {phase.Turns / phase.Seconds:0} with {phase.Records.Count} host process(es) ({string.Join(", ", phase.Records.Select((r, i) => $"host {i}: {r.Turns / phase.Seconds:0}"))})");
            Line($"  feedback delivered:       {answered} answers: {answered - lost} posted ({postedElsewhere} by another host process than the candidate's), {lost} lost, {doubled} doubled, {unasked} for no answer{(lost + doubled + unasked == 0 ? " (each exactly once)" : " — WRONG")}");
        }

        if (settings.Hosts > 1)
        {
            Line($"                            (the figures below are from the phase with {settings.Hosts} host processes)");
        }

        Line($"turns:                      {totalTurns} in {seconds:0.00} s");
        Line($"host overhead per turn:     alone p50 {Percentile(alone, 0.50):0.00} ms, p99 {Percentile(alone, 0.99):0.00} ms; under this load p50 {Percentile(overhead, 0.50):0.00} ms, p99 {Percentile(overhead, 0.99):0.00} ms");
        Console.WriteLine("                            (answer request + judging worker, wall time including Redis round trips; judge latency excluded)");
        Line($"job pickup under load:      p50 {Percentile(pickups, 0.50):0.00} ms, p99 {Percentile(pickups, 0.99):0.00} ms (answer request returned with its job queued -> stub judge called for that turn)");
        Line($"host CPU per turn:          {load.CpuMs / totalTurns:0.000} ms (all host processes, all threads)");
        Line($"host peak RSS:              {load.PeakRssBytes / 1048576.0:0} MB under this load (VmHWM of the largest host process, {settings.Candidates / settings.Hosts} candidates per process); {openPeak / 1048576.0:0} MB with {openSessions} sessions open at once in one process (its peak over the whole run; --rss-only opens them in a fresh process)");
        Line($"redis round trips per turn: {roundTripsPerTurn:0.00} (scripts and direct commands the hosts sent, worker polls included)");
        Line($"redis commands per turn:    {commandsPerTurn:0.00} executed, counting those inside scripts ({string.Join(", ", commands.OrderByDescending(c => c.Value).Take(6).Select(c => $"{c.Key} {c.Value / (double)totalTurns:0.00}"))})");
        Line($"redis CPU per turn:         {redisCpuPerTurnUs:0} µs (used_cpu_sys + used_cpu_user over the loaded phase / turns)");
        Line($"bytes per active session:   {activeBytes:0} at its largest (all keys of the candidate, read after every judged answer of a full interview)");
        Line($"bytes kept per candidate:   {retainedBytes:0} (after the interview: history, seen questions, event marks)");
        Line($"redis-benchmark GET / SET:  {getRps:0} / {setRps:0} requests per second (same server, same run)");
        Line($"share of redis ceiling:     {commandsPerSecond / ceiling:P1} ({commandsPerSecond:0} of our commands/s, inside scripts counted / mean of GET and SET rps)");

        Console.WriteLine();
        Console.WriteLine("targets (issue 16)                        measured    target");
        Target("round trips per turn", roundTripsPerTurn, 3, "0.00", string.Empty);
        Target("commands per turn", commandsPerTurn, 15, "0.00", string.Empty);
        Target("bytes per session at its largest", activeBytes / 1024, 4, "0.00", " KB");
        Target("job pickup p99 under load", Percentile(pickups, 0.99), 50, "0.0", " ms");
        Target("host overhead alone p99", Percentile(alone, 0.99), 2, "0.00", " ms");
        Target("redis CPU per turn", redisCpuPerTurnUs, 100, "0", " µs");
        Target(string.Create(CultureInfo.InvariantCulture, $"host peak RSS, {openSessions} sessions open"), openPeak / 1048576.0, 300, "0", " MB");
        Target("feedback lost or doubled", wrong, 0, "0", string.Empty);
        return wrong == 0 ? 0 : 1;
    }

    /// <summary>
    /// The loaded phase: <see cref="BenchmarkSettings.Hosts"/> host processes (this one and replicas it starts)
    /// serve their shares of the candidates at once; Redis is read before and after.
    /// </summary>
    private static async Task<LoadPhase> RunLoadPhaseAsync(BenchmarkSettings settings, MeasuredRedis redis, HostBus? bus, BenchmarkHost host)
    {
        await using var replicas = new Replicas([.. Enumerable.Range(1, settings.Hosts - 1).Select(index => Replica.Start(settings, new ReplicaSettings(index, redis.Configuration, bus!.Endpoint)))]);
        for (var index = 1; index < settings.Hosts; index++)
        {
            await replicas[index - 1].WaitForAsync(bus!, Signal(settings, "ready", index), TimeSpan.FromMinutes(1));
        }

        await redis.ResetStatsAsync();
        var redisCpuBefore = await redis.CpuSecondsAsync();
        host.Record = new HostRecord();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        using var stop = new CancellationTokenSource();
        if (bus is not null)
        {
            await bus.SendAsync(Signal(settings, "go"));
        }

        var clock = Stopwatch.StartNew();
        var workers = host.StartWorkers(settings.Workers, settings.Batch, "w", stop.Token);
        var turns = await Task.WhenAll(host.OwnCandidates(settings).Select(c => host.RunCandidateAsync(c)));
        for (var index = 1; index < settings.Hosts; index++)
        {
            await replicas[index - 1].WaitForAsync(bus!, Signal(settings, "done", index), ReplicaTimeout);
        }

        clock.Stop();
        if (bus is not null)
        {
            await bus.SendAsync(Signal(settings, "stop"));
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        host.Record.Turns = turns.Sum();
        host.Record.CpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        host.Record.PeakRssBytes = HostRecord.ReadPeakRssBytes();
        List<HostRecord> records = [host.Record, .. await Task.WhenAll(replicas.Select(r => r.RecordAsync()))];
        var redisCpu = await redis.CpuSecondsAsync() - redisCpuBefore;
        return new LoadPhase(records, clock.Elapsed.TotalSeconds, await redis.CommandCallsAsync(), redisCpu);
    }

    /// <summary>A signal between the host processes of one phase (each phase has its own).</summary>
    private static string Signal(BenchmarkSettings phase, string what, int? host = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{phase.Hosts}:{what}{(host is { } index ? $":{index}" : string.Empty)}");

    private sealed record LoadPhase(List<HostRecord> Records, double Seconds, Dictionary<string, long> Commands, double RedisCpu)
    {
        public int Turns => Records.Sum(r => r.Turns);
    }

    /// <summary>Only memory: opens the sessions and reads the host's peak memory, without the rest of the run.</summary>
    private static async Task<int> MeasureOpenSessionsAsync(BenchmarkSettings settings, BenchmarkHost host)
    {
        var (sessions, seconds, peak) = await OpenSessionsAsync(host, settings.Candidates, settings);
        Console.WriteLine();
        Line($"sessions open at once:      {sessions}, each started and answered once, in {seconds:0.00} s");
        Line($"host peak RSS:              {peak / 1048576.0:0} MB (VmHWM)");
        Console.WriteLine();
        Console.WriteLine("targets (issue 16)                        measured    target");
        Target("host peak RSS", peak / 1048576.0, 300, "0", " MB", settings.Candidates >= MemoryTargetSessions ? null : $"at {settings.Candidates} sessions; the target is at {MemoryTargetSessions}");
        return 0;
    }

    /// <summary>
    /// Every candidate starts and answers once, all at once, so that many sessions are open together (none ends)
    /// with their requests and judging in flight; the host's peak memory (over its whole life) is read after.
    /// </summary>
    private static async Task<(int Sessions, double Seconds, long PeakRssBytes)> OpenSessionsAsync(BenchmarkHost host, int sessions, BenchmarkSettings settings)
    {
        host.Record = new HostRecord();
        using var stop = new CancellationTokenSource();
        var workers = host.StartWorkers(settings.Workers, settings.Batch, "open", stop.Token);
        var clock = Stopwatch.StartNew();
        var turns = await Task.WhenAll(Enumerable.Range(0, sessions).Select(n => host.RunCandidateAsync(host.CandidateName("open", n), turnLimit: 1)));
        clock.Stop();
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return (turns.Count(t => t > 0), clock.Elapsed.TotalSeconds, HostRecord.ReadPeakRssBytes());
    }

    /// <summary>A replica host: serves its share of the candidates and judges any job, from the parent's start signal to its stop.</summary>
    private static async Task<int> RunReplicaAsync(BenchmarkSettings settings, ReplicaSettings replica)
    {
        await using var redis = await MeasuredRedis.AttachAsync(replica.Redis);
        await using var bus = await HostBus.AttachAsync(replica.Bookkeeping);
        await bus.ListenForSignalsAsync();
        await using var host = await BenchmarkHost.StartAsync(redis, replica.Index, settings.JudgeLatency, bus);
        await Console.Error.WriteLineAsync("replica connected");
        await WarmUpAsync(host, string.Create(CultureInfo.InvariantCulture, $"warm{settings.Hosts}"), 5);
        await Console.Error.WriteLineAsync("replica warmed up");
        await bus.SendAsync(Signal(settings, "ready", replica.Index));
        await bus.WaitAsync(Signal(settings, "go"), TimeSpan.FromMinutes(3));

        host.Record = new HostRecord();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        using var stop = new CancellationTokenSource();
        var workers = host.StartWorkers(settings.Workers, settings.Batch, "w", stop.Token);
        var turns = await Task.WhenAll(host.OwnCandidates(settings).Select(c => host.RunCandidateAsync(c)));
        await bus.SendAsync(Signal(settings, "done", replica.Index));
        await bus.WaitAsync(Signal(settings, "stop"), ReplicaTimeout);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        host.Record.Turns = turns.Sum();
        host.Record.CpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        host.Record.PeakRssBytes = HostRecord.ReadPeakRssBytes();
        Console.WriteLine(host.Record.ToLine());
        return 0;
    }

    /// <summary>One candidate with the server to itself: the host's own latency per turn, without queueing behind others.</summary>
    private static async Task<List<double>> MeasureAloneAsync(BenchmarkHost host)
    {
        // The first interviews warm up the JIT and the server's script cache.
        await WarmUpAsync(host, "alone-warm", 10);
        host.Record = new HostRecord();
        using var stop = new CancellationTokenSource();
        var loop = host.RunWorkerAsync("alone", 1, stop.Token);
        for (var i = 0; i < 20; i++)
        {
            await host.RunCandidateAsync(host.CandidateName("alone", i));
        }

        await stop.CancelAsync();
        await loop;
        return host.Record.Overheads();
    }

    private static async Task WarmUpAsync(BenchmarkHost host, string prefix, int candidates)
    {
        host.Record = new HostRecord();
        using var stop = new CancellationTokenSource();
        var loop = host.RunWorkerAsync(prefix, 1, stop.Token);
        for (var i = 0; i < candidates; i++)
        {
            await host.RunCandidateAsync(host.CandidateName(prefix, i));
        }

        await stop.CancelAsync();
        await loop;
    }

    /// <summary>
    /// A session grows with each turn, so its size is read after every judged answer of a whole interview and the
    /// largest is kept; read at the start, it would show the smallest the session ever is.
    /// </summary>
    private static async Task<(double Active, double Retained)> MeasureBytesAsync(MeasuredRedis redis, BenchmarkHost host)
    {
        const int sample = 20;
        host.Record = new HostRecord();
        using var stop = new CancellationTokenSource();
        var judging = host.RunWorkerAsync("bytes-worker", 16, stop.Token);
        double largestTotal = 0;
        for (var i = 0; i < sample; i++)
        {
            var candidate = host.CandidateName("bytes", i);
            double largest = 0;
            await host.RunCandidateAsync(candidate, afterFeedback: async () => largest = Math.Max(largest, (await KeyBytesAsync(redis, candidate)).Total));
            largestTotal += largest;
        }

        await stop.CancelAsync();
        await judging;
        var retained = await KeyBytesAsync(redis, "cand");
        return (largestTotal / sample, retained.Total / Math.Max(1, retained.Candidates));
    }

    private static async Task<(double Total, int Candidates)> KeyBytesAsync(MeasuredRedis redis, string candidatePrefix)
    {
        var keys = await redis.KeysAsync($"*:{candidatePrefix}*");
        double total = 0;
        foreach (var key in keys)
        {
            total += await redis.MemoryUsageAsync(key);
        }

        var candidates = keys.Select(k => k[(k.LastIndexOf(':') + 1)..]).Distinct(StringComparer.Ordinal).Count();
        return (total, candidates);
    }

    private static async Task<(double Get, double Set)> RedisBenchmarkAsync(MeasuredRedis redis)
    {
        var endpoint = redis.CeilingEndpoint();
        var start = new ProcessStartInfo(RedisServer.FindBinary("redis-benchmark")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-h", endpoint.Host, "-p", endpoint.Port.ToString(CultureInfo.InvariantCulture), "-t", "get,set", "-n", "200000", "-c", "50", "--csv" })
        {
            start.ArgumentList.Add(arg);
        }

        if (redis.IsCluster)
        {
            start.ArgumentList.Add("--cluster");
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

    private static void Line(FormattableString text) => Console.WriteLine(text.ToString(CultureInfo.InvariantCulture));

    private static void Target(string name, double measured, double limit, string format, string unit, string? note = null)
    {
        var value = measured.ToString(format, CultureInfo.InvariantCulture) + unit;
        var target = string.Create(CultureInfo.InvariantCulture, $"≤ {limit}{unit}");
        var verdict = measured <= limit ? "met" : "not met";
        Console.WriteLine($"  {name,-38}  {value,-10}  {target,-9}  {verdict}{(note is null ? string.Empty : $" ({note})")}");
    }

    /// <summary>A replica host process: this same program, started in its hidden replica mode.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _output;
        private readonly ConcurrentQueue<string> _errors = new();

        private Replica(Process process)
        {
            _process = process;
            _output = process.StandardOutput.ReadToEndAsync();
            process.ErrorDataReceived += (_, line) =>
            {
                if (line.Data is not null)
                {
                    _errors.Enqueue(line.Data);
                }
            };
            process.BeginErrorReadLine();
        }

        public static Replica Start(BenchmarkSettings settings, ReplicaSettings replica)
        {
            var program = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            if (Path.GetFileNameWithoutExtension(program) == "dotnet")
            {
                start.ArgumentList.Add(typeof(LoadBenchmark).Assembly.Location);
            }

            foreach (var arg in settings.ReplicaArguments(replica))
            {
                start.ArgumentList.Add(arg);
            }

            return new Replica(Process.Start(start) ?? throw new InvalidOperationException("A replica host did not start."));
        }

        /// <summary>Waits for the replica's signal, failing at once with what it wrote if it exits first.</summary>
        public async Task WaitForAsync(HostBus bus, string signal, TimeSpan timeout)
        {
            var signalled = bus.WaitAsync(signal, timeout);
            if (await Task.WhenAny(signalled, _process.WaitForExitAsync()) != signalled)
            {
                throw new InvalidOperationException($"A replica host exited with code {_process.ExitCode} before '{signal}': {Errors()}");
            }

            try
            {
                await signalled;
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message} The replica wrote: {Errors()}", ex);
            }
        }

        public async Task<HostRecord> RecordAsync()
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System);
            if (_process.ExitCode != 0)
            {
                throw new InvalidOperationException($"A replica host exited with code {_process.ExitCode}: {Errors()}");
            }

            return HostRecord.FromOutput(await _output);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private string Errors() => string.Join(Environment.NewLine, _errors);
    }

    /// <summary>The replicas of a run, killed if the run fails before they finish.</summary>
    private sealed class Replicas(List<Replica> all) : List<Replica>(all), IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var replica in this)
            {
                await replica.DisposeAsync();
            }
        }
    }
}
