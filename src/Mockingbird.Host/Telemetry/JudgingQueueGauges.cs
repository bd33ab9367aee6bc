using Microsoft.Extensions.Hosting;
using Mockingbird.Interview.Telemetry;

namespace Mockingbird.Host.Telemetry;

/// <summary>
/// Creates the judging queue's gauges with the host's other services, at start: not at build, which would open the
/// store's connection before the settings are validated.
/// </summary>
internal sealed class JudgingQueueGauges(JudgingQueueTelemetry gauges) : IHostedService
{
    public JudgingQueueTelemetry Gauges { get; } = gauges;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
