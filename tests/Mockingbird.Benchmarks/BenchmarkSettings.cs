using System.Globalization;

namespace Mockingbird.Benchmarks;

/// <param name="Candidates">Simulated candidates, all interviewing at once.</param>
/// <param name="JudgeLatency">How long the stub judge takes per answer (its time is excluded from the host overhead).</param>
/// <param name="Workers">Judging worker loops.</param>
/// <param name="Batch">Jobs a worker takes per poll.</param>
public sealed record BenchmarkSettings(int Candidates, TimeSpan JudgeLatency, int Workers, int Batch)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        var settings = new BenchmarkSettings(1000, TimeSpan.FromMilliseconds(50), 4, 64);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--candidates" => settings with { Candidates = value },
                "--judge-ms" => settings with { JudgeLatency = TimeSpan.FromMilliseconds(value) },
                "--workers" => settings with { Workers = value },
                "--batch" => settings with { Batch = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --candidates N --judge-ms N --workers N --batch N"),
            };
        }

        return settings;
    }
}
