using Microsoft.Extensions.Time.Testing;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Sessions.Tests;

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

    protected override Task<IDeliveryLedger> CreateAsync(SessionStoreOptions options, FakeTimeProvider time) =>
        Task.FromResult<IDeliveryLedger>(new InMemoryDeliveryLedger(Microsoft.Extensions.Options.Options.Create(options), time));

    protected override Task ElapseAsync(TimeSpan duration)
    {
        Time.Advance(duration);
        return Task.CompletedTask;
    }
}
