using System.Globalization;

namespace Mockingbird.Discord.Wire;

/// <summary>Discord ids are snowflakes: their top bits are the creation time in milliseconds since 2015-01-01.</summary>
internal static class Snowflakes
{
    private const long DiscordEpochMilliseconds = 1_420_070_400_000;

    public static DateTimeOffset? CreatedAt(string? snowflake) =>
        ulong.TryParse(snowflake, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(id >> 22) + DiscordEpochMilliseconds)
            : null;

    /// <summary>The smallest id Discord could give anything created at <paramref name="time"/>, for reading a channel from then on.</summary>
    public static string At(DateTimeOffset time) =>
        ((ulong)Math.Max(0, time.ToUnixTimeMilliseconds() - DiscordEpochMilliseconds) << 22).ToString(CultureInfo.InvariantCulture);

    /// <summary>The latest of <paramref name="snowflakes"/>: ids grow with time, and as numbers, not as text.</summary>
    public static string Latest(IEnumerable<string> snowflakes) =>
        snowflakes.MaxBy(id => ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            ?? throw new ArgumentException("No ids to choose from.", nameof(snowflakes));
}
