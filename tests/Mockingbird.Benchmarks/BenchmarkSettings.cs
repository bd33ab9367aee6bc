using System.Globalization;

namespace Mockingbird.Benchmarks;

/// <summary>How the measured Redis is made to lose a primary during the loaded phase (on a cluster only).</summary>
public enum FailoverKind
{
    None,

    /// <summary>kill -9 of the primary serving some candidates' shard: its replica is promoted without having caught up.</summary>
    Kill,

    /// <summary><c>CLUSTER FAILOVER</c> on that primary's replica: the two swap roles once the replica has caught up.</summary>
    Manual,
}

/// <param name="Candidates">Simulated candidates, all interviewing at once (shared between the host processes).</param>
/// <param name="JudgeLatency">How long the stub judge takes per answer (its time is excluded from the host overhead).</param>
/// <param name="InFlight">Jobs the judging worker of each host process judges at once, as the bot's <c>Judging:MaxInFlight</c>.</param>
/// <param name="Hosts">Host processes against the same Redis, as replicas of the bot run (1 to 3).</param>
/// <param name="RssOnly">Only open <paramref name="Candidates"/> sessions at once and read the host's peak memory.</param>
/// <param name="Cluster">Run against a Redis Cluster on loopback (3 primaries, 3 replicas) instead of one server.</param>
/// <param name="Failover">Make a primary fail during the loaded phase (with <paramref name="Cluster"/>).</param>
/// <param name="PacedAnswering">How many of the paced phase's candidates may be waiting on an answer at once.</param>
/// <param name="Replica">Set in a replica the benchmark started itself: which one it is and where to find the run.</param>
/// <param name="AttachTo">
/// Set (with <paramref name="RssOnly"/>) in the fresh host process a full run starts to open its sessions: the run's
/// Redis, which this process uses instead of starting its own.
/// </param>
public sealed record BenchmarkSettings(
    int Candidates,
    TimeSpan JudgeLatency,
    int InFlight,
    int Hosts = 1,
    bool RssOnly = false,
    bool Cluster = false,
    FailoverKind Failover = FailoverKind.None,
    int PacedAnswering = 8,
    ReplicaSettings? Replica = null,
    string? AttachTo = null)
{
    /// <summary>Not in the usage text: only the benchmark starts a process attached to its Redis.</summary>
    public const string AttachOption = "--attach";

    /// <summary>The bot's default sweep (<c>Judging:Sweep</c>): reclaims jobs of dead workers and finds unannounced ones.</summary>
    public static readonly TimeSpan Sweep = TimeSpan.FromSeconds(1);

    /// <summary>The bot's default drain (<c>Judging:DrainOnStop</c>): a worker stopped between phases finishes the jobs it holds.</summary>
    public static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(7);

    /// <summary>
    /// How long a candidate waits for one answer's feedback before giving up on it. Generous: a job whose worker
    /// failed mid-failover is retried only after the store's reclaim timeout (60 s by default) and the next sweep.
    /// </summary>
    public static readonly TimeSpan FeedbackDeadline = TimeSpan.FromSeconds(150);

    private const string Usage = "Options: --candidates N --judge-ms N --in-flight N --hosts 1-3 --rss-only --cluster --failover kill|manual --paced-answering N";

    public static BenchmarkSettings Parse(string[] args)
    {
        var settings = new BenchmarkSettings(1000, TimeSpan.FromMilliseconds(50), 256);
        var candidatesGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--rss-only" or "--cluster")
            {
                settings = args[i] == "--cluster" ? settings with { Cluster = true } : settings with { RssOnly = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option {args[i]} needs a value. {Usage}");
            }

            var text = args[++i];
            settings = args[i - 1] switch
            {
                "--candidates" => settings with { Candidates = Number(text) },
                "--judge-ms" => settings with { JudgeLatency = TimeSpan.FromMilliseconds(Number(text)) },
                "--paced-answering" => settings with { PacedAnswering = Number(text) is >= 1 and var answering ? answering : throw new ArgumentException($"--paced-answering takes 1 or more. {Usage}") },
                "--in-flight" => settings with { InFlight = Number(text) is >= 1 and var inFlight ? inFlight : throw new ArgumentException($"--in-flight takes 1 or more. {Usage}") },
                "--hosts" => settings with { Hosts = Number(text) is >= 1 and <= 3 and var hosts ? hosts : throw new ArgumentException($"--hosts takes 1, 2 or 3. {Usage}") },
                "--failover" => settings with
                {
                    Failover = text switch
                    {
                        "kill" => FailoverKind.Kill,
                        "manual" => FailoverKind.Manual,
                        _ => throw new ArgumentException($"--failover takes kill or manual. {Usage}"),
                    },
                },
                ReplicaSettings.Option => settings with { Replica = ReplicaSettings.Parse(text) },
                AttachOption => settings with { AttachTo = text },
                _ => throw new ArgumentException($"Unknown option {args[i - 1]}. {Usage}"),
            };
            candidatesGiven |= args[i - 1] == "--candidates";
        }

        if (settings.Failover != FailoverKind.None && !settings.Cluster)
        {
            throw new ArgumentException($"--failover needs --cluster: a single server has no replica to promote. {Usage}");
        }

        // The memory target is set at 10,000 candidates at once.
        return settings.RssOnly && !candidatesGiven ? settings with { Candidates = 10_000 } : settings;
    }

    /// <summary>The arguments a replica is started with: the same settings, and where the run's servers are.</summary>
    public IEnumerable<string> ReplicaArguments(ReplicaSettings replica) =>
        [.. HostArguments(Candidates), "--hosts", Text(Hosts), ReplicaSettings.Option, replica.Format()];

    /// <summary>The arguments of the fresh host process that opens <paramref name="sessions"/> sessions against the run's Redis.</summary>
    public IEnumerable<string> OpenSessionsArguments(int sessions, string redis) =>
        ["--rss-only", .. HostArguments(sessions), AttachOption, redis];

    /// <summary>What every host process this run starts shares with it: its candidates, judge latency and places.</summary>
    private string[] HostArguments(int candidates) =>
        ["--candidates", Text(candidates), "--judge-ms", Text((int)JudgeLatency.TotalMilliseconds), "--in-flight", Text(InFlight)];

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A replica's place in the run: its index among the hosts, the measured Redis and the bookkeeping server.</summary>
public sealed record ReplicaSettings(int Index, string Redis, string Bookkeeping)
{
    /// <summary>Not in the usage text: only the benchmark starts replicas.</summary>
    public const string Option = "--replica";

    public static ReplicaSettings Parse(string text)
    {
        var parts = text.Split('|');
        return new ReplicaSettings(int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], parts[2]);
    }

    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{Index}|{Redis}|{Bookkeeping}");
}
