using System.Globalization;
using System.Numerics;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.Discord.Daily;

/// <summary>What one interaction tells about the person behind it, for study groups' commands and answers.</summary>
internal sealed class DiscordDailyAccess(Interaction interaction, IDiscordRest rest) : IDailyAccess
{
    /// <summary>
    /// The channel a request is about when it names none: where it was used, or, used in a thread (a round's
    /// discussion), the channel the thread belongs to.
    /// </summary>
    public static StudyChannel? Here(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return interaction.GuildId is { } guild && interaction.ChannelOrThreadParent is { } channel
            ? new StudyChannel(DiscordStudyGroups.PlatformName, guild, channel)
            : null;
    }

    /// <summary>
    /// Manage Server or Administrator in the member's permissions, which Discord computes for the interaction. They
    /// are the permissions in the channel it was used in, but neither can be granted or taken away per channel, so
    /// they hold for any channel the command names.
    /// </summary>
    public Task<bool> MayManageAsync(StudyChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return Task.FromResult(channel.Space == interaction.GuildId && ManagesServer(interaction));
    }

    /// <summary>Whether the member behind an interaction in a server holds Manage Server or Administrator there.</summary>
    public static bool ManagesServer(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return interaction.GuildId is not null
            && BigInteger.TryParse(interaction.Member?.Permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var permissions)
            && !(permissions & (DiscordPermissions.Administrator | DiscordPermissions.ManageGuild)).IsZero;
    }

    public async Task<string?> CannotPostInAsync(StudyChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var link = $"<#{channel.Channel}>";
        var known = interaction.Data?.Resolved?.Channels?.GetValueOrDefault(channel.Channel)
            ?? (interaction.Channel?.Id == channel.Channel ? interaction.Channel : null);
        if (known is null)
        {
            try
            {
                known = await rest.GetChannelAsync(channel.Channel, cancellationToken);
            }
            catch (DiscordApiException ex) when (ex.Code == 10003 || ex.Status == 404)
            {
                return $"I can't find a channel {link} in this server; choose a text channel with the `channel` option.";
            }
            catch (DiscordApiException ex) when (ex.Code is 50001 or 50013 || ex.Status == 403)
            {
                return $"I can't see {link}: give me View Channel, Send Messages and Create Public Threads there, then set it again.";
            }

            if (known.GuildId is { } guild && guild != channel.Space)
            {
                return $"{link} is in another server; a daily question can only be set from the server it is posted in.";
            }
        }

        return known.Type switch
        {
            ChannelTypes.GuildText or ChannelTypes.GuildAnnouncement => null,
            ChannelTypes.PublicThread or ChannelTypes.PrivateThread or ChannelTypes.AnnouncementThread =>
                $"{link} is a thread. A daily question needs a text or announcement channel, where each day's post opens its own thread.",
            _ => $"{link} is not a text or announcement channel. A daily question needs one, where each day's post opens its own thread.",
        };
    }

    /// <summary>
    /// Whoever presses a round's Answer button can see the channel: Discord shows the post, and so the button, only
    /// to people who can view it, and the press (and the form sent from it) comes with that channel's id. Seeing a
    /// channel is what membership is on Discord, where a server channel has no member list apart from its
    /// permissions; checking the guild and channel refuses an answer to a round of another channel.
    /// </summary>
    /// <remarks>The post also shows at the top of its own thread, and a press there comes with the thread's id: the thread's channel counts.</remarks>
    public Task<bool> IsMemberAsync(StudyChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return Task.FromResult(Here(interaction) == channel);
    }
}
