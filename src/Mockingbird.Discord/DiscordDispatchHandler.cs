using System.Text.Json;
using Microsoft.Extensions.Logging;
using Mockingbird.Discord.Gateway;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;

namespace Mockingbird.Discord;

/// <summary>
/// The gateway's events the bot acts on: interactions (when they do not come over HTTP), messages, and each session
/// start, after which the interview threads are caught up on.
/// </summary>
internal sealed partial class DiscordDispatchHandler(DiscordInterviewBot bot, DiscordThreadCatchUp catchUp, IDiscordRest rest, TimeProvider time, ILogger<DiscordDispatchHandler> logger) : IGatewayDispatchHandler
{
    /// <summary>How long Discord waits for an interaction's first response.</summary>
    private static readonly TimeSpan ResponseDeadline = TimeSpan.FromSeconds(3);

    public async Task HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        switch (dispatch.Type)
        {
            case "INTERACTION_CREATE" when dispatch.Data.Deserialize(DiscordJson.Default.Interaction) is { } interaction:
                if (Snowflakes.CreatedAt(interaction.Id) is { } created && time.GetUtcNow() - created > ResponseDeadline)
                {
                    // Replayed after a resume, too late to answer: Discord has already told the user it failed.
                    Log.TooLateToAnswer(logger, interaction.Id);
                    return;
                }

                var acknowledgement = await bot.AcknowledgeAsync(interaction, cancellationToken);
                await rest.RespondToInteractionAsync(interaction.Id, interaction.Token, acknowledgement, cancellationToken);
                if (DiscordInterviewBot.NeedsCompletion(acknowledgement))
                {
                    await bot.CompleteAsync(interaction, cancellationToken);
                }

                break;
            case "MESSAGE_CREATE" when dispatch.Data.Deserialize(DiscordJson.Default.DiscordMessage) is { } message:
                if (DiscordInterviewBot.MayBeAnswer(message))
                {
                    // Messages of one channel come here in order: what was written there while the bot was away goes first.
                    await catchUp.CatchUpBeforeLiveAsync(message.ChannelId, cancellationToken);
                }

                await bot.HandleMessageAsync(message, cancellationToken);
                break;
            case "READY" or "RESUMED":
                // Cheap after a resume too: a thread with nothing new costs one read.
                await catchUp.CatchUpAsync(cancellationToken);
                break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Interaction {InteractionId} arrived after its 3-second window (replayed on resume); not answered")]
        public static partial void TooLateToAnswer(ILogger logger, string interactionId);
    }
}
