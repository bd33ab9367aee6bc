using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Mockingbird.Chat.Delivery;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Discord;

/// <summary>
/// Posts a message once under a part key, however often it is sent again. Discord keeps an enforced nonce for only
/// "the past few minutes", so the nonce alone covers a repeat soon after a poster died, not one that comes later (a
/// bot down longer than that, a dispute outcome retried a quarter of an hour on). Each part is therefore also claimed
/// in the delivery ledger and recorded once posted. A poster that takes over a part whose earlier poster's claim
/// lapsed reads the channel from a little before the part was first claimed and records the message it finds there,
/// the bot's own with the same text, instead of posting it again. Discord does not keep a message's nonce, so the
/// text is what a message read back can be known by.
/// </summary>
internal sealed partial class DiscordPostOnce(IDiscordRest rest, IDeliveryLedger ledger, TimeProvider time, ILogger<DiscordPostOnce> logger)
{
    /// <summary>How far the ledger's clock (stamped by whichever replica claimed first) and Discord's may disagree.</summary>
    private static readonly TimeSpan ClockDisagreement = TimeSpan.FromMinutes(1);

    /// <summary>Messages read per page, Discord's most.</summary>
    private const int PageSize = 100;

    /// <summary>
    /// Pages read when looking for an earlier post. The post is at most a few leases older than the claim, so in a
    /// thread or a direct message a page or two covers it; a busy channel is still covered at this bound.
    /// </summary>
    private const int MaxPages = 10;

    /// <summary>Replacements of a deleted part followed through the ledger, as many as a poster makes in turn.</summary>
    private const int MaxReplacements = 3;

    private string? _botUserId;

    /// <summary>
    /// Posts <paramref name="message"/> in <paramref name="channel"/> unless the ledger holds it as posted, or an
    /// earlier poster of <paramref name="partKey"/> got it there without recording it, and says which message it is.
    /// </summary>
    /// <param name="findPostedSince">
    /// When given, the caller learns which message a part posted before is: the ledger keeps the message's id with
    /// the part, and a part recorded without one (by an earlier version) is looked up in the channel from then on
    /// (no post of it can be older). When not, a posted part is simply not posted again.
    /// </param>
    /// <param name="knownBy">
    /// The start of the message's text that is the same however often it is rendered, when the rest may change between
    /// attempts (a line that depends on the time it is sent); the whole text when not given.
    /// </param>
    /// <returns>
    /// The message (of a part posted before, only its id and channel), or null when the ledger holds it as posted
    /// and it was not asked for or not found.
    /// </returns>
    /// <exception cref="DeliveryHeldElsewhereException">Another poster holds the part's claim.</exception>
    public async Task<DiscordMessage?> PostAsync(string channel, MessageCreate message, string partKey, DateTimeOffset? findPostedSince, string? knownBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var identity = (knownBy ?? message.Content)?.Trim();
        var posting = await ledger.PostAsync(
            partKey,
            time,
            async ct => await ledger.FirstClaimedAsync(partKey, ct) is { } since
                ? new EarlierPost<DiscordMessage>(await PostedEarlierAsync(channel, identity, exact: knownBy is null, since, ct))
                : new EarlierPost<DiscordMessage>(null, RecordedMeanwhile: true),
            ct => rest.CreateMessageAsync(channel, message, ct),
            failure => failure is DiscordApiException { Status: >= 400 and < 500 },
            findPostedSince is null ? null : posted => posted.Id,
            cancellationToken);
        if (posting.FoundEarlier)
        {
            Log.FoundEarlierPost(logger, partKey);
        }

        if (posting.ClaimLost)
        {
            Log.ClaimLost(logger, partKey);
        }

        return (posting, findPostedSince) switch
        {
            ({ Claim: DeliveryClaimOutcome.AlreadyPosted, PostedAs: { Length: > 0 } id }, _) => await RecalledAsync(channel, id, cancellationToken),
            ({ Claim: DeliveryClaimOutcome.AlreadyPosted }, { } since) => await FoundAndRecordedAsync(channel, identity, exact: knownBy is null, since, partKey, cancellationToken),
            _ => posting.Message,
        };
    }

    /// <summary>
    /// A part posted before, by the id the ledger kept. The channel is read first, so that one deleted or closed to
    /// the bot since says so here, as a look in it would.
    /// </summary>
    private async Task<DiscordMessage> RecalledAsync(string channel, string id, CancellationToken cancellationToken)
    {
        await rest.GetChannelAsync(channel, cancellationToken);
        return new DiscordMessage(id, channel);
    }

    /// <summary>A part recorded by a version that kept no ids, found in the channel: its id is kept from now on.</summary>
    private async Task<DiscordMessage?> FoundAndRecordedAsync(string channel, string? identity, bool exact, DateTimeOffset since, string partKey, CancellationToken cancellationToken)
    {
        var found = await PostedEarlierAsync(channel, identity, exact, since, cancellationToken);
        if (found is not null)
        {
            await ledger.RecordPostedAsync(partKey, found.Id, cancellationToken);
        }

        return found;
    }

    /// <summary>
    /// Posts <paramref name="message"/> in place of a part's message that was deleted since it was recorded (or,
    /// recorded by a version that kept no ids, is not found), and records the new message as the part's. The
    /// replacement is a part of its own, named after the message it replaces, so a poster that dies between posting
    /// it and recording it leaves the next one to find it rather than post another. Only for a caller whose own lease
    /// keeps every other poster of the part out.
    /// </summary>
    /// <param name="replacing">The id of the deleted message; null when the part's message was not found.</param>
    public async Task<DiscordMessage> PostInPlaceOfAsync(string channel, MessageCreate message, string partKey, string? replacing, DateTimeOffset findPostedSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var replacementKey = PostedOnce.ReplacementKeyOf(partKey, replacing);

        // A nonce of its own too: Discord may answer the first one with the deleted message for a few minutes.
        var replacement = message with { Nonce = message.Nonce is null ? null : DiscordText.Nonce(replacementKey, 0) };
        var posted = await PostAsync(channel, replacement, replacementKey, findPostedSince, knownBy: null, cancellationToken)
            ?? throw new InvalidOperationException($"Part {replacementKey} is recorded as posted without its message.");
        await ledger.RecordPostedAsync(partKey, posted.Id, cancellationToken);
        return posted;
    }

    /// <summary>
    /// Where a part may have been posted, without ever posting it, most likely first: the message the ledger recorded
    /// for it, each replacement recorded after that one was deleted, and then the bot's own message with the part's
    /// <paramref name="content"/> in the channel, as a poster that died before recording it (or could not reach the
    /// ledger) leaves one. That look starts from when the part was first claimed or, when the ledger holds no claim on
    /// it (it was recorded, or forgotten since), from <paramref name="notBefore"/>. A caller that finds the message it
    /// wants stops asking, and the channel is read only if none of the recorded ones is it.
    /// </summary>
    public async IAsyncEnumerable<string> WherePostedAsync(string channel, string content, string partKey, DateTimeOffset notBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var key = partKey;
        for (var step = 0; step <= MaxReplacements && await ledger.PostedAsAsync(key, cancellationToken) is { Length: > 0 } id; step++)
        {
            yield return id;
            key = PostedOnce.ReplacementKeyOf(partKey, id);
        }

        var since = await ledger.FirstClaimedAsync(partKey, cancellationToken) ?? notBefore;
        if (await PostedEarlierAsync(channel, content.Trim(), exact: true, since, cancellationToken) is { } found)
        {
            yield return found.Id;
        }
    }

    /// <summary>
    /// The bot's own message whose text is <paramref name="identity"/> (or, not <paramref name="exact"/>, starts with
    /// it as whole lines), posted in the channel since <paramref name="since"/> (by the ledger's clock). Without Read
    /// Message History Discord reads back an empty channel: then nothing is found and the part is posted, and may show
    /// twice, as it would have with the nonce alone.
    /// </summary>
    private async Task<DiscordMessage?> PostedEarlierAsync(string channel, string? identity, bool exact, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (identity is not { Length: > 0 })
        {
            return null;
        }

        _botUserId ??= (await rest.GetCurrentUserAsync(cancellationToken)).Id;
        var after = Snowflakes.At(since - ClockDisagreement);
        for (var page = 0; page < MaxPages; page++)
        {
            var messages = await rest.GetMessagesAfterAsync(channel, after, PageSize, cancellationToken);
            if (messages.FirstOrDefault(m => m.Author?.Id == _botUserId && m.WebhookId is null && IsThePart(m.Content, identity, exact)) is { } found)
            {
                return found;
            }

            if (messages.Count < PageSize)
            {
                return null;
            }

            after = Snowflakes.Latest(messages.Select(m => m.Id));
        }

        return null;
    }

    private static bool IsThePart(string? content, string identity, bool exact) =>
        content?.Trim() is { } text
        && (text == identity || (!exact && text.StartsWith(identity, StringComparison.Ordinal) && text.Length > identity.Length && text[identity.Length] == '\n'));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Part {PartKey} was found in the channel, posted by a poster that did not record it; it is not posted again")]
        public static partial void FoundEarlierPost(ILogger logger, string partKey);

        [LoggerMessage(2, LogLevel.Warning, "Part {PartKey} was posted after its claim lapsed and another poster took it: it may show twice")]
        public static partial void ClaimLost(ILogger logger, string partKey);
    }
}
