using System.Text.Json;
using Mockingbird.Discord.Gateway;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;

namespace Mockingbird.Discord;

/// <summary>The gateway's events the bot acts on: interactions (when they do not come over HTTP) and messages.</summary>
internal sealed class DiscordDispatchHandler(DiscordInterviewBot bot, IDiscordRest rest) : IGatewayDispatchHandler
{
    public async Task HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        switch (dispatch.Type)
        {
            case "INTERACTION_CREATE" when dispatch.Data.Deserialize(DiscordJson.Default.Interaction) is { } interaction:
                var acknowledgement = DiscordInterviewBot.Acknowledge(interaction);
                await rest.RespondToInteractionAsync(interaction.Id, interaction.Token, acknowledgement, cancellationToken);
                if (DiscordInterviewBot.NeedsCompletion(acknowledgement))
                {
                    await bot.CompleteAsync(interaction, cancellationToken);
                }

                break;
            case "MESSAGE_CREATE" when dispatch.Data.Deserialize(DiscordJson.Default.DiscordMessage) is { } message:
                await bot.HandleMessageAsync(message, cancellationToken);
                break;
        }
    }
}
