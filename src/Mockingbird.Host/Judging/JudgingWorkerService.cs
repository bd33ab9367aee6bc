using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Host.Judging;

public sealed class JudgingWorkerOptions
{
    public const string Section = "Judging";

    /// <summary>Worker loops in this process; each takes a batch and judges it concurrently.</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 2;

    [Range(1, 256)]
    public int Batch { get; set; } = 16;

    /// <summary>The longest pause between polls of an empty queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan MaxIdlePoll { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>Runs the judging workers for the life of the host, surviving a failed poll (Redis restarting, say).</summary>
public sealed partial class JudgingWorkerService(
    JudgingWorker worker,
    IOptions<JudgingWorkerOptions> options,
    TimeProvider time,
    ILogger<JudgingWorkerService> logger) : BackgroundService
{
    private readonly JudgingWorkerOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Workers).Select(i => LoopAsync($"{Environment.MachineName}-{Environment.ProcessId}-{i}", stoppingToken)));

    private async Task LoopAsync(string name, CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var taken = await worker.RunOnceAsync(name, _options.Batch, stoppingToken);
                idle = taken > 0 ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxIdlePoll.Ticks));
                if (taken > 0)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.PollFailed(logger, name, ex.GetType().Name);
                idle = _options.MaxIdlePoll;
            }

            try
            {
                await Task.Delay(idle, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Judging worker {Worker} could not poll the queue ({ErrorType}); retrying")]
        public static partial void PollFailed(ILogger logger, string worker, string errorType);
    }
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
