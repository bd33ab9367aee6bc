using System.Globalization;

namespace Mockingbird.Benchmarks;

/// <param name="Candidates">Simulated candidates, all interviewing at once (shared between the host processes).</param>
/// <param name="JudgeLatency">How long the stub judge takes per answer (its time is excluded from the host overhead).</param>
/// <param name="Workers">Judging worker loops per host process.</param>
/// <param name="Batch">Jobs a worker takes per poll.</param>
/// <param name="Hosts">Host processes against the same Redis, as replicas of the bot run (1 to 3).</param>
/// <param name="RssOnly">Only open <paramref name="Candidates"/> sessions at once and read the host's peak memory.</param>
/// <param name="Replica">Set in a replica the benchmark started itself: which one it is and where to find the run.</param>
public sealed record BenchmarkSettings(int Candidates, TimeSpan JudgeLatency, int Workers, int Batch, int Hosts = 1, bool RssOnly = false, ReplicaSettings? Replica = null)
{
    private const string Usage = "Options: --candidates N --judge-ms N --workers N --batch N --hosts 1-3 --rss-only";

    public static BenchmarkSettings Parse(string[] args)
    {
        var settings = new BenchmarkSettings(1000, TimeSpan.FromMilliseconds(50), 4, 64);
        var candidatesGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rss-only")
            {
                settings = settings with { RssOnly = true };
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
                "--workers" => settings with { Workers = Number(text) },
                "--batch" => settings with { Batch = Number(text) },
                "--hosts" => settings with { Hosts = Number(text) is >= 1 and <= 3 and var hosts ? hosts : throw new ArgumentException($"--hosts takes 1, 2 or 3. {Usage}") },
                ReplicaSettings.Option => settings with { Replica = ReplicaSettings.Parse(text) },
                _ => throw new ArgumentException($"Unknown option {args[i - 1]}. {Usage}"),
            };
            candidatesGiven |= args[i - 1] == "--candidates";
        }

        // The memory target is set at 10,000 candidates at once.
        return settings.RssOnly && !candidatesGiven ? settings with { Candidates = 10_000 } : settings;
    }

    /// <summary>The arguments a replica is started with: the same settings, and where the run's servers are.</summary>
    public IEnumerable<string> ReplicaArguments(ReplicaSettings replica) =>
    [
        "--candidates", Text(Candidates), "--judge-ms", Text((int)JudgeLatency.TotalMilliseconds), "--workers", Text(Workers),
        "--batch", Text(Batch), "--hosts", Text(Hosts), ReplicaSettings.Option, replica.Format(),
    ];

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
