using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.StudyGroups.Tests;

/// <summary>Two weeks of slots around each daylight saving change of two time zones, as pure dates.</summary>
public sealed class DailySlotsTests
{
    public static TheoryData<string, string, string> AroundEveryChange => new()
    {
        // zone, the local date of the change, the local time of the post
        { "Europe/Berlin", "2026-03-29", "09:00" },
        { "Europe/Berlin", "2026-03-29", "02:30" },
        { "Europe/Berlin", "2026-10-25", "09:00" },
        { "Europe/Berlin", "2026-10-25", "02:30" },
        { "Europe/Berlin", "2026-10-25", "01:30" },
        { "America/New_York", "2026-03-08", "09:00" },
        { "America/New_York", "2026-03-08", "02:30" },
        { "America/New_York", "2026-11-01", "09:00" },
        { "America/New_York", "2026-11-01", "01:30" },
    };

    [Theory]
    [MemberData(nameof(AroundEveryChange))]
    public void Two_weeks_across_a_daylight_saving_change_have_exactly_one_slot_per_local_day_at_its_local_time(string zoneId, string change, string at)
    {
        var schedule = Schedule(at, zoneId);
        var zone = schedule.Zone;
        var changeDay = DateOnly.Parse(change, System.Globalization.CultureInfo.InvariantCulture);
        var from = new DateTimeOffset(changeDay.AddDays(-7).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var slots = DailySlots.Between(schedule, from, from.AddDays(15)).ToList();

        var days = Enumerable.Range(-6, 14).Select(changeDay.AddDays).ToList();
        Assert.Equal(days, slots.Select(s => s.Day).Where(d => d >= days[0] && d <= days[^1]));
        Assert.Equal(slots.Count, slots.Select(s => s.Id).Distinct().Count());
        var local = TimeOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var slot in slots)
        {
            var wall = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(slot.At, zone).DateTime);
            Assert.Equal(slot.Day, DailySlots.DayOf(slot.At, zone));
            if (zone.IsInvalidTime(slot.Day.ToDateTime(local)))
            {
                // The time does not exist that night: posted at the first moment after the gap, the same day.
                Assert.True(wall > local && wall <= local.AddHours(1), $"{slot.Id} was posted at {wall}, not just after the gap at {local}");
            }
            else
            {
                Assert.Equal(local, wall);
            }
        }
    }

    [Fact]
    public void A_time_that_happens_twice_on_the_night_clocks_go_back_is_one_slot_at_its_first_occurrence()
    {
        var schedule = Schedule("02:30", "Europe/Berlin");

        var slots = DailySlots.Between(schedule, new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 25, 12, 0, 0, TimeSpan.Zero)).ToList();

        var slot = Assert.Single(slots);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), slot.At);
        Assert.Equal("2026-10-25", slot.Id);
    }

    [Fact]
    public void A_time_inside_the_spring_forward_gap_is_posted_when_the_clocks_have_jumped()
    {
        var schedule = Schedule("02:30", "America/New_York");

        var slot = DailySlots.Next(schedule, new DateTimeOffset(2026, 3, 7, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 0, 0, TimeSpan.Zero), slot.At);
        Assert.Equal("2026-03-08", slot.Id);
    }

    [Fact]
    public void The_latest_slot_is_the_one_already_due_and_the_next_is_tomorrows()
    {
        var schedule = Schedule("09:00", "Europe/Berlin");
        var now = new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal("2026-03-29", DailySlots.Latest(schedule, now)!.Id);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero), DailySlots.Latest(schedule, now)!.At);
        Assert.Equal("2026-03-30", DailySlots.Next(schedule, now).Id);
    }

    private static DailySchedule Schedule(string at, string zone) =>
        new(StudyGroupWorld.Channel, TimeOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture), zone, DailyFocus.Any, DailySchedule.DefaultRoundLength, null, "admin", DateTimeOffset.MinValue);
}
