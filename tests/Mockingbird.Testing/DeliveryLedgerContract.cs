using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Sessions;
using Mockingbird.Sessions;
using Xunit;

namespace Mockingbird.Testing;

/// <summary>What every <see cref="IDeliveryLedger"/> must do; the in-memory and Redis ledgers both run it.</summary>
public abstract class DeliveryLedgerContract : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    protected SessionStoreOptions Options { get; } = new() { PostLease = TimeSpan.FromSeconds(1), EventRetention = TimeSpan.FromHours(1) };

    protected IDeliveryLedger Ledger { get; private set; } = null!;

    public async Task InitializeAsync() => Ledger = await CreateAsync(Options, Time);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IDeliveryLedger> CreateAsync(SessionStoreOptions options, FakeTimeProvider time);

    /// <summary>Lets time pass for the ledger: the fake clock, and real time for a server with its own clock.</summary>
    protected abstract Task ElapseAsync(TimeSpan duration);

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
    public async Task A_claim_whose_holder_died_runs_out_and_the_part_can_be_claimed_again()
    {
        await Ledger.TryClaimAsync("s:1#0", "a", default);

        await ElapseAsync(TimeSpan.FromMilliseconds(1200));

        Assert.Equal(DeliveryClaimOutcome.Claimed, await Ledger.TryClaimAsync("s:1#0", "a", default));
    }

    [Fact]
    public async Task A_poster_whose_claim_ran_out_cannot_release_the_claim_of_the_one_that_took_over()
    {
        await Ledger.TryClaimAsync("s:1#0", "slow", default);
        await ElapseAsync(TimeSpan.FromMilliseconds(1200));
        await Ledger.TryClaimAsync("s:1#0", "next", default);

        await Ledger.ReleaseAsync("s:1#0", "slow", default);

        Assert.Equal(DeliveryClaimOutcome.HeldElsewhere, await Ledger.TryClaimAsync("s:1#0", "third", default));
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
