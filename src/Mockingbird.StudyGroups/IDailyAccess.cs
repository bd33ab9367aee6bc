using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.StudyGroups;

/// <summary>
/// What only the platform can tell about the person behind a request. A platform adapter makes one per request;
/// each answer may cost a platform call, so it is asked only when a command needs it.
/// </summary>
public interface IDailyAccess
{
    /// <summary>
    /// Whether the person may change the channel's daily question: on Discord, Manage Server in the interaction's
    /// member permissions; on Slack, a workspace admin or owner, or the channel's creator.
    /// </summary>
    Task<bool> MayManageAsync(StudyChannel channel, CancellationToken cancellationToken);

    /// <summary>Why the bot cannot post a daily question in the channel (it does not exist, is not a text channel, the bot is not in it), or <c>null</c>.</summary>
    Task<string?> CannotPostInAsync(StudyChannel channel, CancellationToken cancellationToken);

    /// <summary>Whether the person is a member of the channel, and so may answer its question.</summary>
    Task<bool> IsMemberAsync(StudyChannel channel, CancellationToken cancellationToken);
}

/// <summary>Who asked, from where: <paramref name="Here"/> is the channel the command or button was used in.</summary>
public sealed record DailyRequest(StudyChannel Here, string MemberId, IDailyAccess Access);
