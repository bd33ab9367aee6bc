namespace Mockingbird.Drills.Tests;

public sealed class QuietHoursTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // Berlin in summer time (UTC+2): 01:30 local waits for 08:00 local.
    [InlineData("Europe/Berlin", "2026-10-23T23:30:00Z", "2026-10-24T06:00:00Z")]
    // The night summer time ends (25 October): 08:00 local is now UTC+1.
    [InlineData("Europe/Berlin", "2026-10-24T23:30:00Z", "2026-10-25T07:00:00Z")]
    // 22:30 local, before midnight: the next morning.
    [InlineData("Europe/Berlin", "2026-11-23T21:30:00Z", "2026-11-24T07:00:00Z")]
    // New York, 23:00 EDT on 31 October: summer time ends overnight, so 08:00 EST is 13:00 UTC.
    [InlineData("America/New_York", "2026-11-01T03:00:00Z", "2026-11-01T13:00:00Z")]
    [InlineData("America/New_York", "2026-10-31T03:00:00Z", "2026-10-31T12:00:00Z")]
    [InlineData("UTC", "2026-11-23T07:59:00Z", "2026-11-23T08:00:00Z")]
    public void A_time_in_quiet_hours_moves_to_eight_in_the_morning_local(string zone, string due, string expected)
    {
        Assert.Equal(Utc(expected), QuietHours.Outside(Utc(due), QuietHours.Zone(zone)));
    }

    [Theory]
    [InlineData("Europe/Berlin", "2026-11-23T07:00:00Z")]
    [InlineData("Europe/Berlin", "2026-11-23T20:59:00Z")]
    [InlineData("America/New_York", "2026-11-23T15:00:00Z")]
    public void A_time_outside_quiet_hours_stays(string zone, string due)
    {
        Assert.Equal(Utc(due), QuietHours.Outside(Utc(due), QuietHours.Zone(zone)));
    }
}
