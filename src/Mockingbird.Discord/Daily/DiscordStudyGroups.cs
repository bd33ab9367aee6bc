using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Mockingbird.Chat;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Rounds;

namespace Mockingbird.Discord.Daily;

/// <summary>
/// Study groups on Discord: a round is a message in the channel with an Answer button and a public thread started
/// from it; the tally is an edit of that message; the reveal is posted in the thread and private feedback in a
/// direct message. Every message is posted once under its key (<see cref="DiscordPostOnce"/>), so a step taken over
/// from a replica that died part way through does not post twice. Only the post names a role, the one an admin chose;
/// everything else allows no mention at all, so naming members never pings them.
/// </summary>
internal sealed partial class DiscordStudyGroups(IDiscordRest rest, DiscordPostOnce posts, DiscordInterviewOutput output, ILogger<DiscordStudyGroups> logger) : IStudyGroupPlatform
{
    public const string PlatformName = "discord";

    /// <summary>Discord's code for a message that already has a thread.</summary>
    private const int ThreadAlreadyCreated = 160004;

    /// <summary>Discord's code for a message that is not there (deleted).</summary>
    private const int UnknownMessage = 10008;

    /// <summary>Unknown Channel, Missing Access: the channel is gone, or the bot was shut out of it.</summary>
    private static readonly int[] ChannelGoneCodes = [10003, 50001];

    /// <summary>
    /// Missing Permissions: the bot sees the channel but may not post there now, as when moderators lock it for a
    /// while. Its schedule stays.
    /// </summary>
    private const int MissingPermissions = 50013;

    /// <summary>Discord's code for a user who does not take direct messages from the bot (closed DMs, no shared server).</summary>
    private const int CannotMessageUser = 50007;

    /// <summary>Three days: the discussion outlives the round, and posting the reveal in an archived thread opens it again.</summary>
    private const int ThreadArchiveMinutes = 4320;

    private const int ThreadNameLimit = 100;

    /// <summary>How many deleted posts of a round are replaced in turn before giving up.</summary>
    private const int MaxReplacements = 3;

    public string Name => PlatformName;

    public ChatMarkup Markup => DiscordMarkup.Instance;

    public async Task<PostedRound> PostRoundAsync(RoundPost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        var round = post.Round;
        var channel = round.Channel.Channel;
        var key = PostKey(round.Id);
        var message = Post(post);
        var create = new MessageCreate(
            message.Content,
            AllowedMentions: round.MentionRole is { } role ? AllowedMentions.OnlyRole(role) : AllowedMentions.None,
            Components: message.Components,
            Nonce: DiscordText.Nonce(key, 0),
            EnforceNonce: true);
        var name = ChatText.Shorten($"{post.Title} · {round.Slot.Day.ToString("d MMM", CultureInfo.InvariantCulture)}", ThreadNameLimit);

        // A post recorded by a version that kept no message ids is looked for from the round's slot: no post of the
        // round can be older. One it cannot find was deleted.
        var posted = await InChannelAsync(
            async () => await posts.PostAsync(channel, create, key, round.Slot.At, knownBy: null, cancellationToken)
                ?? await PostInPlaceAsync(channel, create, key, replacing: null, round, cancellationToken));
        for (var replaced = 0; ; replaced++)
        {
            if (await StartThreadAsync(channel, posted.Id, name, round.Id, cancellationToken) is { } thread)
            {
                return new PostedRound(posted.Id, thread);
            }

            if (replaced == MaxReplacements)
            {
                throw new InvalidOperationException($"Discord knows none of round {round.Id}'s posts, the last {posted.Id}.");
            }

            // The post recorded by a replica that died before the round was saved has been deleted since (and so may
            // a replacement recorded by one that died before recording it as the round's).
            var deleted = posted.Id;
            posted = await InChannelAsync(() => PostInPlaceAsync(channel, create, key, deleted, round, cancellationToken));
        }
    }

    public async Task UpdateRoundAsync(RoundPost post, PostedRound posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(posted);
        var message = Post(post);

        // An edit pings nobody: the role was mentioned once, when the round was posted.
        await rest.EditMessageAsync(
            post.Round.Channel.Channel,
            posted.PostId,
            new MessageEdit(message.Content, AllowedMentions: AllowedMentions.None, Components: message.Components),
            cancellationToken);
    }

    public async Task<bool> CloseUnrecordedRoundAsync(RoundPost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        var round = post.Round;
        var channel = round.Channel.Channel;

        // A post that reached the channel unrecorded is known by the text it was posted with.
        var posted = Post(post with { Answerers = [], Closed = false, NotRun = null }).Content;
        var closed = Post(post);
        var edit = new MessageEdit(closed.Content, AllowedMentions: AllowedMentions.None, Components: closed.Components);
        try
        {
            await foreach (var id in posts.WherePostedAsync(channel, posted, PostKey(round.Id), round.Slot.At, cancellationToken))
            {
                try
                {
                    await rest.EditMessageAsync(channel, id, edit, cancellationToken);
                    return true;
                }
                catch (DiscordApiException ex) when (ex.Code == UnknownMessage)
                {
                    // Deleted since; a replacement may be there instead.
                }
            }

            return false;
        }
        catch (DiscordApiException ex) when (ChannelGoneCodes.Contains(ex.Code))
        {
            // Nobody can press a button in a channel that is gone, or that the bot was shut out of.
            return false;
        }
    }

    public async Task PostInThreadAsync(string thread, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        try
        {
            await output.PostInChannelAsync(thread, actions, deliveryKey, cancellationToken);
        }
        catch (DiscordApiException ex) when (ex.Code == 10003)
        {
            // Someone deleted the round's thread. That was a moderator's call about one day, not about the channel's
            // schedule, so the reveal is given up (with this line) and the schedule runs on; a channel that is gone
            // shows itself at its next post.
            Log.ThreadGone(logger, deliveryKey);
        }
        catch (DiscordApiException ex) when (ChannelRefusal(ex, "a post in the round's thread") is { } refusal)
        {
            throw refusal;
        }
    }

    public async Task PostInChannelAsync(string channelId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        try
        {
            await output.PostInChannelAsync(channelId, actions, deliveryKey, cancellationToken);
        }
        catch (DiscordApiException ex) when (ChannelRefusal(ex, "a post in the channel") is { } refusal)
        {
            throw refusal;
        }
    }

    public async Task PostPrivatelyAsync(string memberId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        try
        {
            var direct = await rest.OpenDirectMessageAsync(DiscordInterviewBot.UserOf(memberId), cancellationToken);
            await output.PostInChannelAsync(direct.Id, actions, deliveryKey, cancellationToken);
        }
        catch (DiscordApiException ex) when (ex.Code == CannotMessageUser)
        {
            // The member does not take direct messages from the bot; nothing else can reach them privately.
            Log.DirectMessageRefused(logger, deliveryKey);
        }
    }

    public string NameOf(string memberId) => $"<@{DiscordInterviewBot.UserOf(memberId)}>";

    public string ChannelLink(string channelId) => $"<#{channelId}>";

    public string TimeOf(DateTimeOffset at) => $"<t:{at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}:f>";

    /// <summary>
    /// The round's message: the role (when one was chosen), the question, the deadline in each reader's own time
    /// zone, and who has answered (never what); its button opens the answer form, or shows the round has closed. A
    /// round that was never run says so instead of the deadline and the tally.
    /// </summary>
    internal static (string Content, IReadOnlyList<Component> Components) Post(RoundPost post)
    {
        ArgumentNullException.ThrowIfNull(post);
        var round = post.Round;
        var deadline = round.Deadline.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var head = new StringBuilder();
        if (round.MentionRole is { } role)
        {
            head.Append("<@&").Append(role).Append(">\n");
        }

        head.Append(DiscordMarkup.Instance.Heading(DiscordText.Inert(post.Title))).Append('\n');
        var when = post.NotRun ?? (post.Closed
            ? $"This round closed <t:{deadline}:F>. The reveal, everyone's feedback and the day's board follow in the thread."
            : $"Press **Answer** by <t:{deadline}:F> (<t:{deadline}:R>). Answers stay private until then and can be revised; the reveal, feedback and the day's board follow in the thread.");
        // The question is the bank's and short; it gives way only so that the tally always has room.
        const int TallyRoom = 600;
        head.Append(ChatText.Shorten(DiscordText.Inert(post.Question), DiscordText.MessageLimit - head.Length - when.Length - TallyRoom))
            .Append("\n\n")
            .Append(when);
        if (post.NotRun is null)
        {
            head.Append('\n');
            head.Append(Tally(post.Answerers, post.Closed, DiscordText.MessageLimit - head.Length));
        }

        var text = head.ToString();
        var shut = post.Closed || post.NotRun is not null;
        var button = new Component(
            ComponentTypes.Button,
            Style: shut ? ButtonStyles.Secondary : ButtonStyles.Primary,
            Label: post.NotRun is not null ? "Not run" : shut ? "Closed" : "Answer",
            CustomId: ComponentIds.DailyAnswer(round.Id),
            Disabled: shut ? true : null);
        return (text, [new Component(ComponentTypes.ActionRow, [button])]);
    }

    /// <summary>
    /// The round's post is recorded as made, yet it is not in the channel: it was deleted. The round's posting lease
    /// keeps every other replica out, and the ledger keeps the replacement once.
    /// </summary>
    private async Task<DiscordMessage> PostInPlaceAsync(string channel, MessageCreate create, string key, string? replacing, DailyRound round, CancellationToken cancellationToken)
    {
        Log.PostMissing(logger, round.Id);
        return await posts.PostInPlaceOfAsync(channel, create, key, replacing, round.Slot.At, cancellationToken);
    }

    /// <summary>Opens the round's thread on its post.</summary>
    /// <returns>
    /// The thread's id, or the channel's when the bot may post there but not open threads (the reveal goes to the
    /// channel rather than nowhere); null when Discord knows no such message (it was deleted).
    /// </returns>
    private async Task<string?> StartThreadAsync(string channel, string postId, string name, string roundId, CancellationToken cancellationToken)
    {
        try
        {
            return (await rest.StartThreadFromMessageAsync(channel, postId, new ThreadFromMessageCreate(name, ThreadArchiveMinutes), cancellationToken)).Id;
        }
        catch (DiscordApiException ex) when (ex.Code == UnknownMessage)
        {
            return null;
        }
        catch (DiscordApiException ex) when (ex.Code == ThreadAlreadyCreated)
        {
            // A repeat after a replica died between the thread and recording it: a message's thread has its id.
            return postId;
        }
        catch (DiscordApiException ex) when (ex.Code is 50001 or 50013)
        {
            Log.NoThreadPermission(logger, roundId, ex.Code);
            return channel;
        }
        catch (DiscordApiException ex) when (ChannelGoneCodes.Contains(ex.Code))
        {
            throw new StudyChannelGoneException($"Discord refused the round's thread with code {ex.Code}.", ex);
        }
    }

    private static string PostKey(string roundId) => $"daily:{roundId}:post";

    private static async Task<T> InChannelAsync<T>(Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (DiscordApiException ex) when (ChannelRefusal(ex, "the post") is { } refusal)
        {
            throw refusal;
        }
    }

    /// <summary>What Discord's refusal says of the channel: gone for good, closed to the bot for now, or neither.</summary>
    private static Exception? ChannelRefusal(DiscordApiException refused, string what) => refused.Code switch
    {
        _ when ChannelGoneCodes.Contains(refused.Code) => new StudyChannelGoneException($"Discord refused {what} with code {refused.Code}.", refused),
        MissingPermissions => new StudyPostRefusedException($"Discord refused {what} with code {refused.Code}, Missing Permissions", refused),
        _ => null,
    };

    /// <summary>Who has answered, as mentions that ping nobody, as many as fit in <paramref name="room"/> characters.</summary>
    private static string Tally(IReadOnlyList<string> answerers, bool closed, int room)
    {
        var label = closed ? "**Answered:**" : "**Answered so far:**";
        if (answerers.Count == 0)
        {
            return $"{label} nobody{(closed ? string.Empty : " yet")}.";
        }

        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{label} {answerers.Count} · "));
        for (var i = 0; i < answerers.Count; i++)
        {
            var name = $"<@{DiscordInterviewBot.UserOf(answerers[i])}>";
            var more = string.Create(CultureInfo.InvariantCulture, $" and {answerers.Count - i} more");
            if (text.Length + name.Length + 2 + more.Length > room)
            {
                return text.Append(i == 0 ? more.TrimStart() : more).ToString();
            }

            text.Append(i == 0 ? string.Empty : ", ").Append(name);
        }

        return text.ToString();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Daily round {RoundId}: Discord refused to open its thread (code {DiscordCode}); the reveal goes to the channel")]
        public static partial void NoThreadPermission(ILogger logger, string roundId, int discordCode);

        [LoggerMessage(2, LogLevel.Warning, "Delivery {DeliveryKey}: the round's thread was deleted; not posted")]
        public static partial void ThreadGone(ILogger logger, string deliveryKey);

        [LoggerMessage(3, LogLevel.Information, "Delivery {DeliveryKey}: the member takes no direct messages from the bot (Discord code 50007); not posted")]
        public static partial void DirectMessageRefused(ILogger logger, string deliveryKey);

        [LoggerMessage(4, LogLevel.Warning, "Daily round {RoundId}: its post is recorded as made but is not in the channel (deleted); it is posted again")]
        public static partial void PostMissing(ILogger logger, string roundId);
    }
}
