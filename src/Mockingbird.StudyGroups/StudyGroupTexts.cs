using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.StudyGroups;

/// <summary>How replies and posts name a channel and an instant, the same in a round's life and in the daily commands.</summary>
internal static class StudyGroupTexts
{
    /// <summary>
    /// What a round that ended without ever being recorded as posted says, on any post of it that reached the channel
    /// and to whoever presses its button.
    /// </summary>
    public const string NotRun = "This day's question was not run, so it takes no answers and has no reveal.";

    public static string ChannelLink(this IStudyGroupPlatform platform, StudyChannel channel) => platform.ChannelLink(channel.Channel);

    public static string When(this IStudyGroupPlatform platform, DateTimeOffset at) => platform.TimeOf(at);
}
