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
}
