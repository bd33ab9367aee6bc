using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Mockingbird.Benchmarks;

/// <summary>
/// What one host process saw during a phase, by delivery key (session and turn): when its candidates' answers were
/// queued, when its stub judge was called, how long its workers took, and every delivery it posted. Replicas hand
/// theirs to the parent on standard output, so the bookkeeping never touches the Redis being measured.
/// </summary>
public sealed class HostRecord
{
    private const string Marker = "host-record:";

    /// <summary>Wall time of the answer request.</summary>
    private int _postedForOtherHosts;

    public ConcurrentDictionary<string, double> RequestMs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the answer request returned with the job queued (<see cref="Stopwatch"/> timestamp, shared by the machine's processes).</summary>
    public ConcurrentDictionary<string, long> QueuedAt { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the stub judge was first called for the turn.</summary>
    public ConcurrentDictionary<string, long> JudgeCalledAt { get; init; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, double> JudgeMs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Wall time of the judging worker's whole job, judge included.</summary>
    public ConcurrentDictionary<string, double> WorkerMs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Times each delivery key was posted by this process.</summary>
    public ConcurrentDictionary<string, int> Deliveries { get; init; } = new(StringComparer.Ordinal);

    public int Turns { get; set; }

    /// <summary>Posts this process made for a candidate another process serves.</summary>
    public int PostedForOtherHosts { get => _postedForOtherHosts; set => _postedForOtherHosts = value; }

    public double CpuMs { get; set; }

    public long PeakRssBytes { get; set; }

    public void Delivered(string deliveryKey, bool forAnotherHost)
    {
        Deliveries.AddOrUpdate(deliveryKey, 1, (_, count) => count + 1);
        if (forAnotherHost)
        {
            Interlocked.Increment(ref _postedForOtherHosts);
        }
    }

    /// <summary>Host overhead per turn: the answer request plus the worker's job without the judge's own time.</summary>
    public List<double> Overheads() =>
        [.. RequestMs.Select(r => r.Value + (WorkerMs.TryGetValue(r.Key, out var worker) ? worker - JudgeMs.GetValueOrDefault(r.Key) : 0)).Order()];

    /// <summary>From the answer request returning with its job queued to the judge being called for it.</summary>
    public List<double> Pickups() =>
        [.. QueuedAt.Where(q => JudgeCalledAt.ContainsKey(q.Key)).Select(q => Stopwatch.GetElapsedTime(q.Value, JudgeCalledAt[q.Key]).TotalMilliseconds).Order()];

    /// <summary>Every turn a candidate answered, against every post: lost ones were answered and never posted, doubled ones posted more than once.</summary>
    public (int Answered, int Lost, int Doubled, int Unasked) DeliveryCheck()
    {
        var lost = QueuedAt.Keys.Count(key => !Deliveries.ContainsKey(key));
        var doubled = Deliveries.Count(d => d.Value > 1);
        var unasked = Deliveries.Keys.Count(key => !QueuedAt.ContainsKey(key));
        return (QueuedAt.Count, lost, doubled, unasked);
    }

    public static HostRecord Merge(IReadOnlyList<HostRecord> records)
    {
        var merged = new HostRecord
        {
            Turns = records.Sum(r => r.Turns),
            PostedForOtherHosts = records.Sum(r => r.PostedForOtherHosts),
            CpuMs = records.Sum(r => r.CpuMs),
            PeakRssBytes = records.Max(r => r.PeakRssBytes),
        };
        foreach (var record in records)
        {
            Copy(record.RequestMs, merged.RequestMs);
            Copy(record.QueuedAt, merged.QueuedAt);
            Copy(record.JudgeCalledAt, merged.JudgeCalledAt);
            Copy(record.JudgeMs, merged.JudgeMs);
            Copy(record.WorkerMs, merged.WorkerMs);
            foreach (var (key, count) in record.Deliveries)
            {
                merged.Deliveries.AddOrUpdate(key, count, (_, existing) => existing + count);
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

    private static void Copy<T>(ConcurrentDictionary<string, T> from, ConcurrentDictionary<string, T> to)
    {
        foreach (var (key, value) in from)
        {
            to.TryAdd(key, value);
        }
    }
}
