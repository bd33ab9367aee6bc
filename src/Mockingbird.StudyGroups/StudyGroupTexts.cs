using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.StudyGroups;

/// <summary>How replies and posts name a channel and an instant, the same in a round's life and in the daily commands.</summary>
internal static class StudyGroupTexts
{
    public static string ChannelLink(this IStudyGroupPlatform platform, StudyChannel channel) => platform.ChannelLink(channel.Channel);

    public static string When(this IStudyGroupPlatform platform, DateTimeOffset at) => platform.TimeOf(at);
}
