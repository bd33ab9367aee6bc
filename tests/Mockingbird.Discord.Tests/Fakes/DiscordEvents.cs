using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mockingbird.Discord.Wire;

namespace Mockingbird.Discord.Tests.Fakes;

/// <summary>An interaction as Discord would send it, with the id and token the fake API needs to know about.</summary>
public sealed record FakeInteraction(string Id, string Token, JsonObject Body)
{
    internal Interaction Parsed => JsonSerializer.Deserialize(Body.ToJsonString(), DiscordJson.Default.Interaction)!;
}

/// <summary>Builds the gateway and interaction payloads Discord sends, shaped as its documentation describes them.</summary>
public static class DiscordEvents
{
    public const string ApplicationId = "1100000000000000002";

    /// <summary>The bot's permissions in a channel, as the README's invite link grants them (<c>app_permissions</c>).</summary>
    public const string InvitePermissions = "395137059904";
    public const string Guild = "1000000000000000001";
    public const string Channel = "1000000000000000002";
    public const string Candidate = "2000000000000000001";
    public const string Bystander = "2000000000000000002";

    /// <summary>Manage Server (1 &lt;&lt; 5) with the everyday permissions: what a server's moderator holds.</summary>
    public const string ModeratorPermissions = "2248473465835617";

    /// <summary>The everyday permissions of a member (View Channel, Send Messages and the like), without Manage Server or Administrator.</summary>
    public const string MemberPermissions = "2248473465835585";

    private const long DiscordEpochMilliseconds = 1_420_070_400_000;

    private static long s_counter;

    /// <summary>
    /// A snowflake made now. Its time is the wall clock's because the bot that reads it (in a process of its own, for
    /// the end-to-end tests) judges an interaction's freshness by the wall clock; a test that moves time uses <see cref="MadeAt"/>.
    /// </summary>
    public static string NextId() => IdAt(TimeProvider.System.GetUtcNow());

    /// <summary>A snowflake made at <paramref name="at"/>, as Discord makes them: milliseconds since its epoch, then a counter.</summary>
    public static string IdAt(DateTimeOffset at)
    {
        var milliseconds = at.ToUnixTimeMilliseconds() - DiscordEpochMilliseconds;
        return ((milliseconds << 22) | (Interlocked.Increment(ref s_counter) & 0x3FFFFF)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The same interaction made at <paramref name="at"/>: fresh, or replayed by a gateway after a resume.</summary>
    public static FakeInteraction MadeAt(FakeInteraction interaction, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var id = IdAt(at);
        var body = interaction.Body.DeepClone().AsObject();
        body["id"] = id;
        return interaction with { Id = id, Body = body };
    }

    public static FakeInteraction Start(string plan, int questions, string user = Candidate) =>
        Command("start", user, Channel, new JsonArray(
            new JsonObject { ["name"] = "plan", ["type"] = 3, ["value"] = plan },
            new JsonObject { ["name"] = "questions", ["type"] = 4, ["value"] = questions }));

    /// <summary><c>/mock start</c> with the job option set, which asks for the job description form first.</summary>
    public static FakeInteraction StartWithJob(string plan, int questions, string user = Candidate) =>
        Command("start", user, Channel, new JsonArray(
            new JsonObject { ["name"] = "plan", ["type"] = 3, ["value"] = plan },
            new JsonObject { ["name"] = "questions", ["type"] = 4, ["value"] = questions },
            new JsonObject { ["name"] = "job", ["type"] = 5, ["value"] = true }));

    /// <summary>The job description form sent, in the current Label shape, after a start in <see cref="Channel"/>.</summary>
    public static FakeInteraction JobForm(string user, string modalId, string description) =>
        Interaction(5, user, Channel, inThread: false, new JsonObject
        {
            ["custom_id"] = modalId,
            ["components"] = new JsonArray(
                new JsonObject { ["type"] = 10, ["id"] = 1, ["content"] = "what the form says" },
                new JsonObject { ["type"] = 18, ["id"] = 2, ["component"] = new JsonObject { ["type"] = 4, ["id"] = 3, ["custom_id"] = "job", ["value"] = description } }),
        });

    /// <summary><c>/mock &lt;subcommand&gt;</c> used in <paramref name="channel"/> (a text channel unless it is a thread id given with <paramref name="inThread"/>).</summary>
    public static FakeInteraction Command(string subcommand, string user = Candidate, string channel = Channel, JsonArray? options = null, bool inThread = false)
    {
        var data = new JsonObject
        {
            ["id"] = "900",
            ["name"] = "mock",
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["name"] = subcommand, ["type"] = 1, ["options"] = options ?? [] }),
        };
        return Interaction(2, user, channel, inThread, data);
    }

    /// <summary>
    /// <c>/mock daily &lt;subcommand&gt;</c> used in <paramref name="channel"/> by a member with <paramref name="permissions"/>;
    /// a channel option's channel is resolved as Discord resolves it (<paramref name="resolvedChannelType"/>).
    /// </summary>
    public static FakeInteraction Daily(string subcommand, string user, string permissions, JsonArray? options = null, string channel = Channel, int resolvedChannelType = 0)
    {
        var data = new JsonObject
        {
            ["id"] = "900",
            ["name"] = "mock",
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject
            {
                ["name"] = "daily",
                ["type"] = 2,
                ["options"] = new JsonArray(new JsonObject { ["name"] = subcommand, ["type"] = 1, ["options"] = options ?? [] }),
            }),
        };
        var chosen = options?.OfType<JsonObject>().FirstOrDefault(o => (int?)o["type"] == 7);
        if (chosen is not null)
        {
            var id = (string)chosen["value"]!;
            data["resolved"] = new JsonObject
            {
                ["channels"] = new JsonObject { [id] = new JsonObject { ["id"] = id, ["name"] = "study", ["type"] = resolvedChannelType, ["permissions"] = permissions } },
            };
        }

        var interaction = Interaction(2, user, channel, inThread: false, data);
        interaction.Body["member"]!["permissions"] = permissions;
        return interaction;
    }

    /// <summary>A press on a daily round's Answer button, on the post <paramref name="messageId"/> in <paramref name="channel"/>.</summary>
    public static FakeInteraction DailyAnswer(string channel, string user, string customId, string messageId)
    {
        var interaction = Interaction(3, user, channel, inThread: false, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 });
        interaction.Body["message"] = new JsonObject { ["id"] = messageId, ["channel_id"] = channel };
        interaction.Body["member"]!["permissions"] = MemberPermissions;
        return interaction;
    }

    /// <summary>A daily round's answer form sent, in the current Label shape, from the post in <paramref name="channel"/>.</summary>
    public static FakeInteraction DailyForm(string channel, string user, string modalId, string answer)
    {
        var interaction = Interaction(5, user, channel, inThread: false, new JsonObject
        {
            ["custom_id"] = modalId,
            ["components"] = new JsonArray(
                new JsonObject { ["type"] = 10, ["id"] = 1, ["content"] = "the question" },
                new JsonObject { ["type"] = 18, ["id"] = 2, ["component"] = new JsonObject { ["type"] = 4, ["id"] = 3, ["custom_id"] = "mb:answer-1", ["value"] = answer } },
                new JsonObject { ["type"] = 18, ["id"] = 4, ["component"] = new JsonObject { ["type"] = 4, ["id"] = 5, ["custom_id"] = "mb:answer-2", ["value"] = string.Empty } }),
        });
        interaction.Body["member"]!["permissions"] = MemberPermissions;
        return interaction;
    }

    /// <summary>A click on a button of message <paramref name="messageId"/> in <paramref name="thread"/>.</summary>
    public static FakeInteraction Component(string thread, string user, string customId, string messageId = "5")
    {
        var interaction = Interaction(3, user, thread, inThread: true, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 });
        interaction.Body["message"] = new JsonObject { ["id"] = messageId, ["channel_id"] = thread };
        return interaction;
    }

    /// <summary>The I-disagree form sent from <paramref name="thread"/>, in the current Label shape: the dimension and the reason.</summary>
    public static FakeInteraction DisagreeForm(string thread, string user, string modalId, string dimension, string reason) =>
        Interaction(5, user, thread, inThread: true, new JsonObject
        {
            ["custom_id"] = modalId,
            ["components"] = new JsonArray(
                new JsonObject { ["type"] = 18, ["id"] = 1, ["component"] = new JsonObject { ["type"] = 4, ["id"] = 2, ["custom_id"] = "dimension", ["value"] = dimension } },
                new JsonObject { ["type"] = 18, ["id"] = 3, ["component"] = new JsonObject { ["type"] = 4, ["id"] = 4, ["custom_id"] = "reason", ["value"] = reason } }),
        });

    /// <summary>The long-answer form opened on <paramref name="question"/> and submitted, in the current Label shape (an empty second field included).</summary>
    public static FakeInteraction FormAnswer(string thread, string user, string answer, int question = 1) =>
        Interaction(5, user, thread, inThread: true, new JsonObject
        {
            ["custom_id"] = $"mb:answer-modal:{question}:",
            ["components"] = new JsonArray(
                new JsonObject { ["type"] = 18, ["id"] = 1, ["component"] = new JsonObject { ["type"] = 4, ["id"] = 2, ["custom_id"] = "mb:answer-1", ["value"] = answer } },
                new JsonObject { ["type"] = 18, ["id"] = 3, ["component"] = new JsonObject { ["type"] = 4, ["id"] = 4, ["custom_id"] = "mb:answer-2", ["value"] = string.Empty } }),
        });

    public static JsonObject Message(string channel, string author, string content, string? id = null) => new()
    {
        ["id"] = id ?? NextId(),
        ["channel_id"] = channel,
        ["guild_id"] = Guild,
        ["type"] = 0,
        ["content"] = content,
        ["author"] = new JsonObject { ["id"] = author, ["username"] = author == Candidate ? "ada" : "bob" },
    };

    internal static DiscordMessage Parsed(JsonObject message) => JsonSerializer.Deserialize(message.ToJsonString(), DiscordJson.Default.DiscordMessage)!;

    private static FakeInteraction Interaction(int type, string user, string channel, bool inThread, JsonObject data)
    {
        var id = NextId();
        var token = $"interaction-token-{id}";
        var body = new JsonObject
        {
            ["id"] = id,
            ["application_id"] = ApplicationId,
            ["type"] = type,
            ["token"] = token,
            ["version"] = 1,
            ["guild_id"] = Guild,
            ["channel_id"] = channel,
            ["channel"] = inThread
                ? new JsonObject { ["id"] = channel, ["type"] = 12, ["parent_id"] = Channel, ["guild_id"] = Guild }
                : new JsonObject { ["id"] = channel, ["type"] = 0, ["guild_id"] = Guild },
            ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = user, ["username"] = user == Candidate ? "ada" : "bob" } },
            ["app_permissions"] = InvitePermissions,
            ["data"] = data,
        };
        return new FakeInteraction(id, token, body);
    }
}
