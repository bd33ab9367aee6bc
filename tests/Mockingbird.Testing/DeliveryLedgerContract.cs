using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Xunit;

namespace Mockingbird.Testing;

/// <summary>What every <see cref="IDeliveryLedger"/> must do; the in-memory and Redis ledgers both run it.</summary>
public abstract class DeliveryLedgerContract : IAsyncLifetime
{
    /// <summary>The fake clock every ledger keeps its leases on; it also tells when a heartbeat waits on it.</summary>
    protected TimerWatchingClock Time { get; } = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    /// <summary>A lease (half the reclaim timeout) of one second, on the fake clock for every ledger.</summary>
    protected SessionStoreOptions Options { get; } = new() { ReclaimAfter = TimeSpan.FromSeconds(2), EventRetention = TimeSpan.FromHours(1) };

    protected IDeliveryLedger Ledger { get; private set; } = null!;

    public async Task InitializeAsync() => Ledger = await CreateAsync(Options, Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IDeliveryLedger> CreateAsync(SessionStoreOptions options, FakeTimeProvider time);

    [Fact]
    public async Task A_part_is_claimed_once_and_after_it_is_recorded_it_is_already_posted()
    {
        Assert.Equal(DeliveryClaimOutcome.Claimed, await Ledger.TryClaimAsync("s:1#0", "a", default));
        Assert.Equal(DeliveryClaimOutcome.HeldElsewhere, await Ledger.TryClaimAsync("s:1#0", "a", default));

        await Ledger.RecordPostedAsync("s:1#0", default);

        Assert.Equal(DeliveryClaimOutcome.AlreadyPosted, await Ledger.TryClaimAsync("s:1#0", "a", default));
        Assert.Equal(DeliveryClaimOutcome.Claimed, await Ledger.TryClaimAsync("s:1#1", "a", default));
    }

    [Fact]
    public async Task A_part_recorded_with_where_it_was_posted_says_where_and_stays_posted_to_every_later_claim_and_release()
    {
        await Ledger.TryClaimAsync("daily:r1:post", "a", default);
        await Ledger.RecordPostedAsync("daily:r1:post", "1312000000000000001", default);

        await Ledger.ReleaseAsync("daily:r1:post", "a", default);
        Assert.False(await Ledger.RenewAsync("daily:r1:post", "a", default));
        Assert.Equal(DeliveryClaimOutcome.AlreadyPosted, await Ledger.TryClaimAsync("daily:r1:post", "b", default));
        Assert.Equal("1312000000000000001", await Ledger.PostedAsAsync("daily:r1:post", default));
        Assert.Null(await Ledger.FirstClaimedAsync("daily:r1:post", default));
    }

    [Fact]
    public async Task Only_a_part_recorded_with_an_address_says_where_it_was_posted()
    {
        await Ledger.TryClaimAsync("s:1#0", "a", default);
        await Ledger.RecordPostedAsync("s:1#0", default);
        await Ledger.TryClaimAsync("s:1#1", "a", default);
        await Ledger.RecordPostedAsync("s:1#2", "1764921600.000100", default);

        Assert.Null(await Ledger.PostedAsAsync("s:1#0", default));
        Assert.Null(await Ledger.PostedAsAsync("s:1#1", default));
        Assert.Null(await Ledger.PostedAsAsync("s:1#3", default));
        Assert.Equal("1764921600.000100", await Ledger.PostedAsAsync("s:1#2", default));
    }

    [Fact]
    public async Task A_claim_whose_holder_died_runs_out_and_the_part_is_reclaimed_as_one_that_may_have_been_posted()
    {
        Assert.Null(await Ledger.FirstClaimedAsync("s:1#0", default));
        await Ledger.TryClaimAsync("s:1#0", "a", default);
        var first = await Ledger.FirstClaimedAsync("s:1#0", default);

        Time.Advance(TimeSpan.FromMilliseconds(1200));

        Assert.Equal(DeliveryClaimOutcome.Reclaimed, await Ledger.TryClaimAsync("s:1#0", "b", default));
        Assert.NotNull(first);
        Assert.Equal(first, await Ledger.FirstClaimedAsync("s:1#0", default));
        Time.Advance(TimeSpan.FromMilliseconds(1200));
        Assert.Equal(DeliveryClaimOutcome.Reclaimed, await Ledger.TryClaimAsync("s:1#0", "c", default));
        Assert.Equal(first, await Ledger.FirstClaimedAsync("s:1#0", default));
    }

    [Fact]
    public async Task A_part_released_after_a_refused_post_is_claimed_afresh_and_a_posted_one_has_no_claim_time()
    {
        await Ledger.TryClaimAsync("s:1#0", "a", default);
        Time.Advance(TimeSpan.FromMilliseconds(1200));
        await Ledger.TryClaimAsync("s:1#0", "b", default);
        await Ledger.ReleaseAsync("s:1#0", "b", default);

        Assert.Equal(DeliveryClaimOutcome.Claimed, await Ledger.TryClaimAsync("s:1#0", "c", default));
        await Ledger.RecordPostedAsync("s:1#0", default);
        Assert.Null(await Ledger.FirstClaimedAsync("s:1#0", default));
    }

    [Fact]
    public async Task A_poster_whose_claim_ran_out_cannot_release_the_claim_of_the_one_that_took_over()
    {
        await Ledger.TryClaimAsync("s:1#0", "slow", default);
        Time.Advance(TimeSpan.FromMilliseconds(1200));
        await Ledger.TryClaimAsync("s:1#0", "next", default);

        await Ledger.ReleaseAsync("s:1#0", "slow", default);

        Assert.Equal(DeliveryClaimOutcome.HeldElsewhere, await Ledger.TryClaimAsync("s:1#0", "third", default));
    }

    [Fact]
    public void A_claim_lasts_half_the_reclaim_timeout_so_a_dead_posters_part_is_free_before_its_job_comes_back()
    {
        Assert.Equal(Options.ReclaimAfter / 2, Ledger.Lease);
        Assert.Equal(TimeSpan.FromSeconds(30), new SessionStoreOptions().PostLease);
    }

    [Fact]
    public async Task A_poster_that_keeps_renewing_keeps_its_claim_past_the_lease_and_one_that_stops_loses_it()
    {
        // A longer lease than the other cases: the check after the renewal falls after the first lease ran out and
        // well before the renewed one does.
        var ledger = await CreateAsync(new SessionStoreOptions { ReclaimAfter = TimeSpan.FromSeconds(8), EventRetention = TimeSpan.FromHours(1) }, Time);
        await ledger.TryClaimAsync("s:1#0", "live", default);

        Time.Advance(TimeSpan.FromMilliseconds(2500));
        Assert.True(await ledger.RenewAsync("s:1#0", "live", default));
        Time.Advance(TimeSpan.FromMilliseconds(2500));
        Assert.Equal(DeliveryClaimOutcome.HeldElsewhere, await ledger.TryClaimAsync("s:1#0", "next", default));

        Time.Advance(TimeSpan.FromMilliseconds(4500));
        Assert.Equal(DeliveryClaimOutcome.Reclaimed, await ledger.TryClaimAsync("s:1#0", "next", default));
        Assert.False(await ledger.RenewAsync("s:1#0", "live", default));
        Assert.True(await ledger.RenewAsync("s:1#0", "next", default));
    }

    [Fact]
    public async Task Nobody_renews_a_part_that_is_posted_released_or_never_claimed()
    {
        await Ledger.TryClaimAsync("s:1#0", "a", default);
        await Ledger.RecordPostedAsync("s:1#0", default);
        await Ledger.TryClaimAsync("s:1#1", "a", default);
        await Ledger.ReleaseAsync("s:1#1", "a", default);

        Assert.False(await Ledger.RenewAsync("s:1#0", "a", default));
        Assert.False(await Ledger.RenewAsync("s:1#1", "a", default));
        Assert.False(await Ledger.RenewAsync("s:1#2", "a", default));
        Assert.Equal(DeliveryClaimOutcome.AlreadyPosted, await Ledger.TryClaimAsync("s:1#0", "b", default));
    }

    [Fact]
    public async Task A_released_claim_is_free_at_once_but_releasing_never_forgets_a_posted_part()
    {
        await Ledger.TryClaimAsync("s:1#0", "a", default);
        await Ledger.ReleaseAsync("s:1#0", "a", default);
        Assert.Equal(DeliveryClaimOutcome.Claimed, await Ledger.TryClaimAsync("s:1#0", "a", default));

        await Ledger.RecordPostedAsync("s:1#0", default);
        await Ledger.ReleaseAsync("s:1#0", "a", default);

        Assert.Equal(DeliveryClaimOutcome.AlreadyPosted, await Ledger.TryClaimAsync("s:1#0", "a", default));
    }
}
