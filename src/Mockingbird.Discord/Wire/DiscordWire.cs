using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mockingbird.Discord.Wire;

// Shapes of Discord API v10 objects, as much of each as the bot reads or writes. Snowflakes stay strings, as on the wire.

public sealed record DiscordUser(string Id, string? Username = null, bool? Bot = null);

/// <param name="Permissions">
/// The member's permissions in the interaction's channel, overwrites included, as a decimal bitfield (it outgrew 32
/// bits long ago); only interactions carry it.
/// </param>
public sealed record GuildMember(DiscordUser? User = null, string? Permissions = null);

public sealed record DiscordChannel(string Id, int Type, string? GuildId = null, string? ParentId = null, string? Name = null);

public sealed record DiscordMessage(
    string Id,
    string ChannelId,
    DiscordUser? Author = null,
    string? Content = null,
    string? GuildId = null,
    int Type = 0,
    string? WebhookId = null,
    IReadOnlyList<JsonElement>? Attachments = null,
    IReadOnlyList<MessageReaction>? Reactions = null);

/// <summary>A reaction as a message read from a channel lists it: <see cref="Me"/> when the bot added it.</summary>
public sealed record MessageReaction(int Count = 0, bool Me = false, ReactionEmoji? Emoji = null);

public sealed record ReactionEmoji(string? Id = null, string? Name = null);

public static class InteractionTypes
{
    public const int Ping = 1;
    public const int ApplicationCommand = 2;
    public const int MessageComponent = 3;
    public const int Autocomplete = 4;
    public const int ModalSubmit = 5;
}

public static class InteractionCallbackTypes
{
    public const int Pong = 1;
    public const int ChannelMessageWithSource = 4;
    public const int DeferredChannelMessageWithSource = 5;
    public const int DeferredUpdateMessage = 6;
    public const int UpdateMessage = 7;
    public const int Modal = 9;
}

public static class ChannelTypes
{
    public const int GuildText = 0;
    public const int DirectMessage = 1;
    public const int GuildAnnouncement = 5;
    public const int AnnouncementThread = 10;
    public const int PublicThread = 11;
    public const int PrivateThread = 12;
}

public static class MessageFlags
{
    public const int SuppressEmbeds = 4;
    public const int Ephemeral = 64;

    /// <summary>
    /// A command's reply: only its sender sees it, and links in it get no preview, for which Discord would fetch the
    /// private pages the bot links to. An edit names every flag the message keeps.
    /// </summary>
    public const int PrivateReply = Ephemeral | SuppressEmbeds;
}

/// <summary>An interaction as Discord sends it, over the gateway or to the HTTP endpoint.</summary>
public sealed record Interaction(
    string Id,
    string ApplicationId,
    int Type,
    string Token,
    InteractionData? Data = null,
    string? GuildId = null,
    string? ChannelId = null,
    DiscordChannel? Channel = null,
    GuildMember? Member = null,
    DiscordUser? User = null,
    DiscordMessage? Message = null,
    string? AppPermissions = null)
{
    /// <summary>Who acted: the member's user in a guild, the user in a DM.</summary>
    [JsonIgnore]
    public DiscordUser? Invoker => Member?.User ?? User;

    /// <summary>
    /// The channel it was used in or, used in a thread, the channel the thread belongs to (which holds the thread's
    /// permissions and a study group's rounds); null when Discord named neither.
    /// </summary>
    [JsonIgnore]
    public string? ChannelOrThreadParent =>
        (Channel is { Type: ChannelTypes.PublicThread or ChannelTypes.PrivateThread or ChannelTypes.AnnouncementThread } thread ? thread.ParentId : null)
        ?? Channel?.Id ?? ChannelId;
}

/// <summary>The data of a command, component or modal submission; which fields are set depends on the interaction type.</summary>
public sealed record InteractionData(
    string? Id = null,
    string? Name = null,
    int? Type = null,
    IReadOnlyList<CommandOption>? Options = null,
    string? CustomId = null,
    int? ComponentType = null,
    JsonElement? Components = null,
    InteractionResolved? Resolved = null);

/// <summary>What a command's options refer to, resolved by Discord: a channel option's channel, with its type.</summary>
public sealed record InteractionResolved(IReadOnlyDictionary<string, DiscordChannel>? Channels = null);

public sealed record CommandOption(string Name, int Type, JsonElement? Value = null, IReadOnlyList<CommandOption>? Options = null);

/// <summary><c>{"parse": []}</c> on every message: the bot echoes user and model text and must never ping anyone by it.</summary>
public sealed record AllowedMentions(IReadOnlyList<string> Parse, IReadOnlyList<string>? Users = null, IReadOnlyList<string>? Roles = null)
{
    public static readonly AllowedMentions None = new([]);

    public static AllowedMentions Only(string userId) => new([], [userId]);

    /// <summary>Pings the one role an admin chose for a study group's post, and nobody else.</summary>
    public static AllowedMentions OnlyRole(string roleId) => new([], Roles: [roleId]);
}

public sealed record EmbedField(string Name, string Value, bool? Inline = null);

public sealed record EmbedFooter(string Text);

public sealed record Embed(
    string? Title = null,
    string? Description = null,
    int? Color = null,
    IReadOnlyList<EmbedField>? Fields = null,
    EmbedFooter? Footer = null);

public static class ComponentTypes
{
    public const int ActionRow = 1;
    public const int Button = 2;
    public const int TextInput = 4;
    public const int TextDisplay = 10;
    public const int Label = 18;
}

public static class ButtonStyles
{
    public const int Primary = 1;
    public const int Secondary = 2;
    public const int Success = 3;
    public const int Danger = 4;
}

public sealed record Emoji(string Name);

/// <summary>
/// A message or modal component: an action row of buttons, a button, a label holding a text input, a text input
/// (<see cref="Value"/> prefills it), a text display (<see cref="Content"/>).
/// </summary>
public sealed record Component(
    int Type,
    IReadOnlyList<Component>? Components = null,
    int? Style = null,
    string? Label = null,
    string? CustomId = null,
    Emoji? Emoji = null,
    bool? Disabled = null,
    [property: JsonPropertyName("component")] Component? Inner = null,
    int? MinLength = null,
    int? MaxLength = null,
    bool? Required = null,
    string? Placeholder = null,
    string? Description = null,
    string? Value = null,
    string? Content = null);

public sealed record MessageCreate(
    string? Content = null,
    IReadOnlyList<Embed>? Embeds = null,
    AllowedMentions? AllowedMentions = null,
    IReadOnlyList<Component>? Components = null,
    int? Flags = null,
    string? Nonce = null,
    bool? EnforceNonce = null);

public sealed record MessageEdit(
    string? Content = null,
    IReadOnlyList<Embed>? Embeds = null,
    AllowedMentions? AllowedMentions = null,
    IReadOnlyList<Component>? Components = null,
    int? Flags = null);

public sealed record ThreadCreate(string Name, int? AutoArchiveDuration = null, int? Type = null, bool? Invitable = null);

/// <summary>A public thread started from a message: the thread's id is the message's.</summary>
public sealed record ThreadFromMessageCreate(string Name, int? AutoArchiveDuration = null);

public sealed record DirectMessageChannelCreate(string RecipientId);

/// <summary>The data of an interaction response: a message (types 4, 7) or a modal (type 9).</summary>
public sealed record InteractionCallbackData(
    string? Content = null,
    IReadOnlyList<Embed>? Embeds = null,
    AllowedMentions? AllowedMentions = null,
    int? Flags = null,
    IReadOnlyList<Component>? Components = null,
    string? CustomId = null,
    string? Title = null);

public sealed record InteractionCallback(int Type, InteractionCallbackData? Data = null);

public static class CommandOptionTypes
{
    public const int SubCommand = 1;
    public const int SubCommandGroup = 2;
    public const int Text = 3;
    public const int WholeNumber = 4;
    public const int TrueOrFalse = 5;
    public const int Channel = 7;
    public const int Role = 8;
}

public sealed record CommandChoice(string Name, string Value);

public sealed record CommandOptionDefinition(
    int Type,
    string Name,
    string Description,
    bool? Required = null,
    IReadOnlyList<CommandChoice>? Choices = null,
    int? MinValue = null,
    int? MaxValue = null,
    IReadOnlyList<CommandOptionDefinition>? Options = null,
    IReadOnlyList<int>? ChannelTypes = null,
    int? MaxLength = null);

/// <summary>A slash command as registered; <c>contexts</c> [0] keeps it to guilds, where threads exist.</summary>
public sealed record CommandDefinition(
    string Name,
    string Description,
    int Type = 1,
    IReadOnlyList<CommandOptionDefinition>? Options = null,
    IReadOnlyList<int>? Contexts = null);

public sealed record SessionStartLimit(int Total, int Remaining, long ResetAfter, int MaxConcurrency);

public sealed record GatewayBotInfo(string Url, int Shards, SessionStartLimit SessionStartLimit);

/// <summary>Discord's error body: <c>{code, message, errors?}</c>; a 429 adds <c>retry_after</c> and <c>global</c>.</summary>
public sealed record DiscordError(int Code = 0, string? Message = null, double? RetryAfter = null, bool? Global = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(IReadOnlyList<DiscordMessage>))]
[JsonSerializable(typeof(DiscordChannel))]
[JsonSerializable(typeof(DiscordUser))]
[JsonSerializable(typeof(MessageCreate))]
[JsonSerializable(typeof(MessageEdit))]
[JsonSerializable(typeof(ThreadCreate))]
[JsonSerializable(typeof(ThreadFromMessageCreate))]
[JsonSerializable(typeof(DirectMessageChannelCreate))]
[JsonSerializable(typeof(InteractionCallback))]
[JsonSerializable(typeof(IReadOnlyList<CommandDefinition>))]
[JsonSerializable(typeof(GatewayBotInfo))]
[JsonSerializable(typeof(DiscordError))]
public sealed partial class DiscordJson : JsonSerializerContext;
