using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Mockingbird.Benchmarks;

/// <summary>
/// What one host process saw during a phase, by delivery key (session and turn): when its candidates' answers were
/// queued, when its worker took each job, called and heard back from the stub judge, saved and completed, every
/// delivery it posted, the commands it sent Redis, and what went wrong. Replicas hand theirs to the parent on
/// standard output, so the bookkeeping never touches the Redis being measured. Times are <see cref="Stopwatch"/>
/// timestamps, shared by the machine's processes.
/// </summary>
public sealed class HostRecord
{
    private const string Marker = "host-record:";

    private int _postedForOtherHosts;
    private int _accepted;
    private int _retries;
    private int _takes;
    private int _takesFillingEveryPlace;

    /// <summary>Wall time of the answer request that was accepted (its last attempt).</summary>
    public ConcurrentDictionary<string, double> RequestMs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>From the first attempt of an answer request to its acceptance, retries after failures included.</summary>
    public ConcurrentDictionary<string, double> AcceptMs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the answer request returned with the job queued.</summary>
    public ConcurrentDictionary<string, long> QueuedAt { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the worker's take (announced or sweep) returned the job, first time.</summary>
    public ConcurrentDictionary<string, long> TakenAt { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the stub judge was first called for the turn.</summary>
    public ConcurrentDictionary<string, long> JudgeCalledAt { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the stub judge first returned for the turn.</summary>
    public ConcurrentDictionary<string, long> JudgeReturnedAt { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the worker first called the platform to post the turn's feedback (the judgement was saved just before).</summary>
    public ConcurrentDictionary<string, long> DeliverCalledAt { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Garbage collections and methods compiled while the answer request ran.</summary>
    public ConcurrentDictionary<string, RuntimeWork> RuntimeDuringRequest { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The process's garbage collections and compiled methods so far, when the stub judge first returned for the turn.</summary>
    public ConcurrentDictionary<string, RuntimeWork> RuntimeAtJudgeReturned { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The same, when the worker first called the platform to post the turn's feedback.</summary>
    public ConcurrentDictionary<string, RuntimeWork> RuntimeAtDeliverCalled { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Wall time of the worker's completion (acknowledging the job) after the post.</summary>
    public ConcurrentDictionary<string, double> CompleteMs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>From the answer request returning to its feedback reaching the candidate: what the candidate waits.</summary>
    public ConcurrentDictionary<string, double> FeedbackMs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Times each delivery key was posted by this process.</summary>
    public ConcurrentDictionary<string, int> Deliveries { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Turns a candidate gave up on (no feedback by the deadline), by candidate and answer, with what the session showed then.</summary>
    public ConcurrentDictionary<string, string> GaveUp { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Delivery keys of turns given up on that the session holds, so a late post is recognised.</summary>
    public ConcurrentDictionary<string, byte> GaveUpKeys { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Failed answer requests (each retried), by exception type.</summary>
    public ConcurrentDictionary<string, int> RequestFailures { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When each failed answer request failed.</summary>
    public ConcurrentQueue<long> RequestFailedAt { get; init; } = new();

    /// <summary>Warnings and errors the judging worker logged, by event name.</summary>
    public ConcurrentDictionary<string, int> WorkerLog { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the judging worker logged each warning or error.</summary>
    public ConcurrentQueue<long> WorkerLoggedAt { get; init; } = new();

    /// <summary>Commands this process sent Redis, by path and command name (counted at the client).</summary>
    public Dictionary<RedisPath, Dictionary<string, long>> Commands { get; set; } = [];

    public int Turns { get; set; }

    /// <summary>Answers whose request was accepted (or found already applied when retried).</summary>
    public int Accepted { get => _accepted; set => _accepted = value; }

    /// <summary>Answer requests sent again after failing, as a platform redelivers an event it got no answer for.</summary>
    public int Retries { get => _retries; set => _retries = value; }

    /// <summary>Posts this process made for a candidate another process serves.</summary>
    public int PostedForOtherHosts { get => _postedForOtherHosts; set => _postedForOtherHosts = value; }

    public double CpuMs { get; set; }

    public long PeakRssBytes { get; set; }

    /// <summary>Time the process's threads were paused for garbage collection during the phase.</summary>
    public double CollectionPausedMs { get; set; }

    /// <summary>Garbage collections during the phase, by the oldest generation each collected (0, 1, 2).</summary>
    public int[] Collections { get; set; } = [0, 0, 0];

    public long AllocatedBytes { get; set; }

    /// <summary>Stored sessions the process decoded, as against found as it last wrote or read them.</summary>
    public long SessionsDecoded { get; set; }

    /// <summary>Takes of announced or swept jobs by the judging worker.</summary>
    public int Takes { get => _takes; set => _takes = value; }

    /// <summary>Takes that returned as many jobs as the worker had free places, so jobs may have been left waiting for a place.</summary>
    public int TakesFillingEveryPlace { get => _takesFillingEveryPlace; set => _takesFillingEveryPlace = value; }

    public void Delivered(string deliveryKey, bool forAnotherHost)
    {
        Deliveries.AddOrUpdate(deliveryKey, 1, (_, count) => count + 1);
        if (forAnotherHost)
        {
            Interlocked.Increment(ref _postedForOtherHosts);
        }
    }

    public void WorkerLogged(string name)
    {
        WorkerLoggedAt.Enqueue(Stopwatch.GetTimestamp());
        WorkerLog.AddOrUpdate(name, 1, (_, count) => count + 1);
    }

    /// <summary>From the judge returning to the post being called: the worker's save, the longest of them.</summary>
    public double SlowestSaveMs() =>
        JudgeReturnedAt.Where(j => DeliverCalledAt.ContainsKey(j.Key)).Select(j => Stopwatch.GetElapsedTime(j.Value, DeliverCalledAt[j.Key]).TotalMilliseconds).DefaultIfEmpty(0).Max();

    public void AnswerAccepted() => Interlocked.Increment(ref _accepted);

    public void Took(int jobs, int freePlaces)
    {
        Interlocked.Increment(ref _takes);
        if (jobs >= freePlaces)
        {
            Interlocked.Increment(ref _takesFillingEveryPlace);
        }
    }

    /// <param name="cause">The name of the exception that failed it (the one the chat layer logged, for an answer it did not record).</param>
    public void RequestFailed(string cause)
    {
        Interlocked.Increment(ref _retries);
        RequestFailedAt.Enqueue(Stopwatch.GetTimestamp());
        RequestFailures.AddOrUpdate(cause, 1, (_, count) => count + 1);
    }

    /// <summary>
    /// Host overhead per turn: the answer request, plus the worker's own share of its job: from the take returning
    /// to the judge being called, from the judge returning to the post being called (engine, JSON, the save and any lookup of the thread),
    /// and the completion after the post. The judge's time and the wait for a worker (pickup) are left out.
    /// </summary>
    public List<double> Overheads() =>
        [.. RequestMs.Where(r => WorkerOverheadMs(r.Key) is not null).Select(r => r.Value + WorkerOverheadMs(r.Key)!.Value).Order()];

    /// <summary>
    /// The turns whose host overhead exceeded <paramref name="overMs"/>, and how many of them had a garbage
    /// collection, or a method compiled by the JIT, fall inside their request or between the judge returning and the
    /// post (the worker's save): the process's own pauses, as against waits for the machine's cores.
    /// </summary>
    public (int Slow, int Collected, int Compiled, int Neither) SlowTurns(double overMs)
    {
        var slow = RequestMs.Keys.Where(key => RequestMs[key] + WorkerOverheadMs(key) > overMs).Select(Runtime).ToList();
        return (slow.Count, slow.Count(work => work.Collections > 0), slow.Count(work => work.Compiled > 0), slow.Count(work => work.Collections == 0 && work.Compiled == 0));

        RuntimeWork Runtime(string key) =>
            RuntimeDuringRequest.GetValueOrDefault(key)
            + (RuntimeAtDeliverCalled.TryGetValue(key, out var delivering) && RuntimeAtJudgeReturned.TryGetValue(key, out var returned) ? delivering - returned : default);
    }

    /// <summary>The worker's own share alone (see <see cref="Overheads"/>).</summary>
    public List<double> WorkerOverheads() =>
        [.. RequestMs.Keys.Select(WorkerOverheadMs).OfType<double>().Order()];

    /// <summary>
    /// The parts of the turns' host overhead, each sorted: the answer request; the worker from the take returning to
    /// the judge being called; from the judge returning to the post being called (engine, JSON, the save and any lookup of the thread); and the
    /// completion after the post.
    /// </summary>
    public (List<double> Request, List<double> TakeToJudge, List<double> JudgeToPost, List<double> Completion) OverheadParts()
    {
        var keys = RequestMs.Keys.Where(key => WorkerOverheadMs(key) is not null).ToList();
        return (
            [.. keys.Select(key => RequestMs[key]).Order()],
            [.. keys.Select(key => Stopwatch.GetElapsedTime(TakenAt[key], JudgeCalledAt[key]).TotalMilliseconds).Order()],
            [.. keys.Select(key => Stopwatch.GetElapsedTime(JudgeReturnedAt[key], DeliverCalledAt[key]).TotalMilliseconds).Order()],
            [.. keys.Select(key => CompleteMs[key]).Order()]);
    }

    /// <summary>How long each job held a place of the judging worker: from its take to its post being called.</summary>
    public List<double> PlaceHolds() =>
        [.. TakenAt.Where(t => DeliverCalledAt.ContainsKey(t.Key)).Select(t => Stopwatch.GetElapsedTime(t.Value, DeliverCalledAt[t.Key]).TotalMilliseconds)];

    /// <summary>From the answer request returning with its job queued to the judge being called for it.</summary>
    public List<double> Pickups() =>
        [.. QueuedAt.Where(q => JudgeCalledAt.ContainsKey(q.Key)).Select(q => Stopwatch.GetElapsedTime(q.Value, JudgeCalledAt[q.Key]).TotalMilliseconds).Order()];

    /// <summary>
    /// Every accepted answer against every post: posted ones reached their candidate in time; doubled ones were
    /// posted more than once; unasked ones answer no turn a candidate asked about; given-up ones are classified by
    /// what the session held when the candidate gave up (see <see cref="GaveUp"/>).
    /// </summary>
    public (int Accepted, int Posted, int Doubled, int Unasked, int LatePosts) DeliveryCheck()
    {
        var doubled = Deliveries.Count(d => d.Value > 1);
        var unasked = Deliveries.Keys.Count(key => !QueuedAt.ContainsKey(key) && !GaveUpKeys.ContainsKey(key));
        var late = Deliveries.Keys.Count(GaveUpKeys.ContainsKey);
        return (Accepted, QueuedAt.Count(q => Deliveries.ContainsKey(q.Key)), doubled, unasked, late);
    }

    public static HostRecord Merge(IReadOnlyList<HostRecord> records)
    {
        var merged = new HostRecord
        {
            Turns = records.Sum(r => r.Turns),
            Accepted = records.Sum(r => r.Accepted),
            Retries = records.Sum(r => r.Retries),
            PostedForOtherHosts = records.Sum(r => r.PostedForOtherHosts),
            CpuMs = records.Sum(r => r.CpuMs),
            PeakRssBytes = records.Max(r => r.PeakRssBytes),
            CollectionPausedMs = records.Sum(r => r.CollectionPausedMs),
            Collections = [.. Enumerable.Range(0, 3).Select(generation => records.Sum(r => r.Collections[generation]))],
            AllocatedBytes = records.Sum(r => r.AllocatedBytes),
            SessionsDecoded = records.Sum(r => r.SessionsDecoded),
            Takes = records.Sum(r => r.Takes),
            TakesFillingEveryPlace = records.Sum(r => r.TakesFillingEveryPlace),
        };
        foreach (var record in records)
        {
            Copy(record.RequestMs, merged.RequestMs);
            Copy(record.AcceptMs, merged.AcceptMs);
            Copy(record.QueuedAt, merged.QueuedAt);
            Copy(record.TakenAt, merged.TakenAt);
            Copy(record.JudgeCalledAt, merged.JudgeCalledAt);
            Copy(record.JudgeReturnedAt, merged.JudgeReturnedAt);
            Copy(record.DeliverCalledAt, merged.DeliverCalledAt);
            Copy(record.CompleteMs, merged.CompleteMs);
            Copy(record.FeedbackMs, merged.FeedbackMs);
            Copy(record.GaveUp, merged.GaveUp);
            Copy(record.GaveUpKeys, merged.GaveUpKeys);
            Sum(record.Deliveries, merged.Deliveries);
            Sum(record.RequestFailures, merged.RequestFailures);
            Sum(record.WorkerLog, merged.WorkerLog);
            foreach (var at in record.RequestFailedAt)
            {
                merged.RequestFailedAt.Enqueue(at);
            }

            foreach (var at in record.WorkerLoggedAt)
            {
                merged.WorkerLoggedAt.Enqueue(at);
            }

            foreach (var (path, counts) in record.Commands)
            {
                var into = merged.Commands.TryGetValue(path, out var existing) ? existing : merged.Commands[path] = new(StringComparer.Ordinal);
                foreach (var (command, count) in counts)
                {
                    into[command] = into.GetValueOrDefault(command) + count;
                }
            }
        }

        return merged;
    }

    /// <summary>The most memory this process has held at once (VmHWM), as the operating system counts it.</summary>
    public static long ReadPeakRssBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
    }

    public string ToLine() => Marker + JsonSerializer.Serialize(this);

    public static HostRecord FromOutput(string output) =>
        JsonSerializer.Deserialize<HostRecord>(output.Split('\n').Single(line => line.StartsWith(Marker, StringComparison.Ordinal))[Marker.Length..])
        ?? throw new InvalidOperationException("A replica's record was empty.");

    private double? WorkerOverheadMs(string key) =>
        TakenAt.TryGetValue(key, out var taken) && JudgeCalledAt.TryGetValue(key, out var called) && JudgeReturnedAt.TryGetValue(key, out var returned)
            && DeliverCalledAt.TryGetValue(key, out var delivering) && CompleteMs.TryGetValue(key, out var complete)
            ? Stopwatch.GetElapsedTime(taken, called).TotalMilliseconds + Stopwatch.GetElapsedTime(returned, delivering).TotalMilliseconds + complete
            : null;

    private static void Copy<T>(ConcurrentDictionary<string, T> from, ConcurrentDictionary<string, T> to)
    {
        foreach (var (key, value) in from)
        {
            to.TryAdd(key, value);
        }
    }

    private static void Sum(ConcurrentDictionary<string, int> from, ConcurrentDictionary<string, int> to)
    {
        foreach (var (key, count) in from)
        {
            to.AddOrUpdate(key, count, (_, existing) => existing + count);
        }
    }
}

/// <summary>Garbage collections (of any generation) and methods compiled by the JIT in the process, so far or between two readings.</summary>
public readonly record struct RuntimeWork(int Collections, long Compiled)
{
    public static RuntimeWork Now() => new(GC.CollectionCount(0), System.Runtime.JitInfo.GetCompiledMethodCount());

    public static RuntimeWork operator +(RuntimeWork left, RuntimeWork right) => new(left.Collections + right.Collections, left.Compiled + right.Compiled);

    public static RuntimeWork operator -(RuntimeWork left, RuntimeWork right) => new(left.Collections - right.Collections, left.Compiled - right.Compiled);
}

/// <summary>The process's CPU time, garbage collection pauses and collections by generation, and bytes allocated, so far or between two readings.</summary>
public readonly record struct ProcessWork(TimeSpan Cpu, TimeSpan Paused, int[] Collections, long Allocated)
{
    public static ProcessWork Now() => new(
        Process.GetCurrentProcess().TotalProcessorTime,
        GC.GetTotalPauseDuration(),
        [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)],
        GC.GetTotalAllocatedBytes(precise: true));

    /// <summary><see cref="GC.CollectionCount"/> counts a collection in every generation it collected; the difference keeps each under the oldest.</summary>
    public static ProcessWork operator -(ProcessWork later, ProcessWork earlier)
    {
        var counted = later.Collections.Zip(earlier.Collections, (after, before) => after - before).ToArray();
        return new(later.Cpu - earlier.Cpu, later.Paused - earlier.Paused, [counted[0] - counted[1], counted[1] - counted[2], counted[2]], later.Allocated - earlier.Allocated);
    }
}
