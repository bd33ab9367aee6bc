using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mockingbird.Slack.Wire;

// Shapes of Slack Web API calls, Block Kit and inbound payloads, as much of each as the bot reads or writes.

/// <summary>A Block Kit text object: <c>mrkdwn</c> or <c>plain_text</c>.</summary>
public sealed record TextObject(string Type, string Text, bool? Emoji = null)
{
    public static TextObject Markdown(string text) => new("mrkdwn", text);

    public static TextObject Plain(string text) => new("plain_text", text, true);
}

/// <summary>A block element: a button or a plain-text input.</summary>
public sealed record BlockElement(
    string Type,
    TextObject? Text = null,
    string? ActionId = null,
    string? Value = null,
    string? Style = null,
    bool? Multiline = null,
    int? MaxLength = null,
    TextObject? Placeholder = null,
    string? InitialValue = null);

/// <summary>A block: section, actions, context, divider, header or input.</summary>
public sealed record Block(
    string Type,
    TextObject? Text = null,
    string? BlockId = null,
    IReadOnlyList<BlockElement>? Elements = null,
    IReadOnlyList<TextObject>? Fields = null,
    TextObject? Label = null,
    BlockElement? Element = null,
    bool? Optional = null);

/// <summary>A modal view for <c>views.open</c>.</summary>
public sealed record View(
    string Type,
    TextObject Title,
    IReadOnlyList<Block> Blocks,
    string? CallbackId = null,
    TextObject? Submit = null,
    TextObject? Close = null,
    string? PrivateMetadata = null);

public sealed record PostMessage(
    string Channel,
    string Text,
    IReadOnlyList<Block>? Blocks = null,
    string? ThreadTs = null,
    bool? UnfurlLinks = null,
    bool? UnfurlMedia = null,
    DeliveryMetadata? Metadata = null);

/// <summary>
/// Message metadata naming the delivery part a message is (by digest), so that a poster unsure whether an earlier
/// post went through can find it in the thread.
/// </summary>
public sealed record DeliveryMetadata(string EventType, DeliveryPartPayload EventPayload)
{
    public const string DeliveryEventType = "mockingbird_delivery";

    public static DeliveryMetadata For(string partDigest) => new(DeliveryEventType, new DeliveryPartPayload(partDigest));
}

public sealed record DeliveryPartPayload(string Part);

/// <summary>
/// <c>conversations.replies</c>: one page of a thread, oldest first, with each message's metadata
/// (<c>include_all_metadata</c>). Sent as form fields: Slack refuses a JSON body for this method.
/// </summary>
/// <param name="Oldest">Only messages after this ts.</param>
/// <param name="Cursor">The <c>next_cursor</c> of the previous page.</param>
public sealed record ThreadRepliesRequest(string Channel, string Ts, string? Oldest = null, string? Cursor = null, int Limit = 200);

public sealed record ThreadReplies(bool Ok, IReadOnlyList<ThreadMessage>? Messages = null, bool? HasMore = null, NextPage? ResponseMetadata = null, string? Error = null);

public sealed record NextPage(string? NextCursor = null);

/// <summary>A message in a thread, as much as the bot reads: its ts and metadata (any app's, so the payload stays loose).</summary>
/// <param name="Subtype"><c>tombstone</c> for a deleted message whose thread had replies: Slack keeps it at its ts, without its text.</param>
public sealed record ThreadMessage(string? Ts = null, MessageMetadata? Metadata = null, string? Subtype = null)
{
    /// <summary>Whether the message itself is still there, not only the thread a deletion left behind.</summary>
    public bool IsThere => Subtype != "tombstone";
}

public sealed record MessageMetadata(string? EventType = null, JsonElement? EventPayload = null);

public sealed record PostEphemeral(string Channel, string User, string Text, string? ThreadTs = null, IReadOnlyList<Block>? Blocks = null);

/// <summary><c>chat.update</c>; the metadata is sent again so the message keeps naming the delivery part it is.</summary>
public sealed record UpdateMessage(string Channel, string Ts, string Text, IReadOnlyList<Block>? Blocks = null, DeliveryMetadata? Metadata = null);

/// <summary>
/// <c>conversations.history</c>: one page of a channel's top-level messages, newest first, with each message's
/// metadata. Sent as form fields, like every read method.
/// </summary>
/// <param name="Latest">Only messages before this ts (at it too, with <paramref name="Inclusive"/>).</param>
/// <param name="Inclusive">Whether messages at <paramref name="Oldest"/> or <paramref name="Latest"/> themselves are included.</param>
public sealed record ChannelHistoryRequest(string Channel, string? Oldest = null, string? Cursor = null, int Limit = 100, string? Latest = null, bool Inclusive = false);

/// <summary><c>users.info</c>: as much of the user as deciding who may manage a channel's daily question needs.</summary>
public sealed record UserInfo(bool Ok, SlackUserDetails? User = null, string? Error = null);

/// <param name="TeamId">The workspace the user belongs to; in a channel shared with another organisation it may not be ours.</param>
public sealed record SlackUserDetails(string Id, bool? IsAdmin = null, bool? IsOwner = null, bool? IsPrimaryOwner = null, bool? Deleted = null, string? TeamId = null);

/// <summary><c>conversations.info</c>: whether the channel is usable and who created it.</summary>
public sealed record ConversationInfo(bool Ok, ConversationDetails? Channel = null, string? Error = null);

public sealed record ConversationDetails(string Id, string? Creator = null, bool? IsArchived = null, bool? IsMember = null, bool? IsIm = null, bool? IsMpim = null);

/// <summary><c>conversations.members</c>: one page of a channel's member ids.</summary>
public sealed record ConversationMembers(bool Ok, IReadOnlyList<string>? Members = null, NextPage? ResponseMetadata = null, string? Error = null);

public sealed record OpenView(string TriggerId, View View);

public sealed record OpenConversation(string Users);

/// <summary><c>reactions.add</c>: an emoji by name (no colons) on the message at <paramref name="Timestamp"/>.</summary>
public sealed record AddReaction(string Channel, string Name, string Timestamp);

/// <summary>Every Web API reply: <c>ok</c>, and <c>error</c> when not ok (Slack answers errors with HTTP 200).</summary>
public record SlackResponse(bool Ok, string? Error = null);

public sealed record PostedMessage(bool Ok, string? Channel = null, string? Ts = null, string? Error = null);

public sealed record AuthIdentity(bool Ok, string? UserId = null, string? BotId = null, string? TeamId = null, string? Error = null);

public sealed record ConnectionUrl(bool Ok, string? Url = null, string? Error = null);

public sealed record OpenedConversation(bool Ok, ConversationRef? Channel = null, string? Error = null);

public sealed record ConversationRef(string Id);

/// <summary>A Socket Mode frame: <c>hello</c>, <c>disconnect</c> or an envelope to acknowledge by its id.</summary>
public sealed record SocketFrame(
    string Type,
    string? EnvelopeId = null,
    JsonElement? Payload = null,
    bool? AcceptsResponsePayload = null,
    int? RetryAttempt = null,
    string? RetryReason = null,
    string? Reason = null,
    int? NumConnections = null);

/// <summary>The Events API's outer envelope (also the <c>events_api</c> Socket Mode payload).</summary>
public sealed record EventCallback(string Type, string? EventId = null, string? TeamId = null, JsonElement? Event = null, string? Challenge = null);

/// <summary>A <c>message</c> event (channels, private channels, DMs).</summary>
public sealed record MessageEvent(
    string Type,
    string? Subtype = null,
    string? User = null,
    string? BotId = null,
    string? Text = null,
    string? Channel = null,
    string? Ts = null,
    string? ThreadTs = null,
    string? ChannelType = null,
    string? ParentUserId = null);

/// <summary>A slash command, from its form fields (HTTP) or the <c>slash_commands</c> payload (Socket Mode).</summary>
public sealed record SlashCommand(
    string Command,
    string Text,
    string UserId,
    string ChannelId,
    string? UserName = null,
    string? TeamId = null,
    string? TriggerId = null,
    string? ResponseUrl = null);

public sealed record SlackUser(string Id, string? Username = null, string? Name = null, string? TeamId = null);

public sealed record SlackTeam(string Id);

public sealed record SlackChannel(string Id);

public sealed record ActionContainer(string? Type = null, string? MessageTs = null, string? ThreadTs = null, string? ChannelId = null);

public sealed record BlockAction(string ActionId, string? Value = null, string? BlockId = null);

public sealed record InputValue(string? Type = null, string? Value = null);

public sealed record ViewState(IReadOnlyDictionary<string, IReadOnlyDictionary<string, InputValue>> Values);

public sealed record SubmittedView(string? Id = null, string? CallbackId = null, string? PrivateMetadata = null, ViewState? State = null);

/// <summary>An interactivity payload: <c>block_actions</c> (a button) or <c>view_submission</c> (a modal).</summary>
public sealed record InteractivePayload(
    string Type,
    SlackUser? User = null,
    SlackChannel? Channel = null,
    SlackTeam? Team = null,
    ActionContainer? Container = null,
    string? TriggerId = null,
    IReadOnlyList<BlockAction>? Actions = null,
    SubmittedView? View = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PostMessage))]
[JsonSerializable(typeof(PostEphemeral))]
[JsonSerializable(typeof(UpdateMessage))]
[JsonSerializable(typeof(OpenView))]
[JsonSerializable(typeof(OpenConversation))]
[JsonSerializable(typeof(AddReaction))]
[JsonSerializable(typeof(SlackResponse))]
[JsonSerializable(typeof(PostedMessage))]
[JsonSerializable(typeof(ThreadReplies))]
[JsonSerializable(typeof(AuthIdentity))]
[JsonSerializable(typeof(ConnectionUrl))]
[JsonSerializable(typeof(OpenedConversation))]
[JsonSerializable(typeof(UserInfo))]
[JsonSerializable(typeof(ConversationInfo))]
[JsonSerializable(typeof(ConversationMembers))]
[JsonSerializable(typeof(SocketFrame))]
[JsonSerializable(typeof(EventCallback))]
[JsonSerializable(typeof(MessageEvent))]
[JsonSerializable(typeof(SlashCommand))]
[JsonSerializable(typeof(InteractivePayload))]
public sealed partial class SlackJson : JsonSerializerContext;
