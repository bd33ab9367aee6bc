using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.StudyGroups;

/// <summary>
/// Moves every channel's daily question along on the host's clock: posts each slot when it falls due (and a slot
/// missed while no replica ran, if still within the grace window), closes rounds at their deadline, and finishes
/// reveals a replica left half done. Every replica runs it; the store's claims and leases make each step happen once.
/// </summary>
public sealed partial class DailyScheduler(
    DailyRounds rounds,
    IStudyGroupStore store,
    IOptions<StudyGroupOptions> options,
    TimeProvider time,
    ILogger<DailyScheduler> logger) : BackgroundService
{
    private readonly StudyGroupOptions _options = options.Value;

    /// <summary>Slots already logged as skipped, so a skip is logged once per process, not once per tick.</summary>
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);

    /// <summary>One pass over every schedule and unfinished round of this host's platform.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var schedule in (await store.SchedulesAsync(cancellationToken)).Where(s => s.Channel.Platform == rounds.Platform.Name))
        {
            await StepAsync(schedule.Channel.Key, () => PostDueAsync(schedule, now, cancellationToken));
        }

        foreach (var round in (await store.UnfinishedRoundsAsync(cancellationToken)).Where(r => r.Channel.Platform == rounds.Platform.Name))
        {
            await StepAsync(round.Id, () => MoveAlongAsync(round, now, cancellationToken));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.TickFailed(logger, ex.GetType().Name);
            }

            try
            {
                await Task.Delay(_options.TickInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PostDueAsync(DailySchedule schedule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A slot before the schedule was set is not owed to anyone.
        if (DailySlots.Latest(schedule, now) is not { } slot || slot.At < schedule.SetAt)
        {
            return;
        }

        if (now - slot.At > _options.MissedSlotGrace)
        {
            if (await store.FindRoundAsync(DailyRound.IdOf(schedule.Channel, slot.Id), cancellationToken) is null && _skipped.Add($"{schedule.Channel.Key}:{slot.Id}"))
            {
                Log.SlotSkipped(logger, schedule.Channel.Key, slot.Id, now - slot.At);
            }

            return;
        }

        await rounds.PostSlotAsync(schedule, slot, slot.Id, cancellationToken);
    }

    private async Task MoveAlongAsync(DailyRound round, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (round.State)
        {
            case RoundState.Posting when await store.FindScheduleAsync(round.Channel.Key, cancellationToken) is { } schedule:
                await rounds.PostSlotAsync(schedule, round.Slot, round.SlotId, cancellationToken);
                break;
            case RoundState.Posting:
                // Its schedule was turned off before it was ever posted.
                await rounds.DropUnpostedAsync(round, cancellationToken);
                break;
            case RoundState.Open when now >= round.Deadline:
                await rounds.CloseAsync(round, cancellationToken);
                break;
            case RoundState.Revealing:
                await rounds.RevealAsync(round.Id, cancellationToken);
                break;
        }
    }

    /// <summary>One channel's or round's trouble does not hold up the others.</summary>
    private async Task StepAsync(string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.StepFailed(logger, what, ex.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Daily slot {SlotId} of channel {ChannelKey} was missed by {Late} while no replica ran, beyond the grace window; skipped")]
        public static partial void SlotSkipped(ILogger logger, string channelKey, string slotId, TimeSpan late);

        [LoggerMessage(2, LogLevel.Warning, "Daily step for {What} failed with {ErrorType}; the next tick tries again")]
        public static partial void StepFailed(ILogger logger, string what, string errorType);

        [LoggerMessage(3, LogLevel.Warning, "Daily scheduler tick failed with {ErrorType}; retrying")]
        public static partial void TickFailed(ILogger logger, string errorType);
    }
}
