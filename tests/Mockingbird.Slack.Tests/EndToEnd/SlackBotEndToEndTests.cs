using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mockingbird.Host.Bot;
using Mockingbird.Platforms;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.Slack.Tests.SocketMode;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.EndToEnd;

/// <summary>
/// The bot as the host composes it (real Redis, judging workers, offline judge) against a fake Slack that speaks
/// Socket Mode and the Web API on 127.0.0.1 and checks every call against Slack's published description.
/// </summary>
public sealed class SlackBotEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string BotToken = "xoxb-end-to-end-bot-token-never-logged";
    private const string AppToken = "xapp-end-to-end-app-token-never-logged";
    private const string SigningSecret = "e2e-signing-secret-never-logged";
    private const string Channel = SlackEvents.Channel;
    private const string Candidate = SlackEvents.Candidate;

    private const string DesignAnswer =
        "First I would scope the problem: clarify requirements, the users, latency targets and the business metric. " +
        "For data I would log impressions and clicks, build labels, and watch for leakage and skew between training and serving. " +
        "The model would be a two-stage design, candidate retrieval with embeddings then a ranking model. " +
        "Serving runs behind a feature store with a cache, and I would monitor drift, latency and cost, evaluate offline with NDCG and online with an A/B test, " +
        "and discuss the trade-off between a bigger model and the latency budget.";

    private const string FollowUpAnswer =
        "To cut cost I would distil the ranker into a smaller model, cache embeddings, batch requests, and quantise the model, " +
        "then check the offline metric and latency did not regress before an A/B test, with monitoring and a rollback plan.";

    private readonly RecordingLoggerProvider _logs = new();
    private RedisServer _redis = null!;
    private FakeSlackWebApi _web = null!;
    private FakeSlackSocket _socket = null!;
    private WebApplication? _bot;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _web = await FakeSlackWebApi.StartAsync(BotToken, AppToken);
        // The bot runs on the real clock here, and so does Slack's ack deadline it has to meet.
        _socket = await FakeSlackSocket.StartAsync(TimeProvider.System);
        _web.SocketUrl = () => _socket.NextConnectionUrl().ToString();
    }

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.StopAsync();
            await _bot.DisposeAsync();
        }

        await _socket.DisposeAsync();
        await _web.DisposeAsync();
        await _redis.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task A_whole_interview_runs_over_socket_mode_through_a_disconnect_a_dropped_socket_and_a_rate_limit()
    {
        await StartBotAsync(http: false);
        await _socket.WaitForLiveConnectionsAsync(2, TimeSpan.FromSeconds(10));

        await _socket.SendEnvelopeAsync("slash_commands", SlackEvents.Command("start system-design 1"), acceptsResponsePayload: true);
        var parent = await InterviewParentAsync();
        await Poll.UntilAsync(() => InThread(parent, "Question 1 of 1"), "the first question");
        await Poll.UntilAsync(() => _web.Ephemerals.Any(e => e.User == Candidate && (e.Text ?? string.Empty).Contains("ready in", StringComparison.Ordinal)), "the private reply");

        // Someone else replying in the thread is not answering.
        await _socket.SendEnvelopeAsync("events_api", SlackEvents.Reply(Channel, parent, SlackEvents.Bystander, "Obviously a bigger model."));
        _web.RateLimitNext(1, 1, "chat.postMessage");
        var answer = SlackEvents.Reply(Channel, parent, Candidate, DesignAnswer);
        await _socket.SendEnvelopeAsync("events_api", answer);
        await Poll.UntilAsync(() => InThread(parent, "Feedback on question 1"), "feedback on the first answer", TimeSpan.FromSeconds(20));
        await Poll.UntilAsync(() => InThread(parent, "Follow-up 1 on question 1"), "the follow-up");

        // Slack asks for a refresh, a socket dies, and the same event is delivered twice: nothing is lost or doubled.
        await _socket.SendDisconnectAsync("refresh_requested");
        await _socket.DropAsync();
        await _socket.SendEnvelopeAsync("events_api", answer);
        var followUp = SlackEvents.Reply(Channel, parent, Candidate, FollowUpAnswer);
        await _socket.SendEnvelopeAsync("events_api", followUp);
        await _socket.SendEnvelopeAsync("events_api", followUp);
        await Poll.UntilAsync(() => InThread(parent, "Scorecard"), "the scorecard", TimeSpan.FromSeconds(20));

        // Each typed answer is marked taken with a reaction on it, once, however often Slack delivered it: after the
        // answer is saved, so the judging worker may post the scorecard first.
        await Poll.UntilAsync(() => _web.Reactions.Count(r => r.Channel == Channel && r.Name == "white_check_mark") == 2, "a reaction on each answer");
        Assert.Equal(2, _web.RequestLog.Count(r => r.Method == "reactions.add"));
        AssertEachPostedOnce(parent);
        Assert.Contains(_web.RequestLog, r => r.Status == 429);
        AssertNothingLeakedOrMalformed();
        Assert.Empty(_socket.Violations);
    }

    [Fact]
    public async Task A_start_with_job_opens_a_form_whose_description_starts_the_interview_and_an_empty_one_is_refused()
    {
        await StartBotAsync(http: false);
        await _socket.WaitForLiveConnectionsAsync(2, TimeSpan.FromSeconds(10));
        var command = SlackEvents.Command("start theory 2 job");
        var trigger = command["trigger_id"]!.GetValue<string>();
        _web.RegisterTrigger(trigger);

        await _socket.SendEnvelopeAsync("slash_commands", command, acceptsResponsePayload: true);
        var view = await Poll.ForAsync(() => _web.Views.FirstOrDefault(v => v.TriggerId == trigger)?.View, "the job description form to open");
        Assert.Empty(_web.Messages(Channel));

        await _socket.SendEnvelopeAsync("interactive", SlackEvents.JobSubmission(view, Candidate, " "), acceptsResponsePayload: true);
        await Poll.UntilAsync(() => _web.Ephemerals.Any(e => e.User == Candidate && (e.Text ?? string.Empty).Contains("job description is empty", StringComparison.Ordinal)), "the refusal of an empty description");
        Assert.Empty(_web.Messages(Channel));

        await _socket.SendEnvelopeAsync("interactive", SlackEvents.JobSubmission(view, Candidate, "- Build retrieval-augmented generation for our support assistant\n- Own the evaluation of LLM features <@U0BYSTANDER> cares about"), acceptsResponsePayload: true);
        var parent = await InterviewParentAsync();
        await Poll.UntilAsync(() => InThread(parent, "Question 1 of 2"), "the first question");
        AssertNothingLeakedOrMalformed();
    }

    [Fact]
    public async Task A_whole_interview_runs_over_signed_http_with_the_hint_button_and_the_answer_form()
    {
        await StartBotAsync(http: true);
        using var http = new HttpClient { BaseAddress = BotUrl() };

        var challenge = await PostSignedAsync(http, """{"token":"t","challenge":"c-123","type":"url_verification"}""", "application/json");
        Assert.Equal("c-123", await challenge.Content.ReadAsStringAsync());

        var started = await PostSignedAsync(http, Form(SlackEvents.Command("start system-design 1")), "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var parent = await InterviewParentAsync();
        await Poll.UntilAsync(() => InThread(parent, "Question 1 of 1"), "the first question");
        var question = _web.Thread(Channel, parent).Last(m => (m.Blocks?.ToJsonString() ?? m.Text).Contains("Question 1 of 1", StringComparison.Ordinal));

        await PostSignedAsync(http, Form(new JsonObject { ["payload"] = SlackEvents.Click(Channel, parent, question.Ts, Candidate, "mb:hint", "1:", SlackEvents.NextId("trigger-")).ToJsonString() }), "application/x-www-form-urlencoded");
        await Poll.UntilAsync(() => InThread(parent, "Hint 1/"), "the hint");

        var trigger = SlackEvents.NextId("trigger-");
        _web.RegisterTrigger(trigger);
        await PostSignedAsync(http, Form(new JsonObject { ["payload"] = SlackEvents.Click(Channel, parent, question.Ts, Candidate, "mb:answer", "1:", trigger).ToJsonString() }), "application/x-www-form-urlencoded");
        await Poll.UntilAsync(() => _web.Views.Any(v => v.TriggerId == trigger), "the answer form to open");
        var view = _web.Views.Single(v => v.TriggerId == trigger).View;
        await PostSignedAsync(http, Form(new JsonObject { ["payload"] = SlackEvents.FormSubmission(view, Candidate, DesignAnswer).ToJsonString() }), "application/x-www-form-urlencoded");
        await Poll.UntilAsync(() => InThread(parent, "Your answer"), "the form answer shown in the thread");
        await Poll.UntilAsync(() => InThread(parent, "Follow-up 1 on question 1"), "the follow-up", TimeSpan.FromSeconds(20));

        // Slack retries an event it thinks was not received: the same event id changes nothing the second time.
        var followUp = SlackEvents.Reply(Channel, parent, Candidate, FollowUpAnswer).ToJsonString();
        await PostSignedAsync(http, followUp, "application/json");
        await PostSignedAsync(http, followUp, "application/json", retry: 1);
        await Poll.UntilAsync(() => InThread(parent, "Scorecard"), "the scorecard", TimeSpan.FromSeconds(20));

        await Poll.UntilAsync(() => _web.RequestLog.Any(r => r.Method == "reactions.add"), "the answer's reaction");
        Assert.Single(_web.RequestLog, r => r.Method == "reactions.add");
        Assert.Equal(1, Count(parent, "Your answer"));
        AssertEachPostedOnce(parent);
        AssertNothingLeakedOrMalformed();
    }

    [Fact]
    public async Task Requests_with_a_bad_or_stale_signature_are_refused_before_they_are_read()
    {
        await StartBotAsync(http: true);
        using var http = new HttpClient { BaseAddress = BotUrl() };
        var start = Form(SlackEvents.Command("start theory 1"));

        var forged = await PostSignedAsync(http, start, "application/x-www-form-urlencoded", secret: "not-the-secret");
        var stale = await PostSignedAsync(http, start, "application/x-www-form-urlencoded", at: TimeProvider.System.GetUtcNow().AddMinutes(-6));
        using var unsigned = new StringContent(start, Encoding.UTF8, "application/x-www-form-urlencoded");
        var missing = await http.PostAsync(new Uri("slack/events", UriKind.Relative), unsigned);
        var malformed = await PostSignedAsync(http, "{not json", "application/json", secret: "not-the-secret");
        var ignored = await PostSignedAsync(http, """{"type":"app_rate_limited","team_id":"T1","minute_rate_limited":1}""", "application/json");
        var accepted = await PostSignedAsync(http, start, "application/x-www-form-urlencoded");
        await _bot!.Services.GetRequiredService<AcknowledgedWork>().DrainAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Single(_web.Messages(Channel), m => m.ThreadTs is null);
    }

    [Fact]
    public async Task An_answer_sent_over_http_while_redis_is_down_gets_503_and_a_warning_then_slacks_retry_is_taken_once()
    {
        await StartBotAsync(http: true);
        using var http = new HttpClient { BaseAddress = BotUrl() };
        await PostSignedAsync(http, Form(SlackEvents.Command("start system-design 1")), "application/x-www-form-urlencoded");
        var parent = await InterviewParentAsync();
        await Poll.UntilAsync(() => InThread(parent, "Question 1 of 1"), "the first question");

        await _redis.StopAsync();
        var answer = SlackEvents.Reply(Channel, parent, Candidate, DesignAnswer).ToJsonString();
        var refused = await PostSignedAsync(http, answer, "application/json");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        await Poll.UntilAsync(() => _web.Reactions.Any(r => r.Name == "warning"), "the warning on the answer", TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(() => _web.Ephemerals.Any(e => e.User == Candidate && e.ThreadTs == parent && e.Text == Mockingbird.Chat.ChatInterviews.NotSavedRetrying), "the candidate to be told", TimeSpan.FromSeconds(30));

        // Slack sends it again (three times, over about six minutes); once Redis is back one of them is recorded.
        await _redis.RestartAsync();
        var retried = new List<HttpStatusCode>();
        do
        {
            // Each refused retry takes the bot's record deadline, so this is a handful of tries, not a busy loop.
            retried.Add((await PostSignedAsync(http, answer, "application/json", retry: 1)).StatusCode);
        }
        while (retried[^1] != HttpStatusCode.OK && retried.Count < 15);
        Assert.Equal(HttpStatusCode.OK, retried[^1]);
        await Poll.UntilAsync(() => InThread(parent, "Feedback on question 1"), "feedback on the answer", TimeSpan.FromSeconds(20));

        Assert.Single(_web.Ephemerals, e => e.Text == Mockingbird.Chat.ChatInterviews.NotSavedRetrying);
        AssertFeedbackPostedOnce(parent);
        AssertNothingLeakedOrMalformed();
    }

    [Fact]
    public async Task A_bot_that_cannot_tell_whose_thread_it_is_while_redis_is_down_tells_the_author_privately_in_case_it_was_an_answer()
    {
        await StartBotAsync(http: true);
        using (var first = new HttpClient { BaseAddress = BotUrl() })
        {
            await PostSignedAsync(first, Form(SlackEvents.Command("start system-design 1")), "application/x-www-form-urlencoded");
        }

        var parent = await InterviewParentAsync();
        await Poll.UntilAsync(() => InThread(parent, "Question 1 of 1"), "the first question");

        // A restarted bot has not seen the thread, and with Redis down it cannot look it up.
        await _bot!.StopAsync();
        await _bot.DisposeAsync();
        await StartBotAsync(http: true);
        using var http = new HttpClient { BaseAddress = BotUrl() };
        await _redis.StopAsync();
        var refused = await PostSignedAsync(http, SlackEvents.Reply(Channel, parent, Candidate, DesignAnswer).ToJsonString(), "application/json");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        await Poll.UntilAsync(
            () => _web.Ephemerals.Any(e => e.User == Candidate && e.ThreadTs == parent && (e.Text ?? string.Empty).StartsWith("If this was an answer in your mock interview", StringComparison.Ordinal)),
            "the author to be told privately",
            TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(_web.Reactions, r => r.Name == "warning");
    }

    [Fact]
    public async Task An_answer_sent_over_socket_mode_while_redis_is_down_is_left_unacknowledged_and_taken_from_slacks_redelivery()
    {
        await StartBotAsync(http: false);
        await _socket.WaitForLiveConnectionsAsync(2, TimeSpan.FromSeconds(10));
        await _socket.SendEnvelopeAsync("slash_commands", SlackEvents.Command("start system-design 1"), acceptsResponsePayload: true);
        var parent = await InterviewParentAsync();
        await Poll.UntilAsync(() => InThread(parent, "Question 1 of 1"), "the first question");

        await _redis.StopAsync();
        var envelope = await _socket.SendEnvelopeAsync("events_api", SlackEvents.Reply(Channel, parent, Candidate, DesignAnswer));
        await _logs.WaitForAsync("could not be recorded; not acknowledged");
        Assert.DoesNotContain(_socket.Acks, a => a.EnvelopeId == envelope);

        await _redis.RestartAsync();
        await Poll.UntilAsync(() => _socket.Acks.Any(a => a.EnvelopeId == envelope), "a redelivery to be recorded and acknowledged", TimeSpan.FromSeconds(20));
        await Poll.UntilAsync(() => InThread(parent, "Feedback on question 1"), "feedback on the answer", TimeSpan.FromSeconds(20));

        Assert.Contains(_socket.Deliveries, d => d.EnvelopeId == envelope && d.RetryAttempt > 0);
        AssertFeedbackPostedOnce(parent);
        AssertNothingLeakedOrMalformed();
        Assert.Empty(_socket.Violations);
    }

    [Fact]
    public async Task Every_signed_body_slack_would_not_send_gets_400_and_a_log_line_never_a_500()
    {
        await StartBotAsync(http: true);
        using var http = new HttpClient { BaseAddress = BotUrl() };
        string[] json =
        [
            "[1]",
            "\"x\"",
            "5",
            "{}",
            """{"type":5}""",
            """{"type":"event_callback","event_id":5,"event":{"type":"message"}}""",
            """{"type":"event_callback","event_id":"Ev1","event":[]}""",
            """{"type":"event_callback","event_id":"Ev2","event":{"type":"message","user":5,"channel":"C1","ts":"1.2","thread_ts":"1.1"}}""",
            """{"type":"url_verification"}""",
        ];
        string[] forms =
        [
            "payload=[]",
            "payload=%22x%22",
            "payload=" + Uri.EscapeDataString("""{"type":5}"""),
            "payload=" + Uri.EscapeDataString("""{"type":"block_actions","user":"U1"}"""),
            "payload=%7Bnot+json",
            "command=%2Fmock&text=start",
            "text=hello",
        ];

        var statuses = new List<(string Body, HttpStatusCode Status)>();
        foreach (var body in json)
        {
            statuses.Add((body, (await PostSignedAsync(http, body, "application/json")).StatusCode));
        }

        foreach (var body in forms)
        {
            statuses.Add((body, (await PostSignedAsync(http, body, "application/x-www-form-urlencoded")).StatusCode));
        }

        await _bot!.Services.GetRequiredService<AcknowledgedWork>().DrainAsync();
        Assert.All(statuses, s => Assert.True(s.Status == HttpStatusCode.BadRequest, $"{s.Body} got {(int)s.Status}"));
        Assert.Equal(statuses.Count, _logs.Entries.Count(l => l.Contains("not in a shape Slack sends", StringComparison.Ordinal)));
        Assert.DoesNotContain(_logs.Entries, l => l.Contains("Exception", StringComparison.Ordinal));
        Assert.Empty(_web.AllMessages);
    }

    [Theory]
    [InlineData("""{"type":"channel_created","channel":{"id":"C024BE91L","name":"fun","created":1360782804,"creator":"U024BE7LH"},"event_ts":"1360782804.000100"}""")]
    [InlineData("""{"type":"user_change","user":{"id":"U024BE7LH","name":"bobby","deleted":false,"profile":{"display_name":"Bobby"}},"cache_ts":1360782804,"event_ts":"1360782804.000100"}""")]
    [InlineData("""{"type":"team_join","user":{"id":"W123456","team_id":"T123456","name":"spengler"},"event_ts":"1360782804.000100"}""")]
    [InlineData("""{"type":"im_created","user":"U024BE7LH","channel":{"id":"D024BE91L","created":1360782804},"event_ts":"1360782804.000100"}""")]
    public async Task A_signed_event_of_a_kind_other_than_a_message_gets_200_once_and_is_left_alone(string innerEvent)
    {
        await StartBotAsync(http: true);
        using var http = new HttpClient { BaseAddress = BotUrl() };
        var body = $$"""{"token":"legacy","team_id":"T123456","api_app_id":"A123456","type":"event_callback","event_id":"Ev0PV52K25","event_time":1360782804,"event":{{innerEvent}}}""";

        var response = await PostSignedAsync(http, body, "application/json");
        await _bot!.Services.GetRequiredService<AcknowledgedWork>().DrainAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(_logs.Entries, l => l.Contains("not in a shape Slack sends", StringComparison.Ordinal));
        Assert.Empty(_web.AllMessages);
    }

    [Fact]
    public async Task Slacks_certificate_check_gets_200_and_another_command_of_the_app_is_not_taken_for_mock()
    {
        await StartBotAsync(http: true);
        using var http = new HttpClient { BaseAddress = BotUrl() };
        var other = SlackEvents.Command("start theory 1");
        other["command"] = "/standup";

        var check = await PostSignedAsync(http, "ssl_check=1&token=legacy-verification-token", "application/x-www-form-urlencoded");
        var command = await PostSignedAsync(http, Form(other), "application/x-www-form-urlencoded");
        await _bot!.Services.GetRequiredService<AcknowledgedWork>().DrainAsync();

        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal(HttpStatusCode.OK, command.StatusCode);
        Assert.Empty(_web.AllMessages);
        Assert.Contains(_web.Ephemerals, e => e.User == Candidate && (e.Text ?? string.Empty).StartsWith("I only answer /mock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejected_app_token_stops_the_bot_with_one_line_that_does_not_contain_it()
    {
        using var error = new StringWriter();
        var settings = Settings(http: false);
        settings["Slack:AppToken"] = "xapp-not-the-app-token";

        var exitCode = await BotHost.RunAsync(BotPlatform.Slack, error, settings, default).WaitAsync(TimeSpan.FromSeconds(20), TimeProvider.System);

        Assert.Equal(1, exitCode);
        Assert.Contains("Slack:AppToken", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("xapp-not-the-app-token", error.ToString(), StringComparison.Ordinal);
    }

    private async Task StartBotAsync(bool http)
    {
        _bot = await BotHost.BuildAsync(BotPlatform.Slack, Settings(http), builder => builder.Logging.AddProvider(_logs));
        await _bot.StartAsync();
    }

    private Dictionary<string, string?> Settings(bool http) => new()
    {
        ["Urls"] = "http://127.0.0.1:0",
        ["Slack:BotToken"] = BotToken,
        ["Slack:AppToken"] = AppToken,
        ["Slack:SigningSecret"] = SigningSecret,
        ["Slack:Transport"] = http ? "Http" : "SocketMode",
        ["Slack:ApiBaseUrl"] = _web.ApiBaseUrl.ToString(),
        ["Redis:Configuration"] = _redis.Endpoint,
        ["Redis:KeyPrefix"] = "e2e" + Guid.NewGuid().ToString("N")[..8],
        ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        ["Judging:Sweep"] = "00:00:00.050",

        // Slack's one-message-a-second pacing is the client's (tested on its own); here it would only slow the run.
        ["Slack:Web:PostMessageInterval"] = "00:00:00.020",
        ["Logging:LogLevel:Default"] = "Debug",
    };

    private Uri BotUrl() =>
        new(_bot!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

    private static async Task<HttpResponseMessage> PostSignedAsync(HttpClient http, string body, string contentType, int? retry = null, string secret = SigningSecret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? TimeProvider.System.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "slack/events") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", "v0=" + Convert.ToHexString(mac).ToLowerInvariant());
        if (retry is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return await http.SendAsync(request);
    }

    private static string Form(JsonObject fields) =>
        string.Join("&", fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value?.GetValue<string>() ?? string.Empty)}"));

    /// <summary>The bot's message in the channel that the interview thread hangs off.</summary>
    private async Task<string> InterviewParentAsync()
    {
        await Poll.UntilAsync(() => _web.Messages(Channel).Any(m => m.ThreadTs is null && m.Text.Contains($"<@{Candidate}>", StringComparison.Ordinal)), "the interview's parent message");
        return _web.Messages(Channel).Single(m => m.ThreadTs is null).Ts;
    }

    private bool InThread(string parent, string text) => Count(parent, text) > 0;

    private int Count(string parent, string text) =>
        _web.Thread(Channel, parent).Count(m => (m.Blocks?.ToJsonString() ?? m.Text).Contains(text, StringComparison.Ordinal));

    private void AssertFeedbackPostedOnce(string parent)
    {
        var bodies = _web.Thread(Channel, parent).Select(m => m.Blocks?.ToJsonString() ?? m.Text).ToList();
        Assert.Equal(bodies.Count, bodies.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(1, Count(parent, "Feedback on question 1"));
    }

    private void AssertEachPostedOnce(string parent)
    {
        var bodies = _web.Thread(Channel, parent).Select(m => m.Blocks?.ToJsonString() ?? m.Text).ToList();
        Assert.Equal(bodies.Count, bodies.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(1, Count(parent, "Feedback on question 1"));
        Assert.Equal(1, Count(parent, "Scorecard"));
    }

    private void AssertNothingLeakedOrMalformed()
    {
        Assert.Empty(_web.Violations);
        Assert.DoesNotContain(_logs.Entries, l => l.Contains(BotToken, StringComparison.Ordinal) || l.Contains(AppToken, StringComparison.Ordinal) || l.Contains(SigningSecret, StringComparison.Ordinal));
    }
}
