using Microsoft.Extensions.Logging;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Chat;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Discord;

/// <summary>Discord as the surface of one interaction or message: its channel, its user, threads and posts.</summary>
internal sealed partial class DiscordSurface(
    IDiscordRest rest,
    DiscordInterviewOutput output,
    DiscordOptions options,
    ILogger logger,
    string? channelId,
    DiscordChannel? channel,
    DiscordUser user,
    string? messageId = null) : IChatSurface
{
    /// <summary>Discord's error code for an action the channel's type does not allow (private threads in a news channel).</summary>
    private const int CannotExecuteOnChannelType = 50024;

    private readonly string _candidateId = DiscordInterviewBot.CandidateOf(user.Id);

    /// <summary>The thread opened public because a private one was refused, so the candidate can be told.</summary>
    private string? _publicInstead;

    public async Task<string> OpenThreadAsync(InterviewPlan? plan, CancellationToken cancellationToken)
    {
        // Threads cannot hold threads: a command used inside one opens the interview beside it.
        var parent = channel is { Type: ChannelTypes.PublicThread or ChannelTypes.PrivateThread, ParentId: { } threadParent }
            ? threadParent
            : channelId ?? throw new InvalidOperationException("The interaction came from no channel.");
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

        await rest.AddThreadMemberAsync(thread.Id, user.Id, cancellationToken);
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
                await rest.AddReactionAsync(channelId, messageId, "⚠️", cancellationToken);
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
        output.PostTextAsync(thread, DiscordRenderer.AnswerEcho(answer), deliveryKey, cancellationToken);

    public string Link(string thread) =>
        thread == _publicInstead ? $"<#{thread}> (a public thread: this channel does not allow private ones)" : $"<#{thread}>";

    /// <summary>Quoted text sits in a code block, where mentions do not render, and replies allow no mentions at all.</summary>
    public string Quote(string text) => text;

    public string Render(IReadOnlyList<InterviewAction> actions) => DiscordRenderer.Text(actions);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "A private thread was refused (Discord code {DiscordCode}); opening a public one")]
        public static partial void PrivateThreadRefused(ILogger logger, int discordCode);

        [LoggerMessage(2, LogLevel.Warning, "The warning reaction on an answer that could not be saved was refused (Discord code {DiscordCode})")]
        public static partial void WarningReactionRefused(ILogger logger, int discordCode);
    }
}
