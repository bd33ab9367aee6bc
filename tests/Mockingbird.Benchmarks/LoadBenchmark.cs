using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Mockingbird.Sessions.Redis;
using Mockingbird.Testing;

namespace Mockingbird.Benchmarks;

/// <summary>
/// Many candidates run whole interviews at once through the real engine, service, Redis store and the bot's judging
/// worker loop, with a stub judge of fixed latency, in one to three host processes sharing one Redis (a single server
/// or a cluster, whose primary may be failed over mid-run); then redis-benchmark measures the same server's own
/// GET/SET ceiling. Prints each figure beside its target.
/// </summary>
public static class LoadBenchmark
{
    private const int MemoryTargetSessions = 10_000;

    /// <summary>How the fresh host process that opens the sessions reports back: this word, the sessions opened and its peak RSS in bytes.</summary>
    private const string OpenSessionsReport = "open-sessions-peak-rss";

    /// <summary>Candidates timed one at a time, eight turns each.</summary>
    private const int AloneCandidates = 125;

    /// <summary>How long the host runs before the alone phase is measured: long enough for code on timers to be recompiled.</summary>
    private static readonly TimeSpan TimersWarm = TimeSpan.FromSeconds(90);

    /// <summary>The host overhead target per turn alone: the benchmark says what the turns over it had in them.</summary>
    private const double SlowTurnMs = 2;

    private static readonly TimeSpan ReplicaTimeout = TimeSpan.FromMinutes(9);

    public static async Task<int> RunAsync(BenchmarkSettings settings)
    {
        if (settings.Replica is { } replica)
        {
            return await RunReplicaAsync(settings, replica);
        }

        if (settings.AttachTo is { } attached)
        {
            return await OpenSessionsForTheRunAsync(settings, attached);
        }

        await using var redis = settings.Cluster ? await MeasuredRedis.StartClusterAsync(quickFailover: settings.Failover != FailoverKind.None) : await MeasuredRedis.StartSingleServerAsync();
        await using var bus = settings.Hosts > 1 ? await HostBus.StartAsync() : null;
        await using var host = await BenchmarkHost.StartAsync(redis, 0, settings.JudgeLatency, bus, countCommands: !settings.RssOnly);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Mockingbird load benchmark: {settings.Candidates} candidates, full interviews, stub judge {settings.JudgeLatency.TotalMilliseconds:0} ms (with the offline rubric judge's verdicts), {(settings.Hosts > 1 ? $"1 to {settings.Hosts} host processes in turn" : "1 host process")}, each with the bot's judging worker ({settings.InFlight} jobs in flight, sweep every {BenchmarkSettings.Sweep.TotalSeconds:0} s), {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {(settings.Cluster ? "Redis Cluster (3 primaries, 3 replicas)" : "Redis")} {redis.Configuration}{(settings.Failover == FailoverKind.None ? string.Empty : $", {settings.Failover.ToString().ToLowerInvariant()} failover of a primary mid-run")}"));
        if (settings.RssOnly)
        {
            return await MeasureOpenSessionsAsync(settings, host);
        }

        var alone = await MeasureAloneAsync(host, settings);

        if (bus is not null)
        {
            await bus.ListenForSignalsAsync();
        }

        // Each host count in turn, with fresh candidates, so the throughput of one, two and three hosts reads side by
        // side; a failover, if asked for, happens in the last.
        var phases = new List<LoadPhase>();
        for (var hosts = 1; hosts <= settings.Hosts; hosts++)
        {
            phases.Add(await RunLoadPhaseAsync(settings with { Hosts = hosts }, redis, bus, host, hosts == settings.Hosts ? settings.Failover : FailoverKind.None));
        }

        var (records, seconds, commands, redisCpu, failover) = phases[^1];
        var load = HostRecord.Merge(records);
        await redis.RefreshTopologyAsync();
        var paced = await RunPacedPhaseAsync(host, settings);
        var (activeBytes, retainedBytes) = await MeasureBytesAsync(redis, host, settings);
        var (getRps, setRps) = await RedisBenchmarkAsync(redis);

        // The memory target is set at 10,000 candidates at once; a smaller run opens that many sessions after its load,
        // in a host process of their own, so that what the load phases left in this one's heap (a failover's backlog
        // most of all) does not count as theirs.
        var (openSessions, openPeak) = settings.Candidates >= MemoryTargetSessions
            ? (settings.Candidates, load.PeakRssBytes)
            : await OpenSessionsInFreshHostAsync(settings, redis.Configuration);

        var totalTurns = load.Turns;
        var overhead = load.Overheads();
        var workerShare = load.WorkerOverheads();
        var pickups = load.Pickups();
        var commandsPerTurn = (double)commands.Values.Sum(c => c.Calls) / totalTurns;
        var sent = PerTurn(load.Commands, totalTurns);
        var sentAlone = PerTurn(alone.Record.Commands, alone.Turns);
        var redisCpuPerTurnUs = redisCpu * 1e6 / totalTurns;
        var commandsPerSecond = commands.Values.Sum(c => c.Calls) / seconds;
        var ceiling = (getRps + setRps) / 2;
        var hostCores = load.CpuMs / 1000 / seconds;
        var pausedPercent = load.CollectionPausedMs / 10 / (seconds * records.Count);
        var placeBoundPercent = 100.0 * load.TakesFillingEveryPlace / Math.Max(1, load.Takes);
        var checks = phases.Select(p => HostRecord.Merge(p.Records)).Select(merged => (Check: merged.DeliveryCheck(), merged.PostedForOtherHosts, merged.GaveUp)).ToList();
        var doubledOrUnasked = checks.Sum(c => c.Check.Doubled + c.Check.Unasked);
        var lost = checks.Sum(c => c.GaveUp.Values.Count(v => v.StartsWith("lost", StringComparison.Ordinal)));
        var stuck = checks.Sum(c => c.GaveUp.Count) - lost;

        Console.WriteLine();
        foreach (var (phase, ((accepted, posted, doubled, unasked, late), postedElsewhere, gaveUp)) in phases.Zip(checks))
        {
            Line($"turns per second:           {phase.Turns / phase.Seconds:0} with {phase.Records.Count} host process(es) ({string.Join(", ", phase.Records.Select((r, i) => $"host {i}: {r.Turns / phase.Seconds:0}"))})");
            Line($"  feedback delivered:       {accepted} answers accepted: {posted} posted ({postedElsewhere} by another host process than the candidate's), {doubled} doubled, {unasked} for no answer, {gaveUp.Count} given up on{(late > 0 ? $" ({late} of them posted late)" : string.Empty)}{(doubled + unasked + gaveUp.Count == 0 ? " (each exactly once)" : " — WRONG")}");
        }

        if (settings.Hosts > 1)
        {
            Line($"                            (the figures below are from the phase with {settings.Hosts} host processes)");
        }

        Line($"turns:                      {totalTurns} in {seconds:0.00} s");
        Line($"host overhead per turn:     alone p50 {Percentile(alone.Overheads, 0.50):0.00} ms, p99 {Percentile(alone.Overheads, 0.99):0.00} ms; under this load p50 {Percentile(overhead, 0.50):0.00} ms, p99 {Percentile(overhead, 0.99):0.00} ms");
        Line($"  of which the worker's:    alone p50 {Percentile(alone.WorkerShare, 0.50):0.00} ms, p99 {Percentile(alone.WorkerShare, 0.99):0.00} ms; under this load p50 {Percentile(workerShare, 0.50):0.00} ms, p99 {Percentile(workerShare, 0.99):0.00} ms");
        var parts = alone.Record.OverheadParts();
        Line($"  by step, alone p50 / p99: answer request {Step(parts.Request)}; worker: take -> judge {Step(parts.TakeToJudge)}, judge -> post {Step(parts.JudgeToPost)}, completion {Step(parts.Completion)}");
        Line($"  garbage collection alone: {Collected(alone.Record)} over {alone.Turns} turns, {alone.Record.CollectionPausedMs:0.0} ms paused in all; {alone.Record.AllocatedBytes / 1024.0 / alone.Turns:0} KB allocated per turn (the simulated candidates' included)");
        Line($"  turns over {SlowTurnMs:0} ms alone:     {alone.SlowTurns.Slow} of {alone.Turns}; a collection fell in {alone.SlowTurns.Collected}, a method compiled in {alone.SlowTurns.Compiled}, neither (the turn's own work, or a wait for a core) in {alone.SlowTurns.Neither}");
        Console.WriteLine("                            (wall time of the answer request, a message in the thread as the chat bots take it: the write, after the thread's lookup where the process does not know the thread;");
        Console.WriteLine("                            plus the worker's own share of the job: take returned -> judge called,");
        Console.WriteLine("                            judge returned -> post called (engine, JSON, the save, the thread's lookup where the process does not know it), and the completion after the post; judge and pickup excluded)");
        var feedbackWaits = load.FeedbackMs.Values.Order().ToList();
        Line($"job pickup under load:      p50 {Percentile(pickups, 0.50):0.00} ms, p99 {Percentile(pickups, 0.99):0.00} ms, max {pickups.LastOrDefault():0.00} ms (answer request returned with its job queued -> stub judge called for that turn)");
        Line($"                            (a job holds one of the {settings.InFlight} places of its host's worker from its take to its post: {load.PlaceHolds().DefaultIfEmpty(0).Average():0} ms on average, the judge's {settings.JudgeLatency.TotalMilliseconds:0} included)");
        Line($"job pickup, paced load:     p50 {Percentile(paced.Pickups, 0.50):0.00} ms, p99 {Percentile(paced.Pickups, 0.99):0.00} ms, max {paced.Pickups.LastOrDefault():0.00} ms ({settings.Candidates} candidates with at most {settings.PacedAnswering} answering at once, {paced.TurnsPerSecond:0} answers a second in all: the queue's own latency, with cores to spare)");
        Line($"feedback wait under load:   p50 {Percentile(feedbackWaits, 0.50):0.00} ms, p99 {Percentile(feedbackWaits, 0.99):0.00} ms, max {feedbackWaits.LastOrDefault():0.00} ms (answer request returned -> its feedback posted to the candidate)");
        Line($"host CPU per turn:          {load.CpuMs / totalTurns:0.000} ms (all host processes, all threads)");
        Line($"  sessions decoded per turn: {(double)load.SessionsDecoded / totalTurns:0.00} under this load, {(double)alone.Record.SessionsDecoded / alone.Turns:0.00} alone (a turn reads its session at most twice: the answer request, unless its process wrote the session last, and the worker's take; a value read is decoded only when it is not the one the process last wrote or read)");
        Line($"cores in use under load:    host {hostCores:0.00}, Redis {redisCpu / seconds:0.00}, of the machine's {Environment.ProcessorCount} (CPU time / wall time of the loaded phase)");
        Line($"  garbage collection:       host paused {pausedPercent:0} % of the time, {Collected(load)}; {load.AllocatedBytes / 1024.0 / totalTurns:0} KB allocated per turn");
        Line($"  worker's takes:           {load.Takes}, of which {load.TakesFillingEveryPlace} ({placeBoundPercent:0} %) took a job for every free place (so more may have waited for a place)");
        Line($"host peak RSS:              {load.PeakRssBytes / 1048576.0:0} MB under this load (VmHWM of the largest host process, {settings.Candidates / settings.Hosts} candidates per process); {openPeak / 1048576.0:0} MB with {openSessions} sessions open at once ({(settings.Candidates >= MemoryTargetSessions ? "this load" : "in a fresh host process against the same Redis")})");
        Line($"redis round trips per turn: answer request {sent.Request:0.00} ({sent.RequestDetail}); judging worker {sent.Worker:0.00} ({sent.WorkerDetail})");
        Line($"                            alone: answer request {sentAlone.Request:0.00} ({sentAlone.RequestDetail}), judging worker {sentAlone.Worker:0.00} ({sentAlone.WorkerDetail})");
        Line($"                            (commands the host sent, counted at the client; worker = taking announced jobs + its work on each job; its timed sweeps apart: {sent.SweepsPerSecond(seconds):0.0} commands/s)");
        Line($"redis commands per turn:    {commandsPerTurn:0.00} executed, counting those inside scripts ({string.Join(", ", commands.OrderByDescending(c => c.Value.Calls).Take(6).Select(c => $"{c.Key} {c.Value.Calls / (double)totalTurns:0.00}"))})");
        Line($"redis CPU per turn:         {redisCpuPerTurnUs:0} µs (used_cpu_sys + used_cpu_user of the primaries over the loaded phase / turns)");
        var inScripts = commands.GetValueOrDefault("evalsha").Microseconds + commands.GetValueOrDefault("eval").Microseconds;
        Line($"  of which in commands:     scripts {inScripts / (double)totalTurns:0} µs (the commands they ran included: {string.Join(", ", commands.Where(c => c.Key is not ("evalsha" or "eval")).OrderByDescending(c => c.Value.Microseconds).Take(5).Select(c => $"{c.Key} {c.Value.Microseconds / (double)totalTurns:0.0}"))}); the rest of the CPU is reading and answering connections, the AOF and replication");
        Line($"bytes per active session:   {activeBytes.Total:0} at its largest (all keys of the candidate, read after every judged answer of a full interview)");
        Line($"  of which:                 session value {activeBytes.Value:0} and feedback waiting to be posted {activeBytes.Waiting:0} (stored lengths), other keys {activeBytes.OtherKeys:0}; the rest is Redis's own per-field overhead and allocation rounding");
        Line($"bytes kept per candidate:   {retainedBytes:0} (after the interview: history, seen questions, event marks)");
        Line($"redis-benchmark GET / SET:  {getRps:0} / {setRps:0} requests per second (same server, same run)");
        Line($"share of redis ceiling:     {commandsPerSecond / ceiling:P1} ({commandsPerSecond:0} of our commands/s, inside scripts counted / mean of GET and SET rps)");
        if (failover is not null)
        {
            PrintFailover(failover, load);
        }

        Console.WriteLine();
        Console.WriteLine("targets (issue 16)                        measured    target");
        Target("round trips per turn, answer request", sent.Request, 2, "0.00", string.Empty, "build item 1; the targets say ≤ 3 per turn");
        Target("round trips per turn, judging worker", sent.Worker, 2, "0.00", string.Empty, "build item 1");
        Target("commands per turn", commandsPerTurn, 15, "0.00", string.Empty);
        Target("bytes per session at its largest", activeBytes.Total / 1024, 4, "0.00", " KB");
        Target("job pickup p99 under load", Percentile(pickups, 0.99), 50, "0.0", " ms", $"{settings.Candidates / settings.Hosts} candidates a host answering at once: {placeBoundPercent:0} % of takes filled every free place, host on {hostCores:0.0} of {Environment.ProcessorCount} cores, {pausedPercent:0} % paused");
        Target(string.Create(CultureInfo.InvariantCulture, $"job pickup p99, paced at {paced.TurnsPerSecond:0}/s"), Percentile(paced.Pickups, 0.99), 50, "0.0", " ms");
        Target("host overhead alone p99", Percentile(alone.Overheads, 0.99), SlowTurnMs, "0.00", " ms");
        Target("redis CPU per turn", redisCpuPerTurnUs, 100, "0", " µs");
        Target(string.Create(CultureInfo.InvariantCulture, $"host peak RSS, {openSessions} sessions open"), openPeak / 1048576.0, 300, "0", " MB");
        Target("feedback doubled or for no answer", doubledOrUnasked, 0, "0", string.Empty);
        Target("acknowledged answers lost", lost, 0, "0", string.Empty, failover is null ? null : "a kill -9 may lose what the replica had not received");
        Target("answers never judged or posted", stuck, 0, "0", string.Empty);
        return doubledOrUnasked + stuck == 0 && (lost == 0 || failover?.Kind == FailoverKind.Kill) ? 0 : 1;
    }

    /// <summary>
    /// The loaded phase: <see cref="BenchmarkSettings.Hosts"/> host processes (this one and replicas it starts)
    /// serve their shares of the candidates at once; Redis is read before and after. With a failover, a primary
    /// serving some of this host's candidates fails once they have answered a few times each.
    /// </summary>
    private static async Task<LoadPhase> RunLoadPhaseAsync(BenchmarkSettings settings, MeasuredRedis redis, HostBus? bus, BenchmarkHost host, FailoverKind failover)
    {
        await using var replicas = new Replicas([.. Enumerable.Range(1, settings.Hosts - 1).Select(index => Replica.Start(settings, new ReplicaSettings(index, redis.Configuration, bus!.Endpoint)))]);
        for (var index = 1; index < settings.Hosts; index++)
        {
            await replicas[index - 1].WaitForAsync(bus!, Signal(settings, "ready", index), TimeSpan.FromMinutes(1));
        }

        await redis.ResetStatsAsync();
        var redisCpuBefore = await redis.CpuSecondsAsync();
        host.BeginPhase();
        using var stop = new CancellationTokenSource();
        if (bus is not null)
        {
            await bus.SendAsync(Signal(settings, "go"));
        }

        var clock = Stopwatch.StartNew();
        var worker = host.RunWorkerAsync("w", settings.InFlight, stop.Token);
        var candidates = host.OwnCandidates(settings).ToList();
        var running = Task.WhenAll(candidates.Select(c => host.RunCandidateAsync(c)));
        var failing = failover == FailoverKind.None ? null : FailAPrimaryAsync(redis, failover, host, candidates, running);
        var turns = await running;
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
        await worker;
        host.EndPhase();
        host.Record.Turns = turns.Sum();
        List<HostRecord> records = [host.Record, .. await Task.WhenAll(replicas.Select(r => r.RecordAsync()))];
        var failed = failing is null ? null : await failing;
        await redis.RefreshTopologyAsync();
        var redisCpu = await redis.CpuSecondsSinceAsync(redisCpuBefore);
        return new LoadPhase(records, clock.Elapsed.TotalSeconds, await redis.CommandCallsAsync(), redisCpu, failed);
    }

    /// <summary>
    /// Once the candidates have answered three times each on average, fails the primary serving the first
    /// candidate's shard: kill -9 (its replica is promoted when the others notice) or <c>CLUSTER FAILOVER</c> on its
    /// replica. Returns when and how, with the shards that primary served.
    /// </summary>
    private static async Task<Failover?> FailAPrimaryAsync(MeasuredRedis redis, FailoverKind kind, BenchmarkHost host, List<string> candidates, Task running)
    {
        var cluster = redis.Cluster ?? throw new InvalidOperationException("A failover needs the cluster this run started.");
        while (host.Record.Accepted < candidates.Count * 3)
        {
            if (running.IsCompleted)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }

        var options = new RedisOptions();
        var keys = new RedisKeys(options.KeyPrefix, options.Shards);
        var primary = await cluster.PrimaryOwningAsync(keys.Session(candidates[0]));
        var shards = new List<int>();
        for (var shard = 0; shard < keys.Shards; shard++)
        {
            if ((await cluster.PrimaryOwningAsync(keys.Jobs(shard))).Port == primary.Port)
            {
                shards.Add(shard);
            }
        }

        var started = Stopwatch.GetTimestamp();
        var acceptedBefore = host.Record.Accepted;
        var promoted = kind == FailoverKind.Kill
            ? await cluster.WaitForPromotionAsync(await cluster.KillPrimaryOwningAsync(keys.Session(candidates[0])))
            : await cluster.FailoverAsync(keys.Session(candidates[0]));
        var done = Stopwatch.GetTimestamp();
        var affected = candidates.Count(c => shards.Contains(keys.ShardOf(c)));
        return new Failover(kind, primary.Port, promoted.Port, shards, affected, acceptedBefore, started, done);
    }

    private static void PrintFailover(Failover failover, HostRecord load)
    {
        double After(long at) => Stopwatch.GetElapsedTime(failover.StartedAt, at).TotalSeconds;
        var failures = load.RequestFailedAt.Where(at => at >= failover.StartedAt).Order().ToList();
        var workerFailures = load.WorkerLoggedAt.Where(at => at >= failover.StartedAt).Order().ToList();
        var acceptSlowest = load.AcceptMs.Values.DefaultIfEmpty(0).Max();
        Console.WriteLine();
        Line($"failover:                   {(failover.Kind == FailoverKind.Kill ? "kill -9 of" : "CLUSTER FAILOVER of")} the primary on port {failover.PrimaryPort} (shards {string.Join(",", failover.Shards)} of 8, {failover.AffectedCandidates} candidates of host 0) after {failover.AcceptedBefore} answers; its replica on port {failover.PromotedPort} served its slots {After(failover.DoneAt):0.00} s later");
        Line($"  bot could not write:      answer requests {(failures.Count == 0 ? "never failed" : $"failed from +{After(failures[0]):0.00} s to +{After(failures[^1]):0.00} s after the failover began")}, slowest accepted {acceptSlowest / 1000:0.00} s after its first attempt (retries included);");
        Line($"                            the worker {(workerFailures.Count == 0 ? "logged no failure" : $"logged failures from +{After(workerFailures[0]):0.00} s to +{After(workerFailures[^1]):0.00} s")}, slowest save {load.SlowestSaveMs() / 1000:0.00} s (judge returned -> post called)");
        Line($"  answer requests retried:  {load.Retries} ({(load.RequestFailures.IsEmpty ? "none failed" : string.Join(", ", load.RequestFailures.Select(f => $"{f.Key} {f.Value}")))}), as a platform redelivers an event with the same id");
        Line($"  acknowledged but lost:    {load.GaveUp.Values.Count(v => v.StartsWith("lost", StringComparison.Ordinal))} (accepted, no feedback within {BenchmarkSettings.FeedbackDeadline.TotalSeconds:0} s, and not in the session); given up on: {(load.GaveUp.IsEmpty ? "none" : string.Join(", ", load.GaveUp.Values.GroupBy(v => v, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")))}");
        Line($"  feedback doubled:         {load.Deliveries.Count(d => d.Value > 1)}");
        Line($"  judging worker logged:    {(load.WorkerLog.IsEmpty ? "no warnings" : string.Join(", ", load.WorkerLog.Select(w => $"{w.Key} {w.Value}")))}");
        Console.WriteLine("                            (commands and Redis CPU above include the promoted replica's replication work before its promotion, and lose the failed primary's)");
    }

    /// <summary>Commands the hosts sent per turn, by path, with the commands behind each figure.</summary>
    private static Sent PerTurn(Dictionary<RedisPath, Dictionary<string, long>> commands, int turns)
    {
        Dictionary<string, long> Of(params RedisPath[] paths) =>
            paths.SelectMany(path => commands.GetValueOrDefault(path) ?? []).GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal);
        string Detail(Dictionary<string, long> counts) =>
            counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value / (double)Math.Max(1, turns):0.00}")));
        var request = Of(RedisPath.Request);
        var requestThread = Of(RedisPath.RequestThread);
        var take = Of(RedisPath.Take);
        var work = Of(RedisPath.Worker);
        var workThread = Of(RedisPath.WorkerThread);
        var perTurn = Math.Max(1, turns);
        return new Sent(
            (request.Values.Sum() + requestThread.Values.Sum()) / (double)perTurn,
            $"session: {Detail(request)}; thread: {Detail(requestThread)}",
            (take.Values.Sum() + work.Values.Sum() + workThread.Values.Sum()) / (double)perTurn,
            $"takes: {Detail(take)}; jobs: {Detail(work)}; thread: {Detail(workThread)}",
            Of(RedisPath.Sweep).Values.Sum());
    }

    private sealed record Sent(double Request, string RequestDetail, double Worker, string WorkerDetail, long Sweeps)
    {
        public double SweepsPerSecond(double seconds) => Sweeps / seconds;
    }

    private sealed record Failover(FailoverKind Kind, int PrimaryPort, int PromotedPort, List<int> Shards, int AffectedCandidates, int AcceptedBefore, long StartedAt, long DoneAt);

    private sealed record Alone(HostRecord Record, (int Slow, int Collected, int Compiled, int Neither) SlowTurns)
    {
        public int Turns => Record.Turns;

        public List<double> Overheads { get; } = Record.Overheads();

        public List<double> WorkerShare { get; } = Record.WorkerOverheads();
    }

    private static string Step(List<double> sorted) =>
        string.Create(CultureInfo.InvariantCulture, $"{Percentile(sorted, 0.50):0.00} / {Percentile(sorted, 0.99):0.00} ms");

    /// <summary>The collections by generation while one candidate was alone, their pauses, and the bytes allocated per turn.</summary>
    private static string Collected(HostRecord record) => $"{record.Collections.Sum()} collections (gen0/1/2: {string.Join("/", record.Collections)})";

    /// <summary>A signal between the host processes of one phase (each phase has its own).</summary>
    private static string Signal(BenchmarkSettings phase, string what, int? host = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{phase.Hosts}:{what}{(host is { } index ? $":{index}" : string.Empty)}");

    private sealed record LoadPhase(List<HostRecord> Records, double Seconds, Dictionary<string, CommandStat> Commands, double RedisCpu, Failover? Failover)
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

    /// <summary>The fresh host process of <see cref="OpenSessionsInFreshHostAsync"/>: opens the sessions and reports its peak memory.</summary>
    private static async Task<int> OpenSessionsForTheRunAsync(BenchmarkSettings settings, string redisConfiguration)
    {
        await using var redis = await MeasuredRedis.AttachAsync(redisConfiguration);
        await using var host = await BenchmarkHost.StartAsync(redis, 0, settings.JudgeLatency, bus: null, countCommands: false);
        var (sessions, _, peak) = await OpenSessionsAsync(host, settings.Candidates, settings);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{OpenSessionsReport} {sessions} {peak}"));
        return 0;
    }

    private static async Task<(int Sessions, long PeakRssBytes)> OpenSessionsInFreshHostAsync(BenchmarkSettings settings, string redisConfiguration)
    {
        using var process = Process.Start(ThisProgram(settings.OpenSessionsArguments(MemoryTargetSessions, redisConfiguration)))
            ?? throw new InvalidOperationException("The host process that opens the sessions did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5), TimeProvider.System);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var report = (await output).Split('\n').Select(line => line.Trim().Split(' ')).LastOrDefault(words => words is [OpenSessionsReport, _, _]);
        return process.ExitCode == 0 && report is not null
            ? (int.Parse(report[1], CultureInfo.InvariantCulture), long.Parse(report[2], CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"The host process that opens the sessions exited with code {process.ExitCode}: {await errors}");
    }

    /// <summary>This same program in another process, with <paramref name="arguments"/>.</summary>
    private static ProcessStartInfo ThisProgram(IEnumerable<string> arguments)
    {
        var program = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(program) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LoadBenchmark).Assembly.Location);
        }

        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>
    /// Every candidate starts and answers once, all at once, so that many sessions are open together (none ends)
    /// with their requests and judging in flight; the host's peak memory (over its whole life) is read after.
    /// </summary>
    private static async Task<(int Sessions, double Seconds, long PeakRssBytes)> OpenSessionsAsync(BenchmarkHost host, int sessions, BenchmarkSettings settings)
    {
        host.BeginPhase();
        using var stop = new CancellationTokenSource();
        var worker = host.RunWorkerAsync("open", settings.InFlight, stop.Token);
        var clock = Stopwatch.StartNew();
        var turns = await Task.WhenAll(Enumerable.Range(0, sessions).Select(n => host.RunCandidateAsync(host.CandidateName("open", n), turnLimit: 1)));
        clock.Stop();
        await stop.CancelAsync();
        await worker;
        host.EndPhase();
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
        await WarmUpAsync(host, string.Create(CultureInfo.InvariantCulture, $"warm{settings.Hosts}"), 5, settings);
        await Console.Error.WriteLineAsync("replica warmed up");
        await bus.SendAsync(Signal(settings, "ready", replica.Index));
        await bus.WaitAsync(Signal(settings, "go"), TimeSpan.FromMinutes(3));

        host.BeginPhase();
        using var stop = new CancellationTokenSource();
        var worker = host.RunWorkerAsync("w", settings.InFlight, stop.Token);
        var turns = await Task.WhenAll(host.OwnCandidates(settings).Select(c => host.RunCandidateAsync(c)));
        await bus.SendAsync(Signal(settings, "done", replica.Index));
        await bus.WaitAsync(Signal(settings, "stop"), ReplicaTimeout);
        await stop.CancelAsync();
        await worker;
        host.EndPhase();
        host.Record.Turns = turns.Sum();
        Console.WriteLine(host.Record.ToLine());
        return 0;
    }

    /// <summary>
    /// One candidate at a time with the server to itself: the host's own latency per turn, without queueing behind
    /// others, as a host that has served interviews for a while has it.
    /// </summary>
    private static async Task<Alone> MeasureAloneAsync(BenchmarkHost host, BenchmarkSettings settings)
    {
        // As a host that has run a while has it: the scorecard's code runs once an interview, so it takes about a
        // hundred interviews before the JIT has recompiled it with its profile (ten at a time keep that short), and
        // the path of a worker that takes one job at a time is compiled again only after some interviews alone.
        // Code on timers (the worker's sweep and the completions' timer, the Redis client's heartbeat and keep-alive)
        // runs once a second or so, and is recompiled only after a minute or more: interviews one at a time go on
        // until the host has run that long, or its first minute would be measured as if it were every minute.
        var warming = TimeProvider.System.GetTimestamp();
        await WarmUpAsync(host, "alone-warm", 100, settings, together: 10);
        for (var round = 0; round == 0 || TimeProvider.System.GetElapsedTime(warming) < TimersWarm; round++)
        {
            await WarmUpAsync(host, $"alone-warm-one-{round}", 40, settings);
        }

        host.BeginPhase();
        using var stop = new CancellationTokenSource();
        var worker = host.RunWorkerAsync("alone", settings.InFlight, stop.Token);
        var turns = 0;

        // 1,000 turns, so the p99 is the tenth slowest: a pause that comes once (a path compiled the first time it
        // is taken) does not decide it alone.
        for (var i = 0; i < AloneCandidates; i++)
        {
            turns += await host.RunCandidateAsync(host.CandidateName("alone", i));
        }

        await stop.CancelAsync();
        await worker;
        host.EndPhase();
        host.Record.Turns = turns;
        return new Alone(host.Record, host.Record.SlowTurns(SlowTurnMs));
    }

    private static async Task WarmUpAsync(BenchmarkHost host, string prefix, int candidates, BenchmarkSettings settings, int together = 1)
    {
        host.BeginPhase();
        using var stop = new CancellationTokenSource();
        var worker = host.RunWorkerAsync(prefix, settings.InFlight, stop.Token);
        for (var first = 0; first < candidates; first += together)
        {
            await Task.WhenAll(Enumerable.Range(first, Math.Min(together, candidates - first)).Select(i => host.RunCandidateAsync(host.CandidateName(prefix, i))));
        }

        await stop.CancelAsync();
        await worker;
    }

    /// <summary>
    /// The same candidates as the loaded phase, but at most <see cref="BenchmarkSettings.PacedAnswering"/> of them
    /// between sending an answer and reading its feedback at any moment; the others wait their turn, as people
    /// reading feedback do. The offered load stays below what the machine can serve, so the pickup measures the queue
    /// rather than a wait for a free core.
    /// </summary>
    private static async Task<(List<double> Pickups, double TurnsPerSecond)> RunPacedPhaseAsync(BenchmarkHost host, BenchmarkSettings settings)
    {
        host.BeginPhase();
        using var stop = new CancellationTokenSource();
        using var answering = new SemaphoreSlim(settings.PacedAnswering);
        var worker = host.RunWorkerAsync("paced", settings.InFlight, stop.Token);
        var clock = Stopwatch.StartNew();
        var turns = await Task.WhenAll(Enumerable.Range(0, settings.Candidates).Select(async n =>
        {
            // Held from the answer to its feedback: the hook runs after each feedback but the last (and once after the start).
            var holding = false;
            try
            {
                return await host.RunCandidateAsync(host.CandidateName("paced", n), afterFeedback: async _ =>
                {
                    if (holding)
                    {
                        answering.Release();
                    }

                    await answering.WaitAsync();
                    holding = true;
                });
            }
            finally
            {
                if (holding)
                {
                    answering.Release();
                }
            }
        }));
        clock.Stop();
        await stop.CancelAsync();
        await worker;
        host.EndPhase();
        return (host.Record.Pickups(), turns.Sum() / clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// A session grows with each turn, so its size is read after every judged answer of a whole interview and the
    /// largest is kept; read at the start, it would show the smallest the session ever is.
    /// </summary>
    private static async Task<(SessionBytes Active, double Retained)> MeasureBytesAsync(MeasuredRedis redis, BenchmarkHost host, BenchmarkSettings settings)
    {
        const int sample = 20;
        host.BeginPhase();
        using var stop = new CancellationTokenSource();
        var worker = host.RunWorkerAsync("bytes-worker", settings.InFlight, stop.Token);
        var sum = default(SessionBytes);
        for (var i = 0; i < sample; i++)
        {
            var candidate = host.CandidateName("bytes", i);
            var largest = default(SessionBytes);
            await host.RunCandidateAsync(candidate, afterFeedback: async key =>
            {
                // The post comes before the job's completion drops the pending delivery: read once it has.
                if (key is not null)
                {
                    await Poll.UntilAsync(() => Task.FromResult(host.Record.CompleteMs.ContainsKey(key)), $"the worker to complete the job of {key}", TimeSpan.FromSeconds(30));
                }

                var now = await CandidateBytesAsync(redis, candidate);
                largest = now.Total > largest.Total ? now : largest;
            });
            sum += largest;
        }

        await stop.CancelAsync();
        await worker;
        var retained = await KeyBytesAsync(redis, "cand");
        return (sum / sample, retained.Total / Math.Max(1, retained.Candidates));
    }

    /// <summary>
    /// A candidate's keys at one moment, by <c>MEMORY USAGE</c> in all, with what the session hash holds by stored
    /// length: the session's value and the feedback waiting to be posted (its <c>d:</c> fields).
    /// </summary>
    private readonly record struct SessionBytes(double Total, double Value, double Waiting, double OtherKeys)
    {
        public static SessionBytes operator +(SessionBytes left, SessionBytes right) =>
            new(left.Total + right.Total, left.Value + right.Value, left.Waiting + right.Waiting, left.OtherKeys + right.OtherKeys);

        public static SessionBytes operator /(SessionBytes bytes, int count) =>
            new(bytes.Total / count, bytes.Value / count, bytes.Waiting / count, bytes.OtherKeys / count);
    }

    private static async Task<SessionBytes> CandidateBytesAsync(MeasuredRedis redis, string candidate)
    {
        double total = 0, value = 0, waiting = 0, others = 0;
        foreach (var key in await redis.KeysAsync($"*:{candidate}"))
        {
            var bytes = await redis.MemoryUsageAsync(key);
            total += bytes;
            if (!key.Contains(":session:", StringComparison.Ordinal))
            {
                others += bytes;
                continue;
            }

            foreach (var (field, length) in await redis.HashFieldLengthsAsync(key))
            {
                if (field == "data")
                {
                    value += length;
                }
                else if (field.StartsWith("d:", StringComparison.Ordinal))
                {
                    waiting += length;
                }
            }
        }

        return new SessionBytes(total, value, waiting, others);
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

        public static Replica Start(BenchmarkSettings settings, ReplicaSettings replica) =>
            new(Process.Start(ThisProgram(settings.ReplicaArguments(replica))) ?? throw new InvalidOperationException("A replica host did not start."));

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
