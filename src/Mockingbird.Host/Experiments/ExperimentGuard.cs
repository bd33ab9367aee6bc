using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Experiments;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Llm;
using Mockingbird.StudyGroups;

namespace Mockingbird.Host.Experiments;

/// <summary>
/// Every replica looks at every experiment each <see cref="ExperimentsOptions.LookEvery"/>: it keeps the slot's
/// snapshot (the first replica's wins), stops each arm past a guardrail (the store takes a stop once, whichever
/// replicas race for it) and tells the admins in their channel. The notice goes through the delivery ledger under a
/// key per stop, and every look finishes the notices of recent guardrail stops not yet posted, so the admins hear
/// of a stop exactly once even when the replica that made it dies before posting.
/// </summary>
public sealed partial class ExperimentGuard(
    ExperimentReports reports,
    IExperimentStore store,
    IDeliveryLedger ledger,
    IEnumerable<IStudyGroupPlatform> platforms,
    IOptions<ExperimentsOptions> options,
    IOptions<SessionStoreOptions> storeOptions,
    TimeProvider time,
    ILogger<ExperimentGuard> logger,
    IOptions<LlmOptions>? llm = null) : BackgroundService
{
    public const string GuardrailStopper = "guardrail";

    private readonly ExperimentsOptions _options = options.Value;

    /// <summary>
    /// The ledger forgets a posted notice after its event retention; a stop is only told within half of it, so a
    /// notice can never look unposted again and be told twice.
    /// </summary>
    private readonly TimeSpan _noticeWithin = storeOptions.Value.EventRetention / 2;

    /// <summary>The experiments whose edited test settings this process has logged: once each, not every look.</summary>
    private readonly ConcurrentDictionary<string, byte> _toldTestSettingsEdited = new(StringComparer.Ordinal);

    private readonly IStudyGroupPlatform? _platform = options.Value.Admins is { } admins
        ? platforms.FirstOrDefault(p => p.Name == admins.Platform)
        : null;

    /// <summary>The delivery key of a stop's notice: one per stop, the same on every replica.</summary>
    public static string NoticeKey(ArmStop stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        return $"experiments:{stop.ExperimentId}:{stop.Version}:stopped";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Admins is { } admins && _platform is null)
        {
            Log.AdminChannelElsewhere(logger, admins.Platform);
        }

        // An unpriced model has no cost, so its cost guardrail could never fire: say so where an operator looks.
        var prices = _options.PriceTable();
        if (llm?.Value.Model is { } model && !prices.ContainsKey(model))
        {
            foreach (var design in reports.Designs.Where(d => d.Guardrails.MaxCostPerFeedback is not null))
            {
                Log.CostGuardrailUnpriced(logger, design.Id, model);
            }
        }

        using var timer = new PeriodicTimer(_options.LookEvery, time);
        try
        {
            do
            {
                await LookAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>One look at every experiment; never throws but for cancellation.</summary>
    public async Task LookAsync(CancellationToken cancellationToken)
    {
        // The experiments declared here are marked first, before this look records or pins anything in them, so a
        // replica deleting one that was ended until now finds it declared again.
        var now = time.GetUtcNow();
        IReadOnlyList<string> ended = [];
        try
        {
            ended = await store.EndedAsync([.. reports.Designs.Select(d => d.Id)], now, _options.KeepEndedFor, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.MarkFailed(logger, ex.GetType().Name);
        }

        foreach (var design in reports.Designs)
        {
            try
            {
                await GuardAsync(design, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.LookFailed(logger, design.Id, ex.GetType().Name);
            }
        }

        try
        {
            await FinishNoticesAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.NoticesFailed(logger, ex.GetType().Name);
        }

        foreach (var experimentId in ended)
        {
            try
            {
                if (await store.DeleteEndedAsync(experimentId, now, _options.KeepEndedFor, cancellationToken) is > 0 and var records)
                {
                    Log.Deleted(logger, experimentId, _options.KeepEndedFor.TotalDays, records);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.DeleteFailed(logger, experimentId, ex.GetType().Name);
            }
        }
    }

    private async Task GuardAsync(ExperimentDesign design, CancellationToken cancellationToken)
    {
        var pinned = await store.PinAllocationAsync(design.Id, design.Allocation, cancellationToken);
        if (pinned != design.Allocation)
        {
            await StopRedesignedAsync(
                design,
                $"its arms or weights were changed while it ran (it started with {pinned}; the file now says {design.Allocation}), which moves candidates between arms. Run the change as an experiment with a new id",
                arm => Log.Reallocated(logger, design.Id, arm),
                cancellationToken);
        }

        var pinnedBaseline = await store.PinBaselineAsync(design.Id, design.Baseline, cancellationToken);
        if (pinnedBaseline != design.Baseline)
        {
            await StopRedesignedAsync(
                design,
                $"its baseline was changed while it ran (it started with {pinnedBaseline}; the file now says {design.Baseline}), so everyone is served {design.Baseline} from now on. To compare the other arms with {design.Baseline}, run that as an experiment with a new id",
                arm => Log.BaselineChanged(logger, design.Id, arm, design.Baseline),
                cancellationToken);
        }

        var pinnedTest = await store.PinTestSettingsAsync(design.Id, design.TestSettings.Format(), cancellationToken);
        if (SequentialTestSettings.Parse(pinnedTest) is { } kept && !kept.SameTestAs(design.TestSettings) && _toldTestSettingsEdited.TryAdd(design.Id, 0))
        {
            Log.TestSettingsEdited(logger, design.Id, pinnedTest, design.TestSettings.Format());
        }

        if (await reports.ReportAsync(design.Id, cancellationToken) is not { } report)
        {
            return;
        }

        // Only a change of baseline stops a baseline: one named again afterwards (a rollback of the file) would
        // otherwise let the arms that were not stopped run on beside a baseline whose candidates were served another.
        if (report.Arms.FirstOrDefault(a => a.IsBaseline) is { Stop: not null } && design.Challengers.Any(c => report.Arms.Any(a => a.Metrics.Arm == c.Version && a.Stop is null)))
        {
            await StopRedesignedAsync(
                design,
                $"its baseline was changed while it ran and then back to {design.Baseline}, whose candidates were served another version meanwhile, so everyone is served {design.Baseline} from now on. Run any further comparison as an experiment with a new id",
                arm => Log.BaselineChanged(logger, design.Id, arm, design.Baseline),
                cancellationToken);
            return;
        }

        if (report.MomentNotKept)
        {
            Log.MomentNotKept(logger, design.Id);
        }

        var snapshot = new ExperimentSnapshot(report.At, [.. report.Arms.Select(a => a.Metrics)]);
        if (await store.AddSnapshotAsync(design.Id, _options.SnapshotSlot(report.At), snapshot, cancellationToken))
        {
            // Once a slot, by the replica that kept it: older snapshots thin out to the ones the report still needs.
            var surplus = SnapshotThinning.Surplus(report.Design, report.History, report.At, _options.KeepEverySnapshotFor);
            if (surplus.Count > 0)
            {
                Log.Thinned(logger, design.Id, await store.RemoveSnapshotsAsync(design.Id, surplus, cancellationToken));
            }
        }

        foreach (var breaches in report.Breaches.GroupBy(b => b.Arm, StringComparer.Ordinal))
        {
            var reason = string.Join("; ", breaches.Select(b => b.Reason));
            var (stop, stoppedNow) = await store.StopAsync(new ArmStop(design.Id, breaches.Key, reason, GuardrailStopper, report.At), cancellationToken);
            if (stoppedNow)
            {
                Log.Stopped(logger, design.Id, stop.Version, string.Join(",", breaches.Select(b => b.Guardrail)));
                await TellAdminsAsync(design, stop, cancellationToken);
            }
        }
    }

    /// <summary>
    /// An experiment whose arms or weights were edited while it ran puts some candidates in another arm than before,
    /// and one whose baseline was edited compares its arms with another than before, so from then on it does not
    /// compare like with like: every challenger the file names is stopped, which serves everyone the file's baseline
    /// (the usual way to roll out a winner is to name it the baseline), and the admins are told to run the change
    /// under a new id.
    /// </summary>
    private async Task StopRedesignedAsync(ExperimentDesign design, string reason, Action<string> logStopped, CancellationToken cancellationToken)
    {
        foreach (var challenger in design.Challengers)
        {
            var (stop, stoppedNow) = await store.StopAsync(new ArmStop(design.Id, challenger.Version, reason, GuardrailStopper, time.GetUtcNow()), cancellationToken);
            if (stoppedNow)
            {
                logStopped(stop.Version);
                await TellAdminsAsync(design, stop, cancellationToken);
            }
        }
    }

    /// <summary>Tells the notices of recent guardrail stops that no replica has posted: their replica died first.</summary>
    private async Task FinishNoticesAsync(CancellationToken cancellationToken)
    {
        if (_platform is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var control = await store.ControlAsync(cancellationToken);
        foreach (var stop in control.Stops.Where(s => s.By == GuardrailStopper && now - s.At < _noticeWithin))
        {
            if (reports.Find(stop.ExperimentId) is { } design)
            {
                await TellAdminsAsync(design, stop, cancellationToken);
            }
        }
    }

    private async Task TellAdminsAsync(ExperimentDesign design, ArmStop stop, CancellationToken cancellationToken)
    {
        if (_options.Admins is not { } admins || _platform is null)
        {
            return;
        }

        var key = NoticeKey(stop);
        var owner = Guid.NewGuid().ToString("N");
        var claim = await ledger.TryClaimAsync(key, owner, cancellationToken);
        if (claim is DeliveryClaimOutcome.AlreadyPosted or DeliveryClaimOutcome.HeldElsewhere)
        {
            return;
        }

        try
        {
            // After a lapsed claim the platform's own idempotency under the same key keeps the notice single.
            await using (ClaimHeartbeat.Start(ledger, key, owner, time))
            {
                await _platform.PostInChannelAsync(admins.Channel, [new PostNotice(Notice(design, stop))], key, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is StudyChannelGoneException or StudyPostRefusedException)
        {
            // Nothing was posted: the next look tries again, in case an admin lets the bot back in.
            Log.AdminChannelGone(logger, design.Id, stop.Version);
            await ledger.ReleaseAsync(key, owner, CancellationToken.None);
            return;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // It may have posted: the claim is left to lapse, and the next poster checks before posting again.
            Log.NoticeFailed(logger, design.Id, stop.Version, ex.GetType().Name);
            return;
        }

        await ledger.RecordPostedAsync(key, cancellationToken);
        Log.Told(logger, design.Id, stop.Version);
    }

    /// <summary>The notice: what stopped and why, what candidates get now, and where the report is.</summary>
    public static string Notice(ExperimentDesign design, ArmStop stop)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(stop);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Experiment {design.Id} (prompt {design.Prompt}): arm {stop.Version} was stopped automatically at {stop.At:yyyy-MM-dd HH:mm} UTC. Why: {stop.Reason}. "
            + $"Its candidates get the baseline, {design.Baseline}, from their next turn. "
            + $"The full report: /mock admin experiments report {design.Id} (or mockingbird experiments report {design.Id}).");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Experiment {ExperimentId}: arm {Arm} stopped by its guardrails ({Guardrails})")]
        public static partial void Stopped(ILogger logger, string experimentId, string arm, string guardrails);

        [LoggerMessage(2, LogLevel.Information, "Experiment {ExperimentId}: the admins were told that arm {Arm} stopped")]
        public static partial void Told(ILogger logger, string experimentId, string arm);

        [LoggerMessage(3, LogLevel.Error, "Experiment {ExperimentId}: the guard's look failed ({ExceptionType}); the next look tries again")]
        public static partial void LookFailed(ILogger logger, string experimentId, string exceptionType);

        [LoggerMessage(4, LogLevel.Error, "The notices of stopped arms could not be finished ({ExceptionType}); the next look tries again")]
        public static partial void NoticesFailed(ILogger logger, string exceptionType);

        [LoggerMessage(5, LogLevel.Warning, "Experiment {ExperimentId}: the admin channel is gone or closed to the bot; arm {Arm}'s stop is not told yet")]
        public static partial void AdminChannelGone(ILogger logger, string experimentId, string arm);

        [LoggerMessage(7, LogLevel.Warning, "Experiment {ExperimentId}: telling the admins that arm {Arm} stopped failed ({ExceptionType}); a later look tries again once the claim lapses")]
        public static partial void NoticeFailed(ILogger logger, string experimentId, string arm, string exceptionType);

        [LoggerMessage(8, LogLevel.Error, "Experiment {ExperimentId} limits cost per feedback, but model {Model} has no price in Experiments:Prices: the limit is not checked until it has one")]
        public static partial void CostGuardrailUnpriced(ILogger logger, string experimentId, string model);

        [LoggerMessage(9, LogLevel.Error, "Experiment {ExperimentId}: its arms or weights were changed while it ran, so arm {Arm} is stopped; run the change as an experiment with a new id")]
        public static partial void Reallocated(ILogger logger, string experimentId, string arm);

        [LoggerMessage(16, LogLevel.Warning, "Experiment {ExperimentId}: its baseline was changed while it ran, so arm {Arm} is stopped and everyone is served {Baseline}")]
        public static partial void BaselineChanged(ILogger logger, string experimentId, string arm, string baseline);

        [LoggerMessage(12, LogLevel.Warning, "Experiment {ExperimentId}: its α, δ, mixing variance or number of challengers changed while it ran; its test keeps the ones it started with ({Kept}, the file now says {File}). Run the change as an experiment with a new id")]
        public static partial void TestSettingsEdited(ILogger logger, string experimentId, string kept, string file);

        [LoggerMessage(13, LogLevel.Information, "Experiment {ExperimentId}, declared by no replica for over {Days} days, was deleted from the store ({Records} records)")]
        public static partial void Deleted(ILogger logger, string experimentId, double days, int records);

        [LoggerMessage(15, LogLevel.Warning, "The experiments declared here could not be marked, nor ended ones found ({ExceptionType}); the next look tries again")]
        public static partial void MarkFailed(ILogger logger, string exceptionType);

        [LoggerMessage(14, LogLevel.Warning, "Experiment {ExperimentId}, ended, could not be deleted ({ExceptionType}); the next look tries again")]
        public static partial void DeleteFailed(ILogger logger, string experimentId, string exceptionType);

        [LoggerMessage(11, LogLevel.Warning, "Experiment {ExperimentId}: a look that changed a decision could not be kept; the next look tries again")]
        public static partial void MomentNotKept(ILogger logger, string experimentId);

        [LoggerMessage(10, LogLevel.Debug, "Experiment {ExperimentId}: {Removed} snapshots no longer needed were removed")]
        public static partial void Thinned(ILogger logger, string experimentId, int removed);

        [LoggerMessage(6, LogLevel.Information, "Experiments:AdminChannel is on {Platform}, which this host does not serve: its replicas there tell the admins")]
        public static partial void AdminChannelElsewhere(ILogger logger, string platform);
    }
}
