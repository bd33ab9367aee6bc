using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Mockingbird.Interview.Telemetry;

/// <summary>How much judging is waiting: jobs in the queue (waiting or being judged) and the age of the oldest.</summary>
public sealed record JudgingQueueSnapshot(long Depth, TimeSpan OldestAge);

/// <summary>Reads the durable judging queue's size, for the gauges; a store that keeps a queue implements it.</summary>
public interface IJudgingQueueReadings
{
    Task<JudgingQueueSnapshot> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The queue gauges. A gauge callback must not block on the store, so each collection reports the last reading
/// and starts the next one: the figures trail the collection interval by one, and nothing reads the store while
/// nobody collects.
/// </summary>
public sealed partial class JudgingQueueTelemetry
{
    private readonly IJudgingQueueReadings _readings;
    private readonly ILogger<JudgingQueueTelemetry> _logger;
    private readonly Lock _gate = new();
    private JudgingQueueSnapshot? _last;
    private Task? _reading;

    public JudgingQueueTelemetry(IMeterFactory meters, IJudgingQueueReadings readings, ILogger<JudgingQueueTelemetry> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _readings = readings;
        _logger = logger;
        var meter = meters.Create(InterviewTelemetry.Name);
        meter.CreateObservableGauge("mockingbird.judging.queue.depth", () => Observe(s => s.Depth), "{job}", "Judging jobs in the queue, waiting or being judged.");
        meter.CreateObservableGauge("mockingbird.judging.queue.age", () => Observe(s => s.OldestAge.TotalSeconds), "s", "Age of the oldest job in the judging queue (0 when empty).");
    }

    /// <summary>Reads the queue now; collections report this reading until the next.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _readings.ReadAsync(cancellationToken);
        lock (_gate)
        {
            _last = snapshot;
        }
    }

    private IEnumerable<Measurement<T>> Observe<T>(Func<JudgingQueueSnapshot, T> value)
        where T : struct
    {
        JudgingQueueSnapshot? last;
        lock (_gate)
        {
            last = _last;
            if (_reading is null || _reading.IsCompleted)
            {
                _reading = ReadInBackgroundAsync();
            }
        }

        return last is null ? [] : [new Measurement<T>(value(last))];
    }

    private async Task ReadInBackgroundAsync()
    {
        await Task.Yield();
        try
        {
            await RefreshAsync(CancellationToken.None);
        }
#pragma warning disable CA1031 // A failed reading only leaves the last figures standing; the next collection tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReadingFailed(_logger, ex.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Could not read the judging queue's size ({ErrorType}); the gauges keep the last reading")]
        public static partial void ReadingFailed(ILogger logger, string errorType);
    }
}
