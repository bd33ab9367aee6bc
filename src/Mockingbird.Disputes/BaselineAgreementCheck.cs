using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mockingbird.Experiments;

namespace Mockingbird.Disputes;

/// <summary>
/// Declaring a baseline in experiments.yaml is how a version becomes one, so the gate runs as the bot starts: a
/// refused baseline stops start-up with the gate's message, a baseline with too few settled cases is let through with
/// a warning. A dispute store that cannot be read at start-up (Redis down) does not keep the bot from starting: the
/// check is retried with a growing wait until the store answers, and a refusal found then stops the bot as it would
/// have at start-up.
/// </summary>
public sealed partial class BaselineAgreementCheck(
    IExperimentCatalog catalog,
    IDisputeStore store,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<BaselineAgreementCheck> logger) : IHostedService, IDisposable
{
    /// <summary>The wait before the first retry; each later wait doubles, up to <see cref="LongestRetry"/>.</summary>
    internal static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);

    internal static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<string> _refusedAfterStart = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _retries = Task.CompletedTask;

    /// <summary>
    /// Completes with the gate's message when a check retried after start-up refused a baseline and stopped the bot,
    /// so the host can exit as a refusal at start-up does: with the message and a failure code.
    /// </summary>
    public Task<string> RefusedAfterStart => _refusedAfterStart.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var gated = catalog.Designs.Where(d => d.BaselineAgreement is not null).ToList();
        if (gated.Count == 0)
        {
            return;
        }

        IReadOnlyList<SettledCase> settled;
        try
        {
            settled = await store.SettledAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Only the type: a store's exception message can carry its connection string.
            Log.StoreUnreadableAtStart(logger, ex.GetType().Name, FirstRetry);
            _retries = RetryAsync(gated, _stopping.Token);
            return;
        }

        if (Refusals(gated, settled) is { } refusals)
        {
            throw new BaselineRefusedException(refusals);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retries.WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RetryAsync(List<ExperimentDesign> gated, CancellationToken stopping)
    {
        var wait = FirstRetry;
        try
        {
            while (true)
            {
                await Task.Delay(wait, time, stopping);
                IReadOnlyList<SettledCase> settled;
                try
                {
                    settled = await store.SettledAsync(stopping);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    wait = wait * 2 < LongestRetry ? wait * 2 : LongestRetry;
                    Log.StoreStillUnreadable(logger, ex.GetType().Name, wait);
                    continue;
                }

                if (Refusals(gated, settled) is { } refusals)
                {
                    Log.RefusedAfterStart(logger, refusals);
                    _refusedAfterStart.TrySetResult(refusals);
                    lifetime.StopApplication();
                }
                else
                {
                    Log.CheckedAfterStart(logger);
                }

                return;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The bot is stopping: the check no longer matters.
        }
    }

    /// <summary>Every refusal's message, one a line; <c>null</c> when every declared baseline may stand (notes are logged).</summary>
    private string? Refusals(List<ExperimentDesign> gated, IReadOnlyList<SettledCase> settled)
    {
        var refusals = new List<string>();
        foreach (var design in gated)
        {
            var verdict = BaselineGate.Check(design, design.Baseline, settled);
            if (!verdict.Allowed)
            {
                refusals.Add(verdict.Message!);
            }
            else if (verdict.Message is { } note)
            {
                Log.NotChecked(logger, note);
            }
        }

        return refusals.Count == 0 ? null : string.Join(Environment.NewLine, refusals);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "{Note}")]
        public static partial void NotChecked(ILogger logger, string note);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The settled disputes could not be read to check the declared baselines ({ErrorType}); the bot starts and checks again in {Wait}")]
        public static partial void StoreUnreadableAtStart(ILogger logger, string errorType, TimeSpan wait);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The settled disputes still could not be read to check the declared baselines ({ErrorType}); checking again in {Wait}")]
        public static partial void StoreStillUnreadable(ILogger logger, string errorType, TimeSpan wait);

        [LoggerMessage(Level = LogLevel.Critical, Message = "{Refusals} The bot stops.")]
        public static partial void RefusedAfterStart(ILogger logger, string refusals);

        [LoggerMessage(Level = LogLevel.Information, Message = "The declared baselines were checked against the settled disputes once the store answered")]
        public static partial void CheckedAfterStart(ILogger logger);
    }
}
