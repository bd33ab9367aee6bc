using System.Globalization;
using Cronos;

namespace Mockingbird.StudyGroups.Schedules;

/// <summary>One day's post of a channel: the instant it is due and the channel's own date it belongs to.</summary>
public sealed record DailySlot(DateTimeOffset At, DateOnly Day)
{
    /// <summary>Names the slot in keys and ids: the channel's local date, one slot a day.</summary>
    public string Id => Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// When a channel's posts fall. A daily cron in the channel's time zone, so a post keeps its local time across daylight
/// saving changes: on the night clocks go forward a time that does not exist is posted at the first moment after the
/// gap, and on the night they go back a time that happens twice is posted once.
/// </summary>
public static class DailySlots
{
    /// <summary>The slots due in (<paramref name="after"/>, <paramref name="upTo"/>], earliest first.</summary>
    public static IEnumerable<DailySlot> Between(DailySchedule schedule, DateTimeOffset after, DateTimeOffset upTo)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var zone = schedule.Zone;
        return Cron(schedule.At)
            .GetOccurrences(after.UtcDateTime, upTo.UtcDateTime, zone, fromInclusive: false, toInclusive: true)
            .Select(at => Slot(at, zone));
    }

    /// <summary>The latest slot at or before <paramref name="now"/>, looking back at most two days.</summary>
    public static DailySlot? Latest(DailySchedule schedule, DateTimeOffset now) =>
        Between(schedule, now.AddDays(-2), now).LastOrDefault();

    /// <summary>The first slot after <paramref name="now"/>.</summary>
    public static DailySlot Next(DailySchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var zone = schedule.Zone;
        var at = Cron(schedule.At).GetNextOccurrence(now.UtcDateTime, zone)
            ?? throw new InvalidOperationException("A daily schedule always has a next slot.");
        return Slot(at, zone);
    }

    /// <summary>The channel's own date at an instant.</summary>
    public static DateOnly DayOf(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    private static DailySlot Slot(DateTime utc, TimeZoneInfo zone)
    {
        var at = new DateTimeOffset(utc, TimeSpan.Zero);
        return new DailySlot(at, DayOf(at, zone));
    }

    private static CronExpression Cron(TimeOnly at) =>
        CronExpression.Parse(string.Create(CultureInfo.InvariantCulture, $"{at.Minute} {at.Hour} * * *"));
}
