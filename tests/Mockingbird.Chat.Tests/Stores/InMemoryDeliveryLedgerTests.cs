using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Testing;

namespace Mockingbird.Chat.Tests.Stores;

public sealed class InMemoryDeliveryLedgerTests : DeliveryLedgerContract
{
    [Fact]
    public async Task Expired_parts_are_swept_so_a_long_running_bot_does_not_keep_every_part_it_ever_posted()
    {
        var ledger = (InMemoryDeliveryLedger)Ledger;
        for (var day = 0; day < 5; day++)
        {
            Time.Advance(Options.EventRetention + TimeSpan.FromSeconds(1));
            for (var part = 0; part < 3_000; part++)
            {
                await ledger.TryClaimAsync($"day-{day}#{part}", "worker", default);
                await ledger.RecordPostedAsync($"day-{day}#{part}", postedAs: null, default);
            }
        }

        Assert.InRange(ledger.Remembered, 3_000, 6_000);
        Assert.Equal(DeliveryClaimOutcome.AlreadyPosted, await ledger.TryClaimAsync("day-4#0", "late", default));
    }

    [Fact]
    public async Task A_poster_whose_heartbeat_runs_keeps_its_claim_however_long_it_posts_and_once_it_stops_the_claim_lapses_within_a_lease()
    {
        var counting = new CountingLedger(Ledger);
        Assert.Equal(DeliveryClaimOutcome.Claimed, await Ledger.TryClaimAsync("s:1#0", "slow", default));

        // A third of the lease, as Task.Delay sets its timer: in whole milliseconds.
        var beat = TimeSpan.FromMilliseconds(Math.Floor((Ledger.Lease / 3).TotalMilliseconds));
        await using (var heartbeat = ClaimHeartbeat.Start(counting, "s:1#0", "slow", Time))
        {
            // Three leases of posting, a beat at a time: the clock moves only once the heartbeat waits on it.
            for (var renewal = 1; renewal <= 9; renewal++)
            {
                await Time.WaitForTimerAsync(beat);
                Time.Advance(beat);
            }

            // The heartbeat waits for the tenth beat only once the ninth renewal has returned.
            await Time.WaitForTimerAsync(beat);
            Assert.Equal(9, counting.Renewals);
            Assert.Equal(DeliveryClaimOutcome.HeldElsewhere, await Ledger.TryClaimAsync("s:1#0", "next", default));
            Assert.False(heartbeat.Lost);
        }

        Time.Advance(Ledger.Lease);
        Assert.Equal(DeliveryClaimOutcome.Reclaimed, await Ledger.TryClaimAsync("s:1#0", "next", default));
    }

    protected override Task<IDeliveryLedger> CreateAsync(SessionStoreOptions options, FakeTimeProvider time) =>
        Task.FromResult<IDeliveryLedger>(new InMemoryDeliveryLedger(Microsoft.Extensions.Options.Options.Create(options), time));
}

/// <summary>Counts the renewals that reached the ledger, so a test knows a heartbeat has beaten.</summary>
internal sealed class CountingLedger(IDeliveryLedger inner) : IDeliveryLedger
{
    private int _renewals;

    public int Renewals => Volatile.Read(ref _renewals);

    public TimeSpan Lease => inner.Lease;

    public Task<DeliveryClaimOutcome> TryClaimAsync(string partKey, string owner, CancellationToken cancellationToken) => inner.TryClaimAsync(partKey, owner, cancellationToken);

    public Task<DateTimeOffset?> FirstClaimedAsync(string partKey, CancellationToken cancellationToken) => inner.FirstClaimedAsync(partKey, cancellationToken);

    public async Task<bool> RenewAsync(string partKey, string owner, CancellationToken cancellationToken)
    {
        var renewed = await inner.RenewAsync(partKey, owner, cancellationToken);
        Interlocked.Increment(ref _renewals);
        return renewed;
    }

    public Task RecordPostedAsync(string partKey, string? postedAs, CancellationToken cancellationToken) => inner.RecordPostedAsync(partKey, postedAs, cancellationToken);

    public Task<string?> PostedAsAsync(string partKey, CancellationToken cancellationToken) => inner.PostedAsAsync(partKey, cancellationToken);

    public Task ReleaseAsync(string partKey, string owner, CancellationToken cancellationToken) => inner.ReleaseAsync(partKey, owner, cancellationToken);
}
