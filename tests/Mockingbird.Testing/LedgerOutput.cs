using Mockingbird.Chat.Delivery;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Testing;

/// <summary>
/// An output for a platform with no idempotency key of its own, posting as the Slack adapter does: each delivery is
/// one part, claimed in the delivery ledger, kept claimed while it posts, and recorded once posted; a part reclaimed
/// from a poster that died is looked for on the platform first. It can be told to die mid-post: the part is claimed,
/// then neither renewed nor recorded.
/// </summary>
public sealed class LedgerOutput(IDeliveryLedger ledger, TimeProvider time) : IInterviewOutput
{
    private int _deathsLeft;

    /// <summary>What reached the platform.</summary>
    public RecordingOutput Platform { get; } = new();

    /// <summary>The next delivery claims its part, then its host dies.</summary>
    /// <summary>The next post stops the host mid-post: <paramref name="host"/> is cancelled, as a host shutting down.</summary>
    public void DieWhilePostingNext(CancellationTokenSource host)
    {
        _host = host;
        Interlocked.Exchange(ref _deathsLeft, 1);
    }

    private CancellationTokenSource? _host;

    public async Task DeliverAsync(string candidateId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        var part = $"{deliveryKey}#0";
        var owner = Guid.NewGuid().ToString("N");
        var claim = await ledger.TryClaimAsync(part, owner, cancellationToken);
        switch (claim)
        {
            case DeliveryClaimOutcome.AlreadyPosted:
                return;
            case DeliveryClaimOutcome.HeldElsewhere:
                throw new DeliveryHeldElsewhereException("Another worker is posting this delivery.") { PartKey = part };
        }

        // An earlier poster may have posted it before it died: look on the platform first.
        if (claim == DeliveryClaimOutcome.Reclaimed && Platform.Delivered.Any(d => d.Key == deliveryKey))
        {
            await ledger.RecordPostedAsync(part, cancellationToken);
            return;
        }

        if (Interlocked.Decrement(ref _deathsLeft) >= 0 && _host is { } host)
        {
            await host.CancelAsync();
            throw new OperationCanceledException("The host died while posting.", host.Token);
        }

        await using (ClaimHeartbeat.Start(ledger, part, owner, time))
        {
            await Platform.DeliverAsync(candidateId, actions, deliveryKey, cancellationToken);
        }

        await ledger.RecordPostedAsync(part, cancellationToken);
    }
}
