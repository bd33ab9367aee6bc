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

        var clock = new TimerCountingClock(Time);
        await using (var heartbeat = ClaimHeartbeat.Start(counting, "s:1#0", "slow", clock))
        {
            // Three leases of posting, a beat at a time: the clock moves only once the heartbeat waits on it.
            for (var beat = 1; beat <= 9; beat++)
            {
                await Poll.UntilAsync(() => clock.Timers == beat, $"the heartbeat waits for beat {beat}");
                Time.Advance(Ledger.Lease / 3);
            }

            await Poll.UntilAsync(() => clock.Timers == 10, "the heartbeat has renewed the claim nine times");
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

    public Task RecordPostedAsync(string partKey, CancellationToken cancellationToken) => inner.RecordPostedAsync(partKey, cancellationToken);

    public Task ReleaseAsync(string partKey, string owner, CancellationToken cancellationToken) => inner.ReleaseAsync(partKey, owner, cancellationToken);
}

/// <summary>The fake clock, counting the timers set on it, so a test knows when another thread waits on it.</summary>
internal sealed class TimerCountingClock(FakeTimeProvider clock) : TimeProvider
{
    private int _timers;

    public int Timers => Volatile.Read(ref _timers);

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = clock.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timers);
        return timer;
    }
}
