using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;

namespace Mockingbird.Chat.Tests.Stores;

public sealed class SessionStoreOptionsTests
{
    [Fact]
    public void A_delivery_lease_as_long_as_the_reclaim_timeout_is_refused_naming_both_settings()
    {
        var options = new SessionStoreOptions { ReclaimAfter = TimeSpan.FromSeconds(20), DeliveryLease = TimeSpan.FromSeconds(20) };

        var result = new DataAnnotationValidateOptions<SessionStoreOptions>(null).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Sessions:DeliveryLease", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Sessions:ReclaimAfter", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reclaim_timeout_set_alone_brings_the_delivery_lease_down_with_it()
    {
        var options = new SessionStoreOptions { ReclaimAfter = TimeSpan.FromSeconds(4) };

        Assert.Equal(TimeSpan.FromSeconds(2), options.DeliveryLease);
        Assert.True(new DataAnnotationValidateOptions<SessionStoreOptions>(null).Validate(null, options).Succeeded);
    }

    [Fact]
    public void The_default_settings_are_valid()
    {
        Assert.True(new DataAnnotationValidateOptions<SessionStoreOptions>(null).Validate(null, new SessionStoreOptions()).Succeeded);
    }
}
