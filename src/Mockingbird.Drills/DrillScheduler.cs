using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Delivery;

namespace Mockingbird.Drills;

/// <summary>
/// Sends drills as they fall due, on every replica: it sleeps until the next due time (at most
/// <see cref="DrillOptions.MaxWait"/>), claims the candidates due, and sends each its drill by direct message. The
/// store's claim keeps two replicas from taking the same candidate; the delivery ledger keeps a drill whose replica
/// died mid-send from going out twice when another takes it after the lease. The plan is saved only after the send,
/// so a drill is never lost to a crash, and it is saved against its version, so <c>drills off</c> always wins.
/// </summary>
public sealed partial class DrillScheduler(
    DrillPlans plans,
    IDrillStore store,
    DrillQuestions questions,
    IDeliveryLedger ledger,
    IOptions<DrillOptions> options,
    TimeProvider time,
    ILogger<DrillScheduler> logger,
    IDrillPlatform? platform = null) : BackgroundService
{
    private readonly DrillOptions _options = options.Value;

    /// <summary>Names this replica's claims in the delivery ledger.</summary>
    private readonly string _owner = Guid.NewGuid().ToString("N");

    /// <summary>
    /// A drill is named by its dimension and when the candidate fell due, which stay the same however often it is
    /// claimed (two dimensions due at once go out one after the other, on the same due time).
    /// </summary>
    public static string DrillIdOf(string dimension, DateTimeOffset dueAt) => $"{dimension}@{dueAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";

    public static string DeliveryKeyOf(string candidateId, string drillId) => $"drill:{candidateId}:{drillId}";

    /// <summary>One pass: claims the candidates due now and sends each its drill. Returns how many were sent.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        if (platform is null)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var sent = 0;
        foreach (var claim in await store.ClaimDueAsync(now, _options.Lease, _options.ClaimBatch, cancellationToken))
        {
            try
            {
                sent += await DeliverAsync(platform, claim, now, cancellationToken) ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Its claim lapses after the lease, and the next pass tries again.
                Log.DrillFailed(logger, ex.GetType().Name);
            }
        }

        return sent;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (platform is null)
        {
            Log.NoPlatform(logger);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = _options.MaxWait;
            try
            {
                var full = await RunDueAsync(stoppingToken) >= _options.ClaimBatch;
                var next = await store.NextDueAsync(stoppingToken);
                wait = full ? TimeSpan.Zero : next is { } due ? Clamp(due - time.GetUtcNow()) : _options.MaxWait;
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
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Never shorter than a second, so a store that keeps failing is not asked in a tight loop.</summary>
    private TimeSpan Clamp(TimeSpan untilDue) =>
        untilDue < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : untilDue > _options.MaxWait ? _options.MaxWait : untilDue;

    private async Task<bool> DeliverAsync(IDrillPlatform to, DrillClaim claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidateId = claim.CandidateId;
        if (await plans.FindAsync(candidateId, cancellationToken) is not { On: true } plan)
        {
            // Turned off or forgotten after it fell due: that took it out of the index already.
            return false;
        }

        var history = await plans.HistoryAsync(candidateId, cancellationToken);
        var refreshed = DrillSchedule.Refresh(plan, history, now);
        var dimension = QuietHours.Outside(now, QuietHours.Zone(plan.TimeZone)) == now
            ? DrillSchedule.Choose(refreshed, DrillSchedule.Standing(history, refreshed.Answers), now)
            : null;
        var recent = refreshed.Sent.Select(s => s.QuestionId).Concat(history.SelectMany(h => h.QuestionIds)).ToHashSet(StringComparer.Ordinal);
        if (dimension is null || questions.Pick(dimension.Dimension, recent) is not { } question)
        {
            // Late into quiet hours, or nothing due yet (a check-in, or a dimension an answer moved on): saving
            // puts it back in the index at its next due time.
            await plans.UpdateAsync(candidateId, p => p.On ? DrillSchedule.Refresh(p, history, now) : null, now, cancellationToken);
            return false;
        }

        var drillId = DrillIdOf(dimension.Dimension, claim.DueAt);
        var outcome = await SendOnceAsync(to, new DrillMessage(candidateId, drillId, dimension.Dimension, question.Text), cancellationToken);
        if (outcome == SendOutcome.LeftAlone)
        {
            return false;
        }

        await plans.UpdateAsync(
            candidateId,
            p => !p.On || p.Sent.Any(s => s.DrillId == drillId) || DrillSchedule.Refresh(p, history, now).Find(dimension.Dimension) is not { } current
                ? null
                : DrillSchedule.Sent(DrillSchedule.Refresh(p, history, now), current, drillId, question.QuestionId, now),
            now,
            cancellationToken);
        return outcome == SendOutcome.Sent;
    }

    private enum SendOutcome
    {
        Sent,

        /// <summary>A replica that died before saving the plan sent it: the plan still moves on.</summary>
        SentBefore,

        /// <summary>Another replica is sending it now, or drills were turned off a moment ago.</summary>
        LeftAlone,
    }

    private async Task<SendOutcome> SendOnceAsync(IDrillPlatform to, DrillMessage message, CancellationToken cancellationToken)
    {
        var key = DeliveryKeyOf(message.CandidateId, message.DrillId);
        switch (await ledger.TryClaimAsync(key, _owner, cancellationToken))
        {
            case DeliveryClaimOutcome.AlreadyPosted:
                return SendOutcome.SentBefore;
            case DeliveryClaimOutcome.HeldElsewhere:
                return SendOutcome.LeftAlone;
        }

        await using (ClaimHeartbeat.Start(ledger, key, _owner, time))
        {
            // The last look before sending: drills turned off a moment ago do not go out.
            if (await plans.FindAsync(message.CandidateId, cancellationToken) is not { On: true })
            {
                await ledger.ReleaseAsync(key, _owner, cancellationToken);
                return SendOutcome.LeftAlone;
            }

            try
            {
                await to.SendAsync(message, cancellationToken);
            }
            catch
            {
                await ledger.ReleaseAsync(key, _owner, CancellationToken.None);
                throw;
            }
        }

        await ledger.RecordPostedAsync(key, cancellationToken);
        return SendOutcome.Sent;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A drill failed with {ErrorType}; it is tried again once its claim lapses")]
        public static partial void DrillFailed(ILogger logger, string errorType);

        [LoggerMessage(2, LogLevel.Warning, "Drill pass failed with {ErrorType}; retrying")]
        public static partial void PassFailed(ILogger logger, string errorType);

        [LoggerMessage(3, LogLevel.Information, "No platform sends drills in this host; the drill scheduler does not run")]
        public static partial void NoPlatform(ILogger logger);
    }
}
