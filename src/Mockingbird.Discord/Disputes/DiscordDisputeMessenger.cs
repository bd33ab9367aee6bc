using Mockingbird.Chat;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;

namespace Mockingbird.Discord.Disputes;

/// <summary>
/// A dispute's outcome on Discord: a direct message to its candidate, mentioning nobody. It carries a nonce from the
/// dispute and Discord enforces it, so an outcome sent again after a replica died part way is posted once. Any
/// failure (closed direct messages too) reaches the caller, which keeps the outcome untold for the candidate's next command.
/// </summary>
internal sealed class DiscordDisputeMessenger(IDiscordRest rest) : IDisputeMessenger
{
    public async Task SendAsync(DisputeOutcomeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var direct = await rest.OpenDirectMessageAsync(DiscordInterviewBot.UserOf(message.CandidateId), cancellationToken);
        await rest.CreateMessageAsync(
            direct.Id,
            new MessageCreate(
                ChatText.Shorten(DiscordText.Inert(message.Text), DiscordText.MessageLimit),
                AllowedMentions: AllowedMentions.None,
                Nonce: DiscordText.Nonce($"dispute:{message.DisputeId}", 0),
                EnforceNonce: true),
            cancellationToken);
    }
}
