using System.Globalization;
using System.Text.Json.Nodes;

namespace Mockingbird.Slack.Tests.EndToEnd;

/// <summary>Builds the payloads Slack sends (slash commands, message events, clicks, modal submissions), shaped as its documentation describes them.</summary>
public static class SlackEvents
{
    public const string Team = "T1";
    public const string Channel = "C0INTERVIEW";
    public const string Candidate = "U0CANDIDATE";
    public const string Bystander = "U0BYSTANDER";

    private static long s_counter;

    public static string NextId(string prefix) => prefix + Interlocked.Increment(ref s_counter).ToString(CultureInfo.InvariantCulture);

    public static JsonObject Command(string text, string user = Candidate) => new()
    {
        ["token"] = "legacy-verification-token",
        ["team_id"] = Team,
        ["channel_id"] = Channel,
        ["user_id"] = user,
        ["user_name"] = user == Candidate ? "ada" : "bob",
        ["command"] = "/mock",
        ["text"] = text,
        ["api_app_id"] = "A0FAKEAPP01",
        ["response_url"] = "https://hooks.slack.invalid/commands/T1/1/abc",
        ["trigger_id"] = NextId("trigger-"),
    };

    /// <summary>A reply in a thread, wrapped in the Events API envelope with its event id.</summary>
    public static JsonObject Reply(string channel, string threadTs, string user, string text, string? eventId = null) => new()
    {
        ["token"] = "legacy-verification-token",
        ["team_id"] = Team,
        ["api_app_id"] = "A0FAKEAPP01",
        ["type"] = "event_callback",
        ["event_id"] = eventId ?? NextId("Ev"),
        ["event_time"] = 1_700_000_000,
        ["event"] = new JsonObject
        {
            ["type"] = "message",
            ["user"] = user,
            ["text"] = text,
            ["channel"] = channel,
            ["channel_type"] = "channel",
            ["ts"] = $"1800000000.{Interlocked.Increment(ref s_counter):000000}",
            ["thread_ts"] = threadTs,
            ["parent_user_id"] = "UBOT",
        },
        ["authorizations"] = new JsonArray(new JsonObject { ["team_id"] = Team, ["user_id"] = "UBOT", ["is_bot"] = true }),
    };

    public static JsonObject Click(string channel, string threadTs, string messageTs, string user, string actionId, string value, string triggerId) => new()
    {
        ["type"] = "block_actions",
        ["team"] = new JsonObject { ["id"] = Team },
        ["user"] = new JsonObject { ["id"] = user, ["team_id"] = Team },
        ["channel"] = new JsonObject { ["id"] = channel },
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["thread_ts"] = threadTs, ["channel_id"] = channel },
        ["trigger_id"] = triggerId,
        ["actions"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = actionId, ["value"] = value, ["block_id"] = "b1", ["action_ts"] = "1800000000.1" }),
    };

    /// <summary>The long-answer modal submitted, with the metadata the bot put in it and the text in its first field.</summary>
    public static JsonObject FormSubmission(JsonObject view, string user, string answer) => new()
    {
        ["type"] = "view_submission",
        ["team"] = new JsonObject { ["id"] = Team },
        ["user"] = new JsonObject { ["id"] = user, ["team_id"] = Team },
        ["trigger_id"] = NextId("trigger-"),
        ["view"] = new JsonObject
        {
            ["id"] = NextId("V"),
            ["callback_id"] = view["callback_id"]!.GetValue<string>(),
            ["private_metadata"] = view["private_metadata"]!.GetValue<string>(),
            ["state"] = new JsonObject
            {
                ["values"] = new JsonObject
                {
                    ["mb:answer-1"] = new JsonObject { ["mb:answer-1"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = answer } },
                    ["mb:answer-2"] = new JsonObject { ["mb:answer-2"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = null } },
                },
            },
        },
    };

    /// <summary>The I-disagree modal submitted, with the metadata the bot put in it: the dimension and the reason.</summary>
    public static JsonObject DisagreeSubmission(JsonObject view, string user, string dimension, string reason) => new()
    {
        ["type"] = "view_submission",
        ["team"] = new JsonObject { ["id"] = Team },
        ["user"] = new JsonObject { ["id"] = user, ["team_id"] = Team },
        ["trigger_id"] = NextId("trigger-"),
        ["view"] = new JsonObject
        {
            ["id"] = NextId("V"),
            ["callback_id"] = view["callback_id"]!.GetValue<string>(),
            ["private_metadata"] = view["private_metadata"]!.GetValue<string>(),
            ["state"] = new JsonObject
            {
                ["values"] = new JsonObject
                {
                    ["dimension"] = new JsonObject { ["dimension"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = dimension } },
                    ["reason"] = new JsonObject { ["reason"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = reason } },
                },
            },
        },
    };

    /// <summary>The job description modal submitted, with the metadata the bot put in it.</summary>
    public static JsonObject JobSubmission(JsonObject view, string user, string description) => new()
    {
        ["type"] = "view_submission",
        ["team"] = new JsonObject { ["id"] = Team },
        ["user"] = new JsonObject { ["id"] = user, ["team_id"] = Team },
        ["trigger_id"] = NextId("trigger-"),
        ["view"] = new JsonObject
        {
            ["id"] = NextId("V"),
            ["callback_id"] = view["callback_id"]!.GetValue<string>(),
            ["private_metadata"] = view["private_metadata"]!.GetValue<string>(),
            ["state"] = new JsonObject
            {
                ["values"] = new JsonObject { ["job"] = new JsonObject { ["job"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = description } } },
            },
        },
    };
}
