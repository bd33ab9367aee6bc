using Mockingbird.Interview.Questions;

namespace Mockingbird.StudyGroups.Schedules;

/// <summary>
/// Where a study group's channel lives: the platform, the server or workspace (<paramref name="Space"/>) and the
/// channel. <see cref="Key"/> names it everywhere the bot stores something about the channel.
/// </summary>
public sealed record StudyChannel(string Platform, string Space, string Channel)
{
    public string Key => $"{Platform}:{Space}:{Channel}";

    public static StudyChannel? Parse(string? key) =>
        key?.Split(':') is [var platform, var space, var channel] && platform.Length > 0 && space.Length > 0 && channel.Length > 0
            ? new StudyChannel(platform, space, channel)
            : null;
}

/// <summary>What an admin pinned the channel's questions to; anything left <c>null</c> is chosen by the bot.</summary>
public sealed record DailyFocus(Stage? Stage = null, Level? Level = null, Track? Track = null, string? Topic = null)
{
    public static readonly DailyFocus Any = new();

    public override string ToString()
    {
        var parts = new List<string>();
        if (Stage is { } stage)
        {
            parts.Add(stage.ToWire());
        }

        if (Level is { } level)
        {
            parts.Add(level.ToWire());
        }

        if (Track is { } track)
        {
            parts.Add(track.ToWire());
        }

        if (Topic is { } topic)
        {
            parts.Add($"topic {topic}");
        }

        return parts.Count == 0 ? "any stage and topic, aimed at the group's weakest area" : string.Join(", ", parts);
    }
}

/// <summary>
/// A channel's daily question: posted every day at <paramref name="At"/> in <paramref name="TimeZone"/> (an IANA
/// id), open for answers for <paramref name="RoundLength"/>.
/// </summary>
/// <param name="MentionRole">A Discord role to mention in the post; nobody else is ever mentioned.</param>
public sealed record DailySchedule(
    StudyChannel Channel,
    TimeOnly At,
    string TimeZone,
    DailyFocus Focus,
    TimeSpan RoundLength,
    string? MentionRole,
    string SetBy,
    DateTimeOffset SetAt)
{
    public static readonly TimeSpan DefaultRoundLength = TimeSpan.FromHours(24);

    public static readonly TimeSpan ShortestRound = TimeSpan.FromHours(1);

    /// <summary>A round may not run into the next day's post of the same channel.</summary>
    public static readonly TimeSpan LongestRound = TimeSpan.FromHours(24);

    public TimeZoneInfo Zone => DailyZones.Find(TimeZone) ?? throw new InvalidOperationException($"'{TimeZone}' is not a time zone this machine knows.");
}

/// <summary>Time zones by IANA id, as people type them.</summary>
public static class DailyZones
{
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return null;
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return zone.HasIanaId || string.Equals(zone.Id, "UTC", StringComparison.Ordinal) ? zone : null;
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }
}
