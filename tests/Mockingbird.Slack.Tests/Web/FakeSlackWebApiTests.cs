using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Slack.Tests.Fakes;

namespace Mockingbird.Slack.Tests.Web;

/// <summary>The fake's own checks, driven with raw HTTP so that each can be seen to refuse what real Slack refuses.</summary>
public sealed class FakeSlackWebApiTests : IAsyncLifetime, IDisposable
{
    private const string BotToken = "xoxb-1-2-fake";
    private const string AppToken = "xapp-1-A-3-fake";
    private const string Channel = "C0INTERVIEW";

    private readonly HttpClient _http = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeSlackWebApi _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeSlackWebApi.StartAsync(BotToken, AppToken, _clock);
        _http.BaseAddress = _fake.ApiBaseUrl;
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public void The_published_description_gives_names_and_required_parameters_and_knows_the_newer_method()
    {
        var post = SlackSpec.Parameters("chat.postMessage")!;
        var connections = SlackSpec.Parameters("apps.connections.open")!;

        Assert.Contains("channel", post.Required);
        Assert.Contains("thread_ts", post.Declared);
        Assert.Contains("metadata", post.Declared);
        Assert.DoesNotContain("token", post.Declared);
        Assert.Equal(["trigger_id", "view"], SlackSpec.Parameters("views.open")!.Required.Order());
        Assert.Empty(connections.Declared);
        Assert.Null(SlackSpec.Parameters("chat.postMesage"));
    }

    [Fact]
    public async Task Unknown_or_missing_parameters_a_token_in_the_body_and_form_bodies_are_refused_and_recorded()
    {
        var misspelt = await PostAsync("chat.postMessage", """{"chanel":"C0INTERVIEW","text":"hi"}""");
        var noText = await PostAsync("chat.postMessage", """{"channel":"C0INTERVIEW"}""");
        var tokenInBody = await PostAsync("chat.postMessage", """{"channel":"C0INTERVIEW","text":"hi","token":"xoxb-1-2-fake"}""");
        var form = await PostAsync("chat.postMessage", "channel=C0INTERVIEW&text=hi", "application/x-www-form-urlencoded");
        var good = await PostAsync("chat.postMessage", """{"channel":"C0INTERVIEW","text":"hi","unfurl_links":false}""");

        Assert.Equal(["invalid_arguments", "invalid_arguments", "invalid_arguments", "invalid_arguments"], new[] { misspelt, noText, tokenInBody, form }.Select(Error));
        Assert.True((bool)good["ok"]!);
        var violations = _fake.Violations;
        Assert.Equal(4, violations.Count);
        Assert.Contains("'chanel' is not a parameter", violations[0], StringComparison.Ordinal);
        Assert.Contains("'channel' is required", violations[0], StringComparison.Ordinal);
        Assert.Contains("'text' is required", violations[1], StringComparison.Ordinal);
        Assert.Contains("Authorization header", violations[2], StringComparison.Ordinal);
        Assert.Contains("Content-Type", violations[3], StringComparison.Ordinal);
        Assert.Single(_fake.AllMessages);
    }

    [Fact]
    public async Task Block_kit_limits_are_enforced()
    {
        static string Message(JsonNode blocks) => new JsonObject { ["channel"] = Channel, ["text"] = "fallback", ["blocks"] = blocks }.ToJsonString();
        static JsonObject Button(string label, string actionId = "a", string value = "v") => new()
        {
            ["type"] = "button",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = label },
            ["action_id"] = actionId,
            ["value"] = value,
        };
        static JsonObject Section(string text) => new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } };

        string[] refused =
        [
            Message(new JsonArray(Section(new string('s', 3001)))),
            Message(new JsonArray(new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = new string('h', 151) } })),
            Message(new JsonArray(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(Button("ok", new string('a', 256))) })),
            Message(new JsonArray(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(Button("ok", value: new string('v', 2001))) })),
            Message(new JsonArray(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. Enumerable.Range(0, 26).Select(i => Button("b", "a" + i))]) })),
            Message(new JsonArray([.. Enumerable.Range(0, 51).Select(_ => Section("x"))])),
            Message(new JsonArray(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = "nested" } }) })),
        ];
        var accepted = Message(new JsonArray(Section(new string('s', 3000)), new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(Button(new string('b', 75))) }));

        foreach (var body in refused)
        {
            Assert.Equal("invalid_blocks", Error(await PostAsync("chat.postMessage", body)));
        }

        Assert.True((bool)(await PostAsync("chat.postMessage", accepted))["ok"]!);
        Assert.Equal(refused.Length, _fake.Violations.Count);
    }

    [Fact]
    public async Task A_modal_title_over_24_characters_and_input_without_submit_are_refused()
    {
        _fake.RegisterTrigger("t1");
        static string Open(string title, bool submit) => new JsonObject
        {
            ["trigger_id"] = "t1",
            ["view"] = new JsonObject
            {
                ["type"] = "modal",
                ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = title },
                ["submit"] = submit ? new JsonObject { ["type"] = "plain_text", ["text"] = "Submit" } : null,
                ["blocks"] = new JsonArray(new JsonObject
                {
                    ["type"] = "input",
                    ["label"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Answer" },
                    ["element"] = new JsonObject { ["type"] = "plain_text_input", ["action_id"] = "text" },
                }),
            },
        }.ToJsonString();

        Assert.Equal("invalid_arguments", Error(await PostAsync("views.open", Open(new string('t', 25), submit: true))));
        Assert.Equal("invalid_arguments", Error(await PostAsync("views.open", Open("Answer", submit: false))));
        Assert.True((bool)(await PostAsync("views.open", Open(new string('t', 24), submit: true)))["ok"]!);
        Assert.Equal(2, _fake.Violations.Count);
    }

    [Fact]
    public async Task Tokens_are_checked_and_each_method_takes_only_its_kind_of_token()
    {
        Assert.Equal("not_authed", Error(await PostAsync("auth.test", string.Empty, token: null)));
        Assert.Equal("invalid_auth", Error(await PostAsync("auth.test", string.Empty, token: "xoxb-wrong")));
        Assert.Equal("not_allowed_token_type", Error(await PostAsync("auth.test", string.Empty, token: AppToken)));
        Assert.Equal("not_allowed_token_type", Error(await PostAsync("apps.connections.open", string.Empty, token: BotToken)));
        Assert.True((bool)(await PostAsync("apps.connections.open", string.Empty, token: AppToken))["ok"]!);
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_reply_must_name_an_existing_parent_in_the_channel_not_another_reply()
    {
        var parent = (string)(await PostAsync("chat.postMessage", """{"channel":"C0INTERVIEW","text":"parent"}"""))["ts"]!;
        var reply = (string)(await PostAsync("chat.postMessage", $$"""{"channel":"C0INTERVIEW","text":"reply","thread_ts":"{{parent}}"}"""))["ts"]!;

        var toReply = await PostAsync("chat.postMessage", $$"""{"channel":"C0INTERVIEW","text":"nested","thread_ts":"{{reply}}"}""");
        var elsewhere = await PostAsync("chat.postMessage", $$"""{"channel":"C0OTHER","text":"lost","thread_ts":"{{parent}}"}""");

        Assert.Equal("thread_not_found", Error(toReply));
        Assert.Equal("thread_not_found", Error(elsewhere));
        Assert.True(string.CompareOrdinal(parent, reply) < 0, "timestamps increase");
        Assert.Equal(["reply"], _fake.Thread(Channel, parent).Select(m => m.Text));
        Assert.Contains("names a reply", Assert.Single(_fake.Violations), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trigger_id_opens_one_view_and_an_unknown_one_has_expired()
    {
        _fake.RegisterTrigger("t2");
        const string View = """{"type":"modal","title":{"type":"plain_text","text":"Answer"},"blocks":[]}""";

        var unknown = await PostAsync("views.open", $$"""{"trigger_id":"t-unknown","view":{{View}}}""");
        var first = await PostAsync("views.open", $$"""{"trigger_id":"t2","view":{{View}}}""");
        var again = await PostAsync("views.open", $$"""{"trigger_id":"t2","view":{{View}}}""");

        Assert.Equal("expired_trigger_id", Error(unknown));
        Assert.True((bool)first["ok"]!);
        Assert.Equal("exchanged_trigger_id", Error(again));
        Assert.Equal("t2", Assert.Single(_fake.Views).TriggerId);
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_scripted_rate_limit_keeps_refusing_the_method_until_retry_after_is_over()
    {
        _fake.RateLimitNext(1, 30, "auth.test");

        using var first = await SendAsync("auth.test", string.Empty, BotToken, "application/json; charset=utf-8");
        _clock.Advance(TimeSpan.FromSeconds(29));
        using var second = await SendAsync("auth.test", string.Empty, BotToken, "application/json; charset=utf-8");
        var other = await PostAsync("conversations.open", """{"users":"U1"}""");
        _clock.Advance(TimeSpan.FromSeconds(1));
        using var third = await SendAsync("auth.test", string.Empty, BotToken, "application/json; charset=utf-8");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), first.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("ratelimited", Error(JsonNode.Parse(await second.Content.ReadAsStringAsync())!));
        Assert.Equal("DU1", (string?)other["channel"]?["id"]);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task A_thread_is_read_back_from_form_fields_page_by_page_with_its_metadata_only_when_asked()
    {
        var parent = (string)(await PostAsync("chat.postMessage", """{"channel":"C0INTERVIEW","text":"parent"}"""))["ts"]!;
        for (var i = 0; i < 3; i++)
        {
            await PostAsync("chat.postMessage", new JsonObject
            {
                ["channel"] = Channel,
                ["text"] = $"reply {i}",
                ["thread_ts"] = parent,
                ["metadata"] = new JsonObject { ["event_type"] = "mockingbird_delivery", ["event_payload"] = new JsonObject { ["part"] = $"p{i}" } },
            }.ToJsonString());
        }

        var asJson = await PostAsync("conversations.replies", $$"""{"channel":"C0INTERVIEW","ts":"{{parent}}"}""");
        var first = await PostAsync("conversations.replies", $"channel=C0INTERVIEW&ts={parent}&limit=2&include_all_metadata=true", Form);
        var cursor = (string)first["response_metadata"]!["next_cursor"]!;
        var second = await PostAsync("conversations.replies", $"channel=C0INTERVIEW&ts={parent}&limit=2&include_all_metadata=true&cursor={Uri.EscapeDataString(cursor)}", Form);
        var bare = await PostAsync("conversations.replies", $"channel=C0INTERVIEW&ts={parent}", Form);
        var later = await PostAsync("conversations.replies", $"channel=C0INTERVIEW&ts={parent}&oldest={_fake.Thread(Channel, parent)[1].Ts}", Form);
        var noThread = await PostAsync("conversations.replies", "channel=C0INTERVIEW&ts=1.000100", Form);

        Assert.Equal("invalid_arguments", Error(asJson));
        Assert.Equal(["parent", "reply 0"], first["messages"]!.AsArray().Select(m => (string)m!["text"]!));
        Assert.True((bool)first["has_more"]!);
        Assert.Equal("p0", (string?)first["messages"]![1]!["metadata"]!["event_payload"]!["part"]);
        Assert.Equal(["reply 1", "reply 2"], second["messages"]!.AsArray().Select(m => (string)m!["text"]!));
        Assert.False((bool)second["has_more"]!);
        Assert.Equal(string.Empty, (string?)second["response_metadata"]!["next_cursor"]);
        Assert.All(bare["messages"]!.AsArray(), m => Assert.Null(m!["metadata"]));
        Assert.Equal(["parent", "reply 2"], later["messages"]!.AsArray().Select(m => (string)m!["text"]!));
        Assert.Equal("thread_not_found", Error(noThread));
        Assert.Contains("form fields only", Assert.Single(_fake.Violations), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_metadata_without_an_event_type_and_payload_object_is_refused()
    {
        var noPayload = await PostAsync("chat.postMessage", """{"channel":"C0INTERVIEW","text":"hi","metadata":{"event_type":"mockingbird_delivery"}}""");
        var payloadText = await PostAsync("chat.postMessage", """{"channel":"C0INTERVIEW","text":"hi","metadata":{"event_type":"x","event_payload":"part"}}""");

        Assert.Equal(["invalid_metadata_format", "invalid_metadata_format"], new[] { noPayload, payloadText }.Select(Error));
        Assert.Empty(_fake.AllMessages);
    }

    private const string Form = "application/x-www-form-urlencoded";

    private static string? Error(JsonNode answer) => (bool)answer["ok"]! ? null : (string?)answer["error"];

    private async Task<JsonNode> PostAsync(string method, string body, string contentType = "application/json; charset=utf-8", string? token = BotToken)
    {
        using var response = await SendAsync(method, body, token, contentType);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string body, string? token, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return await _http.SendAsync(request);
    }
}
