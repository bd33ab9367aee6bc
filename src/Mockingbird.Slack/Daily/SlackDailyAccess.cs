using Microsoft.Extensions.Logging;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.Slack.Daily;

/// <summary>
/// What Slack says about the person behind one command or form: workspace admins and owners (<c>users.info</c>) and
/// the channel's creator (<c>conversations.info</c>) may manage its daily question, and only its members
/// (<c>conversations.members</c>) may answer. Answers are remembered for this request only: a demoted admin or a
/// member who left is seen at their next request.
/// </summary>
internal sealed partial class SlackDailyAccess(ISlackWebApi web, string userId, ILogger logger) : IDailyAccess
{
    /// <summary>Members read per <c>conversations.members</c> page; Slack suggests no more than 200.</summary>
    public const int MembersPerPage = 200;

    /// <summary>
    /// Pages read before giving up on finding a member: 10,000 members, far beyond a study group, while a workspace's
    /// #general is not read to its end for every answer.
    /// </summary>
    public const int MemberPages = 50;

    private readonly Dictionary<string, ConversationDetails?> _channels = new(StringComparer.Ordinal);

    public async Task<bool> MayManageAsync(StudyChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (await IsWorkspaceAdminAsync(web, userId, channel.Space, cancellationToken))
        {
            return true;
        }

        return await InfoAsync(channel.Channel, cancellationToken) is { Creator: { } creator } && creator == userId;
    }

    /// <summary>Whether Slack (<c>users.info</c>) says the user is an admin or owner of the workspace <paramref name="teamId"/>.</summary>
    public static async Task<bool> IsWorkspaceAdminAsync(ISlackWebApi web, string userId, string? teamId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(web);
        var user = await web.UserInfoAsync(userId, cancellationToken);
        // An admin of another workspace, met in a channel shared across organisations, is no admin here.
        var ofThisWorkspace = user.TeamId is null || user.TeamId == teamId;
        return user is { Deleted: not true } && ofThisWorkspace && (user.IsAdmin == true || user.IsOwner == true || user.IsPrimaryOwner == true);
    }

    public async Task<string?> CannotPostInAsync(StudyChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var link = $"<#{channel.Channel}>";
        return await InfoAsync(channel.Channel, cancellationToken) switch
        {
            null => $"I can't see {link}: it does not exist, or it is a private channel I am not in. Invite me there with `/invite @Mockingbird`, then set the daily question again.",
            { IsIm: true } or { IsMpim: true } => "A daily question needs a channel, not a direct message: run this in the study group's channel, or name it.",
            { IsArchived: true } => $"{link} is archived, so nothing can be posted there. Unarchive it or choose another channel.",
            { IsMember: not true } => $"I am not in {link}, so I can't post there. Invite me with `/invite @Mockingbird` in {link}, then set the daily question again.",
            _ => null,
        };
    }

    public async Task<bool> IsMemberAsync(StudyChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        string? cursor = null;
        for (var page = 0; page < MemberPages; page++)
        {
            ConversationMembers members;
            try
            {
                members = await web.ConversationMembersAsync(channel.Channel, cursor, MembersPerPage, cancellationToken);
            }
            catch (SlackApiException ex) when (ex.Error is "channel_not_found" or "not_in_channel")
            {
                // A channel the bot cannot see has no members it can vouch for.
                return false;
            }

            if (members.Members?.Contains(userId, StringComparer.Ordinal) == true)
            {
                return true;
            }

            cursor = members.ResponseMetadata?.NextCursor is { Length: > 0 } next ? next : null;
            if (cursor is null)
            {
                return false;
            }
        }

        Log.MembersNotReadToTheEnd(logger, channel.Key, MemberPages * MembersPerPage);
        return false;
    }

    /// <summary>The channel as Slack describes it, or <c>null</c> when the bot cannot see it.</summary>
    private async Task<ConversationDetails?> InfoAsync(string channel, CancellationToken cancellationToken)
    {
        if (_channels.TryGetValue(channel, out var known))
        {
            return known;
        }

        ConversationDetails? details;
        try
        {
            details = await web.ConversationInfoAsync(channel, cancellationToken);
        }
        catch (SlackApiException ex) when (ex.Error is "channel_not_found" or "not_in_channel" or "method_not_supported_for_channel_type")
        {
            details = null;
        }

        _channels[channel] = details;
        return details;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Channel {ChannelKey} has more than {Members} members; a member not among them was refused an answer")]
        public static partial void MembersNotReadToTheEnd(ILogger logger, string channelKey, int members);
    }
}
