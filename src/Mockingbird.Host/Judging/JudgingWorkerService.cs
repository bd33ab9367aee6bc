using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Host.Judging;

public sealed class JudgingWorkerOptions
{
    public const string Section = "Judging";

    /// <summary>
    /// Answers this process judges at once. Judging is mostly waiting on an LLM for seconds, so this is high: with
    /// 2 s per judgement, 256 places judge about 128 answers a second before a queued answer has to wait for one.
    /// </summary>
    [Range(1, 1024)]
    public int MaxInFlight { get; set; } = 256;

    /// <summary>
    /// How often the workers look through the whole queue besides taking jobs as they are announced: to take back a
    /// job whose worker died (once its reclaim timeout has passed) and any job whose announcement was lost.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan Sweep { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a stopping host lets the answers it is judging finish before it hands the rest back to the queue for
    /// another host. Short of the 10 s a container is given to stop, so the rest are handed back before it is killed;
    /// at most 20 s, inside the 30 s the host gives all its services to stop.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:20")]
    public TimeSpan DrainOnStop { get; set; } = TimeSpan.FromSeconds(7);
}

/// <summary>Runs the judging worker for the life of the host.</summary>
public sealed class JudgingWorkerService(JudgingWorker worker, IOptions<JudgingWorkerOptions> options) : BackgroundService
{
    // Two containers sharing the host's network share its name, and each may be process 1: the suffix keeps their
    // consumer names apart, since a worker may hand back or fail only the jobs its own name holds.
    private readonly string _name = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        worker.RunAsync(_name, options.Value.MaxInFlight, options.Value.Sweep, options.Value.DrainOnStop, stoppingToken);
}

public static class JudgingWorkerServiceCollectionExtensions
{
    /// <summary>Runs judging workers in this host: for the bot, where answers are judged off the request path.</summary>
    public static IServiceCollection AddJudgingWorkers(this IServiceCollection services)
    {
        services.AddOptions<JudgingWorkerOptions>()
            .BindConfiguration(JudgingWorkerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<JudgingWorker>();
        services.AddHostedService<JudgingWorkerService>();
        return services;
    }
}
