using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Mockingbird.Chat;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Sessions;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;

namespace Mockingbird.Slack;

/// <summary>A Slack thread: the channel and the <c>ts</c> of its parent message, as one address.</summary>
internal readonly record struct SlackThread(string Channel, string Ts)
{
    public override string ToString() => $"{Channel}/{Ts}";

    /// <summary>When the message <see cref="Ts"/> names was posted: a ts is Unix seconds, then a sequence after the point.</summary>
    public DateTimeOffset? PostedAt =>
        long.TryParse(Ts.AsSpan(0, Ts.IndexOf('.') is var dot and >= 0 ? dot : Ts.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    public static SlackThread? Parse(string? address) =>
        address?.Split('/') is [var channel, var ts] && channel.Length > 0 && ts.Length > 0 ? new SlackThread(channel, ts) : null;
}

/// <summary>
/// Posts engine actions in the candidate's interview thread. Slack has no idempotency key for messages, so each part
/// of a delivery is claimed in the delivery ledger, posted and recorded: a delivery repeated by a second worker posts
/// only what the first did not. A poster that dies between Slack accepting a part and recording it leaves the ledger
/// unsure; every part carries its digest as message metadata, so the next poster reads the thread and records the
/// part it finds there instead of posting it again.
/// </summary>
internal sealed partial class SlackInterviewOutput(ISlackWebApi web, IInterviewThreads threads, InterviewThreadCache known, IDeliveryLedger ledger, TimeProvider time, ILogger<SlackInterviewOutput> logger)
    : ChatThreadOutput<SlackMessage>(threads, logger, known)
{
    /// <summary>
    /// How far the ledger's clock and Slack's may disagree when bounding the look in a thread: a first claim is stamped
    /// by the clock of whichever replica made it (passed into the ledger's scripts), not by one shared clock.
    /// </summary>
    private static readonly TimeSpan ClockDisagreement = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Pages of a channel's history read when looking for an earlier post: a channel, unlike a thread, has no end,
    /// and the post is at most a lease old by then, so a busy channel is still covered.
    /// </summary>
    private const int HistoryPages = 10;

    /// <summary>How many deleted replacements of a part are replaced in turn before giving up.</summary>
    private const int MaxReplacements = 3;

    /// <summary>Slack errors that mean the thread (or its channel) is gone for good.</summary>
    private static readonly HashSet<string> ThreadGone = new(StringComparer.Ordinal) { "channel_not_found", "thread_not_found", "is_archived", "message_not_found", "not_in_channel" };

    protected override bool IsThread(string thread) => SlackThread.Parse(thread) is not null;

    protected override IReadOnlyList<SlackMessage> Render(IReadOnlyList<InterviewAction> actions, string deliveryKey) => SlackRenderer.Messages(actions);

    protected override IReadOnlyList<SlackMessage> RenderAnswerEcho(string answer, string deliveryKey) => SlackRenderer.AnswerEchoMessages(answer);

    protected override string? ThreadGoneReason(Exception failure) =>
        failure is SlackApiException { Error: var slackError } && ThreadGone.Contains(slackError) ? slackError : null;

    protected override async Task PostPartAsync(string thread, SlackMessage part, string partKey, CancellationToken cancellationToken)
    {
        var at = SlackThread.Parse(thread) ?? throw new InvalidOperationException("Not a Slack thread address.");
        await PostOnceAsync(at.Channel, at.Ts, part, partKey, notBefore: null, cancellationToken);
    }

    /// <summary>
    /// Posts a message at the top of a channel (not in a thread) once under <paramref name="partKey"/>, as parts are
    /// posted in threads, and says where it is: a repeat is given the first post instead of posting again. Null only
    /// when the ledger says it was posted and it cannot be found.
    /// </summary>
    /// <param name="findPostedSince">
    /// When given, the caller learns where a part posted before is: the ledger keeps the message's ts with the part,
    /// and a part recorded without one (by an earlier version) is looked up in the channel's history from then on
    /// (no post of it can be older). When not, a posted part is simply not posted again.
    /// </param>
    public Task<PostedMessage?> PostAtTopOnceAsync(string channel, SlackMessage part, string partKey, DateTimeOffset? findPostedSince, CancellationToken cancellationToken) =>
        PostOnceAsync(channel, threadTs: null, part, partKey, findPostedSince, cancellationToken);

    /// <summary>The part's digest, which its message carries as metadata.</summary>
    public static DeliveryMetadata MetadataOf(string partKey) => DeliveryMetadata.For(KeyDigest.Of(partKey));

    /// <summary>
    /// Claims the part, posts it (or finds it posted by a poster whose claim lapsed) and records it. At the top of a
    /// channel the caller needs the message, so a part already recorded is looked up there too.
    /// </summary>
    private async Task<PostedMessage?> PostOnceAsync(string channel, string? threadTs, SlackMessage part, string partKey, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var digest = KeyDigest.Of(partKey);
        var posting = await ledger.PostAsync(
            partKey,
            time,
            async ct => new EarlierPost<PostedMessage>(await PostedEarlierAsync(channel, threadTs, partKey, digest, notBefore, ct)),
            ct => web.PostMessageAsync(new PostMessage(channel, part.Text, part.Blocks, threadTs, UnfurlLinks: false, UnfurlMedia: false, DeliveryMetadata.For(digest)), ct),

            // After a timeout or a 5xx it may have been posted, and a failed look leaves that open.
            failure => failure is SlackApiException { Method: SlackCall.PostMessage } refused && !MayHavePosted(refused.Error),
            threadTs is null && notBefore is not null ? posted => posted.Ts : null,
            cancellationToken);
        if (posting.FoundEarlier)
        {
            Log.FoundEarlierPost(logger, partKey);
        }

        if (posting.ClaimLost)
        {
            Log.ClaimLost(logger, partKey);
        }

        return posting switch
        {
            { Claim: DeliveryClaimOutcome.AlreadyPosted, PostedAs: { Length: > 0 } ts } => await StillThereAsync(channel, ts, cancellationToken),
            { Claim: DeliveryClaimOutcome.AlreadyPosted } when threadTs is null && notBefore is not null => await FoundAndRecordedAsync(channel, partKey, digest, notBefore, cancellationToken),
            _ => posting.Message,
        };
    }

    /// <summary>
    /// Posts <paramref name="part"/> at the top of the channel in place of a part's message that was deleted since it
    /// was recorded (or, recorded by a version that kept no ts, is not found), and records the new message as the
    /// part's. The replacement is a part of its own, named after the message it replaces, so a poster that dies
    /// between posting it and recording it leaves the next one to find it rather than post another. Only for a
    /// caller whose own lease keeps every other poster of the part out.
    /// </summary>
    public async Task<PostedMessage> PostAtTopInPlaceOfAsync(string channel, SlackMessage part, string partKey, DateTimeOffset findPostedSince, CancellationToken cancellationToken)
    {
        var replacing = await ledger.PostedAsAsync(partKey, cancellationToken);

        // A replacement recorded by a poster that died before recording it as the part's may have been deleted
        // too: each such one is replaced in turn, a few at most.
        for (var step = 0; step < MaxReplacements; step++)
        {
            var replacementKey = PostedOnce.ReplacementKeyOf(partKey, replacing);
            if (await PostAtTopOnceAsync(channel, part, replacementKey, findPostedSince, cancellationToken) is { Ts: { } ts } posted)
            {
                await ledger.RecordPostedAsync(partKey, ts, cancellationToken);
                return posted;
            }

            replacing = await ledger.PostedAsAsync(replacementKey, cancellationToken);
        }

        throw new InvalidOperationException($"Part {partKey} was replaced {MaxReplacements} times and each replacement is gone.");
    }

    /// <summary>
    /// Where a part posted at the top of a channel may be, without ever posting it, most likely first: the ts the
    /// ledger recorded for it, each replacement recorded after that one was deleted, and then the message carrying the
    /// part's digest in the channel, as a poster that died before recording it (or could not reach the ledger) leaves
    /// one. That look starts from when the part was first claimed or, when the ledger holds no claim on it (it was
    /// recorded, or forgotten since), from <paramref name="notBefore"/>. A caller that finds the message it wants stops
    /// asking, and the channel's history is read only if none of the recorded ones is it.
    /// </summary>
    public async IAsyncEnumerable<string> WherePostedAtTopAsync(string channel, string partKey, DateTimeOffset notBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = partKey;
        for (var step = 0; step <= MaxReplacements && await ledger.PostedAsAsync(key, cancellationToken) is { Length: > 0 } ts; step++)
        {
            yield return ts;
            key = PostedOnce.ReplacementKeyOf(partKey, ts);
        }

        if (await PostedEarlierAsync(channel, null, partKey, KeyDigest.Of(partKey), notBefore, cancellationToken) is { Ts: { } found })
        {
            yield return found;
        }
    }

    /// <summary>
    /// The message at <paramref name="ts"/> at the top of the channel, or null when it was deleted: one bounded read
    /// however busy the channel. A deleted message whose thread had replies is still read back, as a tombstone that
    /// shows none of its text: it counts as deleted, since the post is no longer there to read.
    /// </summary>
    private async Task<PostedMessage?> StillThereAsync(string channel, string ts, CancellationToken cancellationToken)
    {
        var page = await web.ChannelHistoryAsync(new ChannelHistoryRequest(channel, Oldest: ts, Limit: 1, Latest: ts, Inclusive: true), cancellationToken);
        return page.Messages?.Any(m => m.Ts == ts && m.IsThere) == true ? new PostedMessage(true, channel, ts) : null;
    }

    /// <summary>A part recorded by a version that kept no ts, found in the channel: its ts is kept from now on.</summary>
    private async Task<PostedMessage?> FoundAndRecordedAsync(string channel, string partKey, string digest, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var found = await PostedEarlierAsync(channel, null, partKey, digest, notBefore, cancellationToken);
        if (found?.Ts is { } ts)
        {
            await ledger.RecordPostedAsync(partKey, ts, cancellationToken);
        }

        return found;
    }

    /// <summary>
    /// Whether an earlier poster of the part, whose claim lapsed, got it into the thread (or, with no thread, the
    /// channel): each part carries its digest as message metadata. Only messages from a little before the part was
    /// first claimed can be it.
    /// </summary>
    private async Task<PostedMessage?> PostedEarlierAsync(string channel, string? threadTs, string key, string digest, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var since = await ledger.FirstClaimedAsync(key, cancellationToken) ?? notBefore;
        var oldest = since is { } from ? TsOf(from - ClockDisagreement) : null;
        string? cursor = null;
        var pages = 0;
        do
        {
            // Read only on recovery: Slack limits both reads sharply for apps outside its Marketplace.
            var page = threadTs is null
                ? await web.ChannelHistoryAsync(new ChannelHistoryRequest(channel, oldest, cursor), cancellationToken)
                : await web.ThreadRepliesAsync(new ThreadRepliesRequest(channel, threadTs, oldest, cursor), cancellationToken);
            if (page.Messages?.FirstOrDefault(m => IsPart(m.Metadata, digest)) is { } found)
            {
                return new PostedMessage(true, channel, found.Ts);
            }

            cursor = page.ResponseMetadata?.NextCursor is { Length: > 0 } next ? next : null;
        }
        while (cursor is not null && (threadTs is not null || ++pages < HistoryPages));

        return null;
    }

    private static bool IsPart(MessageMetadata? metadata, string digest) =>
        metadata is { EventType: DeliveryMetadata.DeliveryEventType, EventPayload: { ValueKind: JsonValueKind.Object } payload }
        && payload.TryGetProperty("part", out var part)
        && part.ValueKind == JsonValueKind.String
        && part.ValueEquals(digest);

    private static string TsOf(DateTimeOffset time) => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, time.ToUnixTimeSeconds())}.000000");

    /// <summary>Slack errors after which the message may exist anyway: server errors, and the ones Slack says may have half-worked.</summary>
    private static bool MayHavePosted(string error) =>
        error.StartsWith("http_", StringComparison.Ordinal) || error is "internal_error" or "fatal_error" or "invalid_response" or "request_timeout";

    private static partial class Log
    {
        [LoggerMessage(4, LogLevel.Information, "Part {PartKey} was found in the thread, posted by a poster that did not record it; it is not posted again")]
        public static partial void FoundEarlierPost(ILogger logger, string partKey);

        [LoggerMessage(3, LogLevel.Warning, "Part {PartKey} was posted after its claim lapsed and another poster took it: it may show twice")]
        public static partial void ClaimLost(ILogger logger, string partKey);
    }
}
