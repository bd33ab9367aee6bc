namespace Mockingbird.Drills;

/// <summary>No drill arrives between 22:00 and 08:00 in the candidate's own time zone.</summary>
public static class QuietHours
{
    public static readonly TimeOnly Begin = new(22, 0);

    public static readonly TimeOnly End = new(8, 0);

    /// <summary>The zone of an IANA id; UTC for one this machine does not know (a stored zone later removed).</summary>
    public static TimeZoneInfo Zone(string timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary><paramref name="due"/> itself outside quiet hours; otherwise the 08:00 local that ends them.</summary>
    public static DateTimeOffset Outside(DateTimeOffset due, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(due, zone);
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        if (time >= End && time < Begin)
        {
            return due;
        }

        var day = DateOnly.FromDateTime(local.DateTime);
        var morning = (time >= Begin ? day.AddDays(1) : day).ToDateTime(End);

        // 08:00 is outside every zone's daylight-saving gap, so it maps to one instant with that day's offset.
        return new DateTimeOffset(morning, zone.GetUtcOffset(morning));
    }
}
