using Microsoft.Extensions.Logging;
using Mockingbird.Chat;
using Mockingbird.Chat.Threads;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Discord;

/// <summary>Discord as the surface of one interaction or message: its channel, its user, threads and posts.</summary>
internal sealed partial class DiscordSurface(
    IDiscordRest rest,
    DiscordInterviewOutput output,
    IInterviewThreads threads,
    DiscordOptions options,
    ILogger logger,
    string? channelId,
    DiscordChannel? channel,
    DiscordUser user,
    string? messageId = null,
    Action<string>? threadOpened = null,
    ICollection<ChatImage>? imagesAfterReply = null) : IChatSurface
{
    /// <summary>What the candidate is told when an image is asked for where no private reply can carry it.</summary>
    public const string NoPrivateImage = "I can only show images in reply to a command, where nobody else sees them.";

    /// <summary>Discord's error code for an action the channel's type does not allow (private threads in a news channel).</summary>
    private const int CannotExecuteOnChannelType = 50024;

    /// <summary>Marks an answer that could not be saved; it stays on the message, so a later reading of the thread knows.</summary>
    public const string NotSavedReaction = "⚠️";

    /// <summary>Discord has given this emoji back both with and without its variation selector (U+FE0F).</summary>
    public static bool IsNotSavedReaction(string? name) =>
        name?.Replace("\uFE0F", string.Empty, StringComparison.Ordinal) == NotSavedReaction.Replace("\uFE0F", string.Empty, StringComparison.Ordinal);

    private readonly string _candidateId = DiscordInterviewBot.CandidateOf(user.Id);

    /// <summary>The thread opened public because a private one was refused, so the candidate can be told.</summary>
    private string? _publicInstead;

    public async Task<string> OpenThreadAsync(InterviewPlan? plan, CancellationToken cancellationToken)
    {
        var parent = await ThreadParentAsync(cancellationToken);
        var name = $"Mock interview · {plan?.ToWire() ?? "resumed"} · {user.Username ?? "candidate"}";
        name = name.Length <= 100 ? name : name[..100];
        DiscordChannel thread;
        if (options.PrivateThreads)
        {
            try
            {
                thread = await rest.StartThreadAsync(parent, new ThreadCreate(name, options.ThreadAutoArchiveMinutes, ChannelTypes.PrivateThread, Invitable: false), cancellationToken);
            }
            catch (DiscordApiException ex) when (ex.Status == 403 || ex.Code == CannotExecuteOnChannelType)
            {
                // Private threads need the server's permission and a text channel; a public thread works elsewhere.
                Log.PrivateThreadRefused(logger, ex.Code);
                thread = await rest.StartThreadAsync(parent, new ThreadCreate(name, options.ThreadAutoArchiveMinutes, ChannelTypes.PublicThread), cancellationToken);
                _publicInstead = thread.Id;
            }
        }
        else
        {
            thread = await rest.StartThreadAsync(parent, new ThreadCreate(name, options.ThreadAutoArchiveMinutes, ChannelTypes.PublicThread), cancellationToken);
        }

        try
        {
            await rest.AddThreadMemberAsync(thread.Id, user.Id, cancellationToken);

            // Read from its start: an answer written there while the bot is down is caught up on from here.
            if ((thread.GuildId ?? channel?.GuildId) is { } guild)
            {
                await threads.MarkReadAsync(new InterviewThreadMark(_candidateId, thread.Id, guild, thread.Id), cancellationToken);
            }

            // A thread opened now has nothing written before it to catch up on.
            threadOpened?.Invoke(thread.Id);
        }
        catch (Exception ex)
        {
            // Nothing will ever point at this thread: the candidate is not in it and it is not recorded as theirs, so
            // each retry would leave another one behind.
            await DeleteUnusedThreadAsync(thread.Id, ex);
            throw;
        }

        return thread.Id;
    }

    public Task PostAsync(string thread, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken) =>
        output.PostAsync(_candidateId, thread, actions, deliveryKey, cancellationToken);

    public Task MarkAnswerTakenAsync(CancellationToken cancellationToken) =>
        messageId is null || channelId is null ? Task.CompletedTask : rest.AddReactionAsync(channelId, messageId, "✅", cancellationToken);

    public async Task WarnNotSavedAsync(string thread, string notice, CancellationToken cancellationToken)
    {
        if (messageId is not null && channelId is not null)
        {
            try
            {
                await rest.AddReactionAsync(channelId, messageId, NotSavedReaction, cancellationToken);
            }
            catch (DiscordApiException ex)
            {
                Log.WarningReactionRefused(logger, ex.Code);
            }
        }

        // A message has no private reply in Discord; the nonce keeps a repeated warning to one post.
        await rest.CreateMessageAsync(thread, new MessageCreate(notice, AllowedMentions: AllowedMentions.None, Nonce: DiscordText.Nonce($"not-saved:{messageId ?? thread}", 0), EnforceNonce: true), cancellationToken);
    }

    public Task EchoAnswerAsync(string thread, string answer, string deliveryKey, CancellationToken cancellationToken) =>
        output.EchoAnswerAsync(_candidateId, thread, answer, deliveryKey, cancellationToken);

    /// <summary>
    /// Kept for the interaction's reply: an ephemeral follow-up sent before the deferred reply is completed would
    /// take its place, so the bot posts the images once the reply text is in.
    /// </summary>
    public Task<string?> ShowImageAsync(ChatImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (imagesAfterReply is null)
        {
            return Task.FromResult<string?>(NoPrivateImage);
        }

        imagesAfterReply.Add(image);
        return Task.FromResult<string?>(null);
    }

    public string Link(string thread) =>
        thread == _publicInstead ? $"<#{thread}> (a public thread: this channel does not allow private ones)" : $"<#{thread}>";

    /// <summary>Quoted text sits in a code block, where mentions do not render, and replies allow no mentions at all.</summary>
    public string Quote(string text) => text;

    public string Render(IReadOnlyList<InterviewAction> actions) => DiscordRenderer.Text(actions);

    /// <summary>
    /// Where a new thread goes: the channel the interaction came from, or that thread's parent, since a thread cannot
    /// hold threads. Discord may send an interaction with only <c>channel_id</c>, so the channel is asked for then.
    /// </summary>
    private async Task<string> ThreadParentAsync(CancellationToken cancellationToken)
    {
        var where = channel;
        if (where is null || (IsThread(where.Type) && where.ParentId is null))
        {
            var id = where?.Id ?? channelId ?? throw new ThreadParentUnknownException("The interaction came from no channel.");
            try
            {
                where = await rest.GetChannelAsync(id, cancellationToken);
            }
            catch (DiscordApiException ex)
            {
                Log.ChannelUnknown(logger, ex.Status, ex.Code);
                throw new ThreadParentUnknownException("The channel the interaction came from could not be read.", ex);
            }
        }

        if (!IsThread(where.Type))
        {
            return where.Id;
        }

        return where.ParentId ?? throw new ThreadParentUnknownException("The interaction came from a thread whose parent is not known.");
    }

    private static bool IsThread(int channelType) =>
        channelType is ChannelTypes.AnnouncementThread or ChannelTypes.PublicThread or ChannelTypes.PrivateThread;

    private async Task DeleteUnusedThreadAsync(string threadId, Exception setupFailure)
    {
        try
        {
            // Not the request's token: the thread must go even when the request is being given up.
            await rest.DeleteChannelAsync(threadId, CancellationToken.None);
            Log.UnusedThreadDeleted(logger, setupFailure.GetType().Name);
        }
        catch (Exception ex) when (ex is DiscordApiException or HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            Log.UnusedThreadNotDeleted(logger, setupFailure.GetType().Name, ex.GetType().Name, (ex as DiscordApiException)?.Code ?? 0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "A private thread was refused (Discord code {DiscordCode}); opening a public one")]
        public static partial void PrivateThreadRefused(ILogger logger, int discordCode);

        [LoggerMessage(5, LogLevel.Warning, "The warning reaction on an answer that could not be saved was refused (Discord code {DiscordCode})")]
        public static partial void WarningReactionRefused(ILogger logger, int discordCode);

        [LoggerMessage(2, LogLevel.Warning, "Setting up an interview thread failed with {ErrorType}; the thread was deleted")]
        public static partial void UnusedThreadDeleted(ILogger logger, string errorType);

        [LoggerMessage(3, LogLevel.Error, "Setting up an interview thread failed with {ErrorType} and deleting the thread failed with {DeleteErrorType} (Discord code {DiscordCode}); it is left without its candidate")]
        public static partial void UnusedThreadNotDeleted(ILogger logger, string errorType, string deleteErrorType, int discordCode);

        [LoggerMessage(4, LogLevel.Warning, "The channel of an interaction could not be read ({Status}, Discord code {DiscordCode}); no thread was opened")]
        public static partial void ChannelUnknown(ILogger logger, int status, int discordCode);
    }
}
