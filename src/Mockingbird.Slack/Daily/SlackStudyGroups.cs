using System.Globalization;
using Microsoft.Extensions.Logging;
using Mockingbird.Chat;
using Mockingbird.Interview.Sessions;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;
using Mockingbird.StudyGroups;

namespace Mockingbird.Slack.Daily;

/// <summary>
/// Study groups on Slack. The round's post is a top-level message in the channel and its thread is the discussion
/// and the reveal. Slack has no idempotency key, so every post goes through the delivery ledger with its digest as
/// message metadata (as interview parts do): a replica that takes over a round another one died posting finds that
/// post in the channel instead of posting it again.
/// </summary>
internal sealed partial class SlackStudyGroups(ISlackWebApi web, SlackInterviewOutput output, ILogger<SlackStudyGroups> logger) : IStudyGroupPlatform
{
    public const string PlatformName = "slack";

    /// <summary>Slack errors after which the bot cannot post in the channel again: it is gone, archived, or the bot was removed or uninstalled.</summary>
    private static readonly HashSet<string> ChannelGone = new(StringComparer.Ordinal)
    {
        "channel_not_found", "is_archived", "not_in_channel", "account_inactive",
    };

    /// <summary>
    /// Slack errors for a channel that takes no post from the bot for now (made read-only or announcement-only, or a
    /// workspace setting): its schedule stays.
    /// </summary>
    private static readonly HashSet<string> PostRefused = new(StringComparer.Ordinal)
    {
        "restricted_action", "restricted_action_read_only_channel", "restricted_action_thread_only_channel", "restricted_action_non_threadable_channel",
    };

    /// <summary>Slack errors that mean one round's post (and so its thread) was deleted: that day's, not the channel's.</summary>
    private static readonly HashSet<string> PostGone = new(StringComparer.Ordinal) { "thread_not_found", "message_not_found" };

    /// <summary>Slack errors that concern one member's direct messages, never the channel.</summary>
    private static readonly HashSet<string> MemberUnreachable = new(StringComparer.Ordinal)
    {
        "user_not_found", "user_disabled", "account_inactive", "cannot_dm_bot", "messages_tab_disabled", "channel_not_found", "is_archived", "not_in_channel",
    };

    public string Name => PlatformName;

    public ChatMarkup Markup => SlackMarkup.Instance;

    public async Task<PostedRound> PostRoundAsync(RoundPost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        var channel = post.Round.Channel.Channel;
        var message = SlackDailyRenderer.RoundPost(post, TimeOf);
        var key = PostKey(post.Round.Id);
        try
        {
            // A post recorded by a version that kept no ts is looked for from the round's slot: no post of the round
            // can be older.
            var posted = await output.PostAtTopOnceAsync(channel, message, key, post.Round.Slot.At, cancellationToken);
            if (posted is null)
            {
                // The ledger says it was posted, yet it is not in the channel: it was deleted. The round's posting
                // lease keeps every other replica out, and the ledger keeps the replacement once.
                Log.PostMissing(logger, post.Round.Id);
                posted = await output.PostAtTopInPlaceOfAsync(channel, message, key, post.Round.Slot.At, cancellationToken);
            }

            var at = new SlackThread(posted.Channel ?? channel, posted.Ts ?? throw new SlackApiException(SlackCall.PostMessage, "no_ts")).ToString();
            return new PostedRound(at, at);
        }
        catch (SlackApiException ex) when (ChannelGone.Contains(ex.Error))
        {
            throw Gone(ex);
        }
        catch (SlackApiException ex) when (PostRefused.Contains(ex.Error))
        {
            throw Refused(ex);
        }
    }

    public async Task UpdateRoundAsync(RoundPost post, PostedRound posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(posted);
        var at = SlackThread.Parse(posted.PostId) ?? throw new InvalidOperationException("Not a Slack message address.");
        var message = SlackDailyRenderer.RoundPost(post, TimeOf);
        try
        {
            await web.UpdateMessageAsync(new UpdateMessage(at.Channel, at.Ts, message.Text, message.Blocks, SlackInterviewOutput.MetadataOf(PostKey(post.Round.Id))), cancellationToken);
        }
        catch (SlackApiException ex) when (ChannelGone.Contains(ex.Error))
        {
            throw Gone(ex);
        }
    }

    public async Task<bool> CloseUnrecordedRoundAsync(RoundPost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        var channel = post.Round.Channel.Channel;
        var key = PostKey(post.Round.Id);
        var message = SlackDailyRenderer.RoundPost(post, TimeOf);
        try
        {
            await foreach (var ts in output.WherePostedAtTopAsync(channel, key, post.Round.Slot.At, cancellationToken))
            {
                try
                {
                    await web.UpdateMessageAsync(new UpdateMessage(channel, ts, message.Text, message.Blocks, SlackInterviewOutput.MetadataOf(key)), cancellationToken);
                    return true;
                }
                catch (SlackApiException ex) when (PostGone.Contains(ex.Error))
                {
                    // Deleted since; a replacement may be there instead.
                }
            }

            return false;
        }
        catch (SlackApiException ex) when (ChannelGone.Contains(ex.Error))
        {
            // Nobody can press a button in a channel that is gone, or that the bot was removed from.
            return false;
        }
    }

    public async Task PostInThreadAsync(string thread, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        try
        {
            // The thread is the round's, not a candidate's: the name given cannot be a candidate (they are slack:U…).
            await output.PostAsync($"daily:{thread}", thread, actions, deliveryKey, cancellationToken);
        }
        catch (SlackApiException ex) when (PostGone.Contains(ex.Error))
        {
            // A moderator deleted the day's post: its reveal has nowhere to go, but the channel's schedule goes on.
            Log.ThreadGone(logger, deliveryKey, ex.Error);
        }
        catch (SlackApiException ex) when (ChannelGone.Contains(ex.Error))
        {
            throw Gone(ex);
        }
        catch (SlackApiException ex) when (PostRefused.Contains(ex.Error))
        {
            throw Refused(ex);
        }
    }

    public async Task PostInChannelAsync(string channelId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        var parts = SlackRenderer.Messages(actions);
        try
        {
            for (var part = 0; part < parts.Count; part++)
            {
                await output.PostAtTopOnceAsync(channelId, parts[part], $"{deliveryKey}#{part}", findPostedSince: null, cancellationToken);
            }
        }
        catch (SlackApiException ex) when (ChannelGone.Contains(ex.Error))
        {
            throw Gone(ex);
        }
        catch (SlackApiException ex) when (PostRefused.Contains(ex.Error))
        {
            throw Refused(ex);
        }
    }

    public async Task PostPrivatelyAsync(string memberId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        try
        {
            var direct = await web.OpenDirectMessageAsync(SlackInterviewBot.UserOf(memberId), cancellationToken);
            var parts = SlackRenderer.Messages(actions);
            for (var part = 0; part < parts.Count; part++)
            {
                await output.PostAtTopOnceAsync(direct, parts[part], $"{deliveryKey}#{part}", findPostedSince: null, cancellationToken);
            }
        }
        catch (SlackApiException ex) when (MemberUnreachable.Contains(ex.Error))
        {
            // One member who left or blocks direct messages says nothing about the channel: the rest goes on.
            Log.MemberUnreachable(logger, deliveryKey, ex.Error);
        }
    }

    public string NameOf(string memberId) => $"<@{SlackInterviewBot.UserOf(memberId)}>";

    public string ChannelLink(string channelId) => $"<#{channelId}>";

    /// <summary>Slack shows a date token in each reader's own time zone; the fallback is for clients that cannot.</summary>
    public string TimeOf(DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time}}|{at.UtcDateTime:d MMM yyyy HH:mm} UTC>");

    private static string PostKey(string roundId) => $"daily:{roundId}:post";

    private static StudyChannelGoneException Gone(SlackApiException ex) => new($"Slack answered {ex.Method} with '{ex.Error}'", ex);

    private static StudyPostRefusedException Refused(SlackApiException ex) => new($"Slack answered {ex.Method} with '{ex.Error}'", ex);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Daily round {RoundId} was recorded as posted but its post is not in the channel; posting it again")]
        public static partial void PostMissing(ILogger logger, string roundId);

        [LoggerMessage(3, LogLevel.Warning, "Daily post {DeliveryKey} dropped: the round's post was deleted ({SlackError}); the channel's schedule goes on")]
        public static partial void ThreadGone(ILogger logger, string deliveryKey, string slackError);

        [LoggerMessage(2, LogLevel.Warning, "Private daily post {DeliveryKey} could not reach its member ({SlackError}); skipped")]
        public static partial void MemberUnreachable(ILogger logger, string deliveryKey, string slackError);
    }
}
