using Microsoft.Extensions.Logging;
using Mockingbird.Chat;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Drills;

namespace Mockingbird.Discord.Drills;

/// <summary>
/// Drills on Discord: a direct message with the question and an <b>Answer</b> button, and the judged feedback in the
/// same conversation. Each message is posted once under a key of its own (<see cref="DiscordPostOnce"/>), so a drill
/// (or its feedback) sent again after a replica died part way through, even after Discord forgot its nonce, is posted
/// once. Nothing in them mentions anyone.
/// </summary>
internal sealed partial class DiscordDrills(IDiscordRest rest, DiscordPostOnce posts, ILogger<DiscordDrills> logger) : IDrillPlatform
{
    /// <summary>Discord's code for a user who does not take direct messages from the bot (closed DMs, no shared server).</summary>
    private const int CannotMessageUser = 50007;

    public Task SendAsync(DrillMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var user = DiscordInterviewBot.UserOf(message.CandidateId);
        var text = ChatText.Shorten($"**Drill: {message.Dimension}**\n{DiscordText.Inert(message.Text)}", DiscordText.MessageLimit);
        var button = new Component(ComponentTypes.Button, Style: ButtonStyles.Primary, Label: "Answer", CustomId: ComponentIds.DrillAnswer(user, message.DrillId));
        return DirectAsync(
            user,
            new MessageCreate(
                text,
                AllowedMentions: AllowedMentions.None,
                Components: [new Component(ComponentTypes.ActionRow, [button])],
                Nonce: DiscordText.Nonce(DrillScheduler.DeliveryKeyOf(message.CandidateId, message.DrillId), 0),
                EnforceNonce: true),
            $"{DrillScheduler.DeliveryKeyOf(message.CandidateId, message.DrillId)}#drill",
            knownBy: null,
            cancellationToken);
    }

    public Task SendFeedbackAsync(DrillFeedbackMessage feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var text = ChatText.Shorten(DiscordText.Inert(feedback.Text), DiscordText.MessageLimit);
        return DirectAsync(
            DiscordInterviewBot.UserOf(feedback.CandidateId),
            new MessageCreate(
                text,
                AllowedMentions: AllowedMentions.None,
                Nonce: DiscordText.Nonce(DrillScheduler.DeliveryKeyOf(feedback.CandidateId, feedback.DrillId), 1),
                EnforceNonce: true),
            $"{DrillScheduler.DeliveryKeyOf(feedback.CandidateId, feedback.DrillId)}#feedback",
            // Only the first line, the drill's scores, is the same each time: the next drill's line is worked out when it is sent.
            knownBy: text.Split('\n', 2)[0],
            cancellationToken);
    }

    private async Task DirectAsync(string userId, MessageCreate message, string partKey, string? knownBy, CancellationToken cancellationToken)
    {
        try
        {
            var direct = await rest.OpenDirectMessageAsync(userId, cancellationToken);
            await posts.PostAsync(direct.Id, message, partKey, findPostedSince: null, knownBy, cancellationToken);
        }
        catch (DiscordApiException ex) when (ex.Code == CannotMessageUser)
        {
            // Closed direct messages: trying again would fail the same way, so the drill counts as sent and comes back on schedule.
            Log.DirectMessageRefused(logger);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A drill could not be sent: the candidate does not take direct messages from the bot")]
        public static partial void DirectMessageRefused(ILogger logger);
    }
}
