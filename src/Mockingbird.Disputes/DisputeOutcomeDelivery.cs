using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Chat;

namespace Mockingbird.Disputes;

/// <summary>
/// Tells candidates how their disputes ended, by direct message: the vote that settles one tries at once, and a pass
/// every <see cref="DisputeOptions.RetryEvery"/> on every replica closes the disputes that expired and tries every
/// outcome not yet told. Each outcome is claimed through the store before it is sent, so one replica sends it; the
/// record is marked told only after the platform took the message. A failed message stays untold and its claim is
/// given back, so the candidate's next command reply shows it and the next pass tries the message again. After
/// <see cref="DisputeOptions.TellFor"/> the outcome is given up, and the record stops naming the candidate all the same.
/// </summary>
public sealed partial class DisputeOutcomeDelivery(
    IDisputeStore store,
    IOptions<DisputeOptions> options,
    TimeProvider time,
    ILogger<DisputeOutcomeDelivery> logger,
    IDisputeMessenger? messenger = null) : BackgroundService
{
    /// <summary>Outcomes one pass claims at most; more wait for the next pass.</summary>
    public const int ClaimBatch = 50;

    private readonly DisputeOptions _options = options.Value;

    /// <summary>The dispute a vote just settled: its outcome goes now, unless another replica holds it.</summary>
    /// <returns>True when this call told the candidate; false leaves it to the pass (and never fails the vote).</returns>
    public async Task<bool> TellAsync(string disputeId, CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            return messenger is not null
                && await store.TryClaimUntoldAsync(disputeId, now - _options.Window, now, _options.RetryEvery, cancellationToken)
                && await TellClaimedAsync(disputeId, now + _options.RetryEvery, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.NotTold(logger, disputeId, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// One pass: closes the expired disputes, tells the outcomes not yet told, and gives up those past
    /// <see cref="DisputeOptions.TellFor"/> (with no platform to send, it only gives up). Returns how many were told.
    /// </summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var told = 0;
        var now = time.GetUtcNow();
        foreach (var disputeId in await store.ClaimUntoldAsync(now - _options.Window, now, _options.RetryEvery, ClaimBatch, cancellationToken))
        {
            told += await TellClaimedAsync(disputeId, now + _options.RetryEvery, cancellationToken) ? 1 : 0;
        }

        return told;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (messenger is null)
        {
            Log.NoMessenger(logger);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.PassFailed(logger, ex.GetType().Name);
            }

            try
            {
                await Task.Delay(_options.RetryEvery, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <param name="claimedUntil">When this replica's claim lapses: it names the claim when giving it back.</param>
    private async Task<bool> TellClaimedAsync(string disputeId, DateTimeOffset claimedUntil, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(disputeId, cancellationToken) is not { Dispute.NamesSomeone: true } record)
        {
            // Forgotten (or told) since it was claimed: nobody to tell.
            return false;
        }

        var now = time.GetUtcNow();
        var outcome = DisputeOutcome.Of(record, _options.VotesToSettle, now - _options.Window);
        var closedAt = record.Settled?.SettledAt ?? record.Dispute.OpenedAt + _options.Window;
        if (now - closedAt >= _options.TellFor)
        {
            await store.ToldAsync(disputeId, cancellationToken);
            Log.GivenUp(logger, disputeId);
            return false;
        }

        if (messenger is null)
        {
            return false;
        }

        try
        {
            await messenger.SendAsync(new DisputeOutcomeMessage(record.Dispute.CandidateId, disputeId, outcome.Text), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.NotTold(logger, disputeId, ex.GetType().Name);
            await ReleaseAsync(disputeId, claimedUntil, cancellationToken);
            return false;
        }

        await store.ToldAsync(disputeId, cancellationToken);
        return true;
    }

    /// <summary>
    /// While this replica holds the claim the candidate's command leaves the outcome to the message, so a message that
    /// failed gives it back: the next command shows it rather than wait for the lease. A claim that cannot be given
    /// back simply lapses.
    /// </summary>
    private async Task ReleaseAsync(string disputeId, DateTimeOffset claimedUntil, CancellationToken cancellationToken)
    {
        try
        {
            await store.ReleaseClaimAsync(disputeId, claimedUntil, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.NotReleased(logger, disputeId, ex.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The outcome of dispute {DisputeId} was not delivered ({ErrorType}); it is tried again")]
        public static partial void NotTold(ILogger logger, string disputeId, string errorType);

        [LoggerMessage(2, LogLevel.Information, "The outcome of dispute {DisputeId} could not be delivered in time and is given up; the record no longer names its candidate")]
        public static partial void GivenUp(ILogger logger, string disputeId);

        [LoggerMessage(3, LogLevel.Warning, "Dispute outcome pass failed with {ErrorType}; retrying")]
        public static partial void PassFailed(ILogger logger, string errorType);

        [LoggerMessage(4, LogLevel.Information, "No platform sends direct messages in this host; dispute outcomes are shown in command replies only")]
        public static partial void NoMessenger(ILogger logger);

        [LoggerMessage(5, LogLevel.Warning, "The claim on the outcome of dispute {DisputeId} could not be given back ({ErrorType}); it lapses instead")]
        public static partial void NotReleased(ILogger logger, string disputeId, string errorType);
    }
}
