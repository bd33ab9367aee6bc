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
                await ledger.RecordPostedAsync($"day-{day}#{part}", default);
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

        await using (var heartbeat = ClaimHeartbeat.Start(counting, "s:1#0", "slow", Time))
        {
            // Three leases of posting, a beat at a time; a beat whose timer was set just after the clock moved is
            // nudged by a millisecond at a time rather than waited for.
            var posting = Time.GetUtcNow() + (3 * Ledger.Lease);
            while (Time.GetUtcNow() < posting)
            {
                var beats = counting.Renewals;
                Time.Advance(Ledger.Lease / 3);
                await WaitUntilAsync(() => counting.Renewals > beats, () => Time.Advance(TimeSpan.FromMilliseconds(1)), "the heartbeat renews the claim");
            }

            Assert.Equal(DeliveryClaimOutcome.HeldElsewhere, await Ledger.TryClaimAsync("s:1#0", "next", default));
            Assert.False(heartbeat.Lost);
        }

        Time.Advance(Ledger.Lease);
        Assert.Equal(DeliveryClaimOutcome.Reclaimed, await Ledger.TryClaimAsync("s:1#0", "next", default));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Action nudge, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(5);
            nudge();
        }
    }

    protected override Task<IDeliveryLedger> CreateAsync(SessionStoreOptions options, FakeTimeProvider time) =>
        Task.FromResult<IDeliveryLedger>(new InMemoryDeliveryLedger(Microsoft.Extensions.Options.Options.Create(options), time));

    protected override Task ElapseAsync(TimeSpan duration)
    {
        Time.Advance(duration);
        return Task.CompletedTask;
    }
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

    public Task RecordPostedAsync(string partKey, CancellationToken cancellationToken) => inner.RecordPostedAsync(partKey, cancellationToken);

    public Task ReleaseAsync(string partKey, string owner, CancellationToken cancellationToken) => inner.ReleaseAsync(partKey, owner, cancellationToken);
}
