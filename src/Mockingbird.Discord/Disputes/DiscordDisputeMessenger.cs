using Mockingbird.Chat;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;

namespace Mockingbird.Discord.Disputes;

/// <summary>
/// A dispute's outcome on Discord: a direct message to its candidate, mentioning nobody. It is posted once under the
/// dispute's key (<see cref="DiscordPostOnce"/>), so an outcome sent again after a replica died part way, by the
/// next retry pass a quarter of an hour on, is not posted twice. Any failure (closed direct messages too) reaches the
/// caller, which keeps the outcome untold for the candidate's next command.
/// </summary>
internal sealed class DiscordDisputeMessenger(IDiscordRest rest, DiscordPostOnce posts) : IDisputeMessenger
{
    public async Task SendAsync(DisputeOutcomeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var direct = await rest.OpenDirectMessageAsync(DiscordInterviewBot.UserOf(message.CandidateId), cancellationToken);
        await posts.PostAsync(
            direct.Id,
            new MessageCreate(
                ChatText.Shorten(DiscordText.Inert(message.Text), DiscordText.MessageLimit),
                AllowedMentions: AllowedMentions.None,
                Nonce: DiscordText.Nonce($"dispute:{message.DisputeId}", 0),
                EnforceNonce: true),
            $"dispute:{message.DisputeId}#outcome",
            findPostedSince: null,
            knownBy: null,
            cancellationToken);
    }
}
