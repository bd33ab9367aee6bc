using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mockingbird.Chat.Threads;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Tests.Gateway;
using Mockingbird.Host.Bot;
using Mockingbird.Platforms;
using Mockingbird.Testing;
using NSec.Cryptography;

namespace Mockingbird.Discord.Tests.EndToEnd;

/// <summary>
/// The bot as the host composes it (real Redis, judging workers, offline judge) against a fake Discord that speaks
/// the gateway and REST protocols on 127.0.0.1 and checks every request body against Discord's published schema.
/// </summary>
public sealed class DiscordBotEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Token = "MTEwMDAw.end-to-end.bot-token-that-must-never-be-logged";
    private const string ApplicationId = DiscordEvents.ApplicationId;
    private const string Guild = DiscordEvents.Guild;
    private const string Channel = DiscordEvents.Channel;
    private const string Candidate = DiscordEvents.Candidate;
    private const string Bystander = DiscordEvents.Bystander;

    internal const string DesignAnswer =
        "First I would scope the problem: clarify requirements, the users, latency targets and the business metric. " +
        "For data I would log impressions and clicks, build labels, and watch for leakage and skew between training and serving. " +
        "The model would be a two-stage design, candidate retrieval with embeddings then a ranking model. " +
        "Serving runs behind a feature store with a cache, and I would monitor drift, latency and cost, evaluate offline with NDCG and online with an A/B test, " +
        "and discuss the trade-off between a bigger model and the latency budget.";

    private const string FollowUpAnswer =
        "To cut cost I would distil the ranker into a smaller model, cache embeddings, batch requests, and quantise the model, " +
        "then check the offline metric and latency did not regress before an A/B test, with monitoring and a rollback plan.";

    private readonly RecordingLoggerProvider _logs = new();
    private readonly Key _signingKey = Key.Create(SignatureAlgorithm.Ed25519);

    // One per test, so a bot started again finds what the first one kept.
    private readonly string _keyPrefix = "e2e" + Guid.NewGuid().ToString("N")[..8];
    private RedisServer _redis = null!;
    private FakeDiscordApi _api = null!;
    private FakeGateway _gateway = null!;
    private WebApplication? _bot;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _api = await FakeDiscordApi.StartAsync(Token, ApplicationId);
        _gateway = await FakeGateway.StartAsync(Token, TimeSpan.FromMilliseconds(500));
        _api.GatewayUrl = _gateway.Url.ToString();
    }

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.StopAsync();
            await _bot.DisposeAsync();
        }

        await _gateway.DisposeAsync();
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
        _signingKey.Dispose();
        _logs.Dispose();
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task A_whole_interview_runs_over_the_gateway_through_a_dropped_connection_and_a_rate_limit()
    {
        await StartBotAsync(httpInteractions: false);
        Assert.Contains(_api.CommandRegistrations, r => r.GuildId == Guild);

        var start = DiscordEvents.Start("system-design", questions: 1);
        _api.RegisterInteraction(start.Id, start.Token, Channel);
        await _gateway.DispatchAsync("INTERACTION_CREATE", start.Body);
        var thread = await ThreadOpenedForAsync(start.Token);

        Assert.Equal(12, thread.Type);
        Assert.Contains(_api.ThreadMembers, m => m.ThreadId == thread.Id && m.UserId == Candidate);
        await Poll.UntilAsync(() => Posted(thread.Id, "Question 1 of 1"), "the first question");
        Assert.Equal(5, Assert.Single(_api.Callbacks, c => c.InteractionId == start.Id).Body["type"]!.GetValue<int>());

        // Someone else writing in the thread is not answering.
        await _gateway.DispatchAsync("MESSAGE_CREATE", DiscordEvents.Message(thread.Id, Bystander, "I think the answer is obviously a bigger model."));
        _api.RateLimitNext(1, 0.3, when: FakeDiscordApi.RouteIs("POST /channels/{channel}/messages"));
        await _gateway.DispatchAsync("MESSAGE_CREATE", DiscordEvents.Message(thread.Id, Candidate, DesignAnswer));
        await Poll.UntilAsync(() => Posted(thread.Id, "Feedback on question 1"), "feedback on the first answer");
        await Poll.UntilAsync(() => Posted(thread.Id, "Follow-up 1 on question 1"), "the follow-up");

        // The connection drops; the answer written meanwhile is replayed on resume, not lost.
        await _gateway.DropAsync();
        await _gateway.DispatchAsync("MESSAGE_CREATE", DiscordEvents.Message(thread.Id, Candidate, FollowUpAnswer));
        await Poll.UntilAsync(() => Posted(thread.Id, "Scorecard"), "the scorecard", TimeSpan.FromSeconds(20));

        Assert.Single(_gateway.Identifies);
        Assert.NotEmpty(_gateway.Resumes);
        AssertEachPostedOnce(thread.Id);
        // Each answer is marked taken with a reaction on it, once: after the answer is saved, so the judging worker may
        // post the scorecard first.
        await Poll.UntilAsync(() => _api.Reactions.Count(r => r.ChannelId == thread.Id && r.Emoji == "✅") == 2, "a reaction on each answer");
        Assert.Contains(_api.RequestLog, r => r.Status == 429);
        AssertNothingLeakedOrMalformed();
    }

    [Fact]
    public async Task An_answer_written_while_redis_is_down_is_marked_and_its_author_asked_to_send_it_again()
    {
        await StartBotAsync(httpInteractions: false);
        var start = DiscordEvents.Start("system-design", questions: 1);
        _api.RegisterInteraction(start.Id, start.Token, Channel);
        await _gateway.DispatchAsync("INTERACTION_CREATE", start.Body);
        var thread = await ThreadOpenedForAsync(start.Token);
        await Poll.UntilAsync(() => Posted(thread.Id, "Question 1 of 1"), "the first question");

        await _redis.StopAsync();
        var failed = _api.WriteMessage(thread.Id, Candidate, DesignAnswer);
        await _gateway.DispatchAsync("MESSAGE_CREATE", failed);
        await Poll.UntilAsync(() => Posted(thread.Id, "couldn't save this answer"), "the candidate to be told", TimeSpan.FromSeconds(30));

        Assert.Contains(_api.Reactions, r => r.MessageId == (string)failed["id"]! && r.Emoji == "⚠️");
        Assert.DoesNotContain(_api.Reactions, r => r.ChannelId == thread.Id && r.Emoji == "✅");

        // Redis is back and a new gateway session reads the thread again: the answer its author was asked to send
        // again is passed over, or the one sent again would land on the next question.
        await _redis.RestartAsync();
        var redis = _bot!.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>();
        await Poll.UntilAsync(() => redis.IsConnected, "the bot to reconnect to Redis", TimeSpan.FromSeconds(20));
        await _gateway.InvalidateSessionAsync(resumable: false);
        await _gateway.WaitForSessionsAsync(2, TimeSpan.FromSeconds(10));
        var threads = _bot.Services.GetRequiredService<IInterviewThreads>();
        await Poll.UntilAsync(
            () => threads.ListMarksAsync(default).GetAwaiter().GetResult().Any(m => m.LastRead == (string)failed["id"]! || InterviewThreadMark.IsLater(m.LastRead, (string)failed["id"]!)),
            "the catch-up to read past the answer it was asked to send again",
            TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(_api.Reactions, r => r.MessageId == (string)failed["id"]! && r.Emoji == "✅");

        await _gateway.DispatchAsync("MESSAGE_CREATE", _api.WriteMessage(thread.Id, Candidate, DesignAnswer));
        await Poll.UntilAsync(() => Posted(thread.Id, "Feedback on question 1"), "feedback on the answer sent again", TimeSpan.FromSeconds(20));
        Assert.Equal(1, Count(thread.Id, "Feedback on question 1"));
        Assert.Equal(1, Count(thread.Id, "couldn't save this answer"));
        AssertNothingLeakedOrMalformed();
    }

    [Fact]
    public async Task An_answer_written_while_the_bot_was_down_is_judged_once_after_it_starts_again()
    {
        await StartBotAsync(httpInteractions: false);
        var thread = await StartInterviewAsync();
        await StopBotAsync();

        var answer = _api.WriteMessage(thread.Id, Candidate, DesignAnswer);
        await StartBotAsync(httpInteractions: false, sessions: 2);
        await Poll.UntilAsync(() => Posted(thread.Id, "Follow-up 1 on question 1"), "the follow-up after the answer written while down", TimeSpan.FromSeconds(20));
        await _gateway.DispatchAsync("MESSAGE_CREATE", DiscordEvents.Message(thread.Id, Candidate, FollowUpAnswer));
        await Poll.UntilAsync(() => Posted(thread.Id, "Scorecard"), "the scorecard", TimeSpan.FromSeconds(20));

        Assert.Equal(2, _gateway.Identifies.Count);
        Assert.Single(_api.Reactions, r => r.MessageId == (string)answer["id"]!);
        Assert.False(Posted(thread.Id, "still being judged"));
        AssertEachPostedOnce(thread.Id);
        AssertNothingLeakedOrMalformed();
    }

    [Fact]
    public async Task An_answer_caught_up_on_after_a_new_session_and_also_delivered_by_the_gateway_is_taken_once()
    {
        await StartBotAsync(httpInteractions: false);
        var thread = await StartInterviewAsync();

        // A session that cannot be resumed: nothing written meanwhile is replayed, so only reading the thread finds it.
        await _gateway.InvalidateSessionAsync(resumable: false);
        var answer = _api.WriteMessage(thread.Id, Candidate, DesignAnswer);
        await _gateway.WaitForSessionsAsync(2, TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => _api.Reactions.Any(r => r.MessageId == (string)answer["id"]!), "the answer caught up on");
        await _gateway.DispatchAsync("MESSAGE_CREATE", answer);
        await Poll.UntilAsync(() => Posted(thread.Id, "Follow-up 1 on question 1"), "the follow-up", TimeSpan.FromSeconds(20));
        // Messages of one thread are handled in order, so the scorecard means the repeated answer was handled before.
        await _gateway.DispatchAsync("MESSAGE_CREATE", DiscordEvents.Message(thread.Id, Candidate, FollowUpAnswer));
        await Poll.UntilAsync(() => Posted(thread.Id, "Scorecard"), "the scorecard", TimeSpan.FromSeconds(20));

        Assert.Single(_api.Reactions, r => r.MessageId == (string)answer["id"]!);
        Assert.False(Posted(thread.Id, "still being judged"));
        AssertEachPostedOnce(thread.Id);
        AssertNothingLeakedOrMalformed();
    }

    [Fact]
    public async Task A_whole_interview_runs_with_interactions_over_http_and_buttons()
    {
        await StartBotAsync(httpInteractions: true);
        using var http = new HttpClient { BaseAddress = BotUrl() };

        var ping = await PostSignedAsync(http, """{"id":"1","application_id":"1100000000000000002","type":1,"token":"p","version":1}""");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(1, JsonNode.Parse(await ping.Content.ReadAsStringAsync())!["type"]!.GetValue<int>());

        var start = DiscordEvents.Start("system-design", questions: 1);
        _api.RegisterInteraction(start.Id, start.Token, Channel, answeredInline: true);
        var deferred = await PostSignedAsync(http, start.Body.ToJsonString());
        Assert.Equal(5, JsonNode.Parse(await deferred.Content.ReadAsStringAsync())!["type"]!.GetValue<int>());
        var thread = await ThreadOpenedForAsync(start.Token);
        await Poll.UntilAsync(() => Posted(thread.Id, "Question 1 of 1"), "the first question");

        // The Hint button on the question, clicked by the candidate.
        var hint = DiscordEvents.Component(thread.Id, Candidate, "mb:hint:1:");
        _api.RegisterInteraction(hint.Id, hint.Token, thread.Id, answeredInline: true);
        await PostSignedAsync(http, hint.Body.ToJsonString());
        await Poll.UntilAsync(() => Posted(thread.Id, "Hint 1/"), "the hint");

        // A long answer through the form: the button opens a modal, the submission is the answer.
        var open = DiscordEvents.Component(thread.Id, Candidate, "mb:answer:1:");
        var modal = JsonNode.Parse(await (await PostSignedAsync(http, open.Body.ToJsonString())).Content.ReadAsStringAsync())!;
        Assert.Equal(9, modal["type"]!.GetValue<int>());
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, modal.ToJsonString()));
        var submit = DiscordEvents.FormAnswer(thread.Id, Candidate, DesignAnswer);
        _api.RegisterInteraction(submit.Id, submit.Token, thread.Id, answeredInline: true);
        await PostSignedAsync(http, submit.Body.ToJsonString());
        await Poll.UntilAsync(() => Posted(thread.Id, "Your answer"), "the form answer shown in the thread");
        await Poll.UntilAsync(() => Posted(thread.Id, "Follow-up 1 on question 1"), "the follow-up");

        await _gateway.DispatchAsync("MESSAGE_CREATE", DiscordEvents.Message(thread.Id, Candidate, FollowUpAnswer));
        await Poll.UntilAsync(() => Posted(thread.Id, "Scorecard"), "the scorecard", TimeSpan.FromSeconds(20));

        AssertEachPostedOnce(thread.Id);
        AssertNothingLeakedOrMalformed();
    }

    [Fact]
    public async Task A_start_with_the_job_option_opens_a_form_whose_description_starts_the_interview_and_an_empty_one_is_refused()
    {
        await StartBotAsync(httpInteractions: false);
        var start = DiscordEvents.StartWithJob("theory", questions: 2);
        _api.RegisterInteraction(start.Id, start.Token, Channel);
        await _gateway.DispatchAsync("INTERACTION_CREATE", start.Body);
        await Poll.UntilAsync(() => _api.Callbacks.Any(c => c.Token == start.Token), "the job description form");
        var form = _api.Callbacks.Single(c => c.Token == start.Token).Body;
        Assert.Equal(9, form["type"]!.GetValue<int>());
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, form.ToJsonString()));
        var modalId = form["data"]!["custom_id"]!.GetValue<string>();

        var empty = DiscordEvents.JobForm(Candidate, modalId, "   ");
        _api.RegisterInteraction(empty.Id, empty.Token, Channel);
        await _gateway.DispatchAsync("INTERACTION_CREATE", empty.Body);
        await Poll.UntilAsync(
            () => _api.OriginalEdits.Any(e => e.Token == empty.Token && (e.Body["content"]?.GetValue<string>() ?? string.Empty).Contains("job description is empty", StringComparison.Ordinal)),
            "the refusal of an empty description");
        Assert.Empty(_api.Threads);

        var sent = DiscordEvents.JobForm(Candidate, modalId, "- Build retrieval-augmented generation for our support assistant\n- Own the evaluation of LLM features <@1100000000000000009> cares about");
        _api.RegisterInteraction(sent.Id, sent.Token, Channel);
        await _gateway.DispatchAsync("INTERACTION_CREATE", sent.Body);
        var thread = await ThreadOpenedForAsync(sent.Token);
        await Poll.UntilAsync(() => Posted(thread.Id, "Question 1 of 2"), "the first question");

        AssertNothingLeakedOrMalformed();
    }

    [Fact]
    public async Task Requests_with_a_bad_or_stale_signature_are_refused_before_they_are_read()
    {
        await StartBotAsync(httpInteractions: true);
        using var http = new HttpClient { BaseAddress = BotUrl() };
        var start = DiscordEvents.Start("theory", questions: 1);
        _api.RegisterInteraction(start.Id, start.Token, Channel, answeredInline: true);
        var body = start.Body.ToJsonString();

        var forged = await PostSignedAsync(http, body, tamper: true);
        var stale = await PostSignedAsync(http, body, timestamp: TimeProvider.System.GetUtcNow().AddMinutes(-10));
        using var unsigned = new StringContent(body, Encoding.UTF8, "application/json");
        var missing = await http.PostAsync(new Uri("discord/interactions", UriKind.Relative), unsigned);
        await _bot!.Services.GetRequiredService<AcknowledgedWork>().DrainAsync();
        var threadsAfterRefusals = _api.Threads.Count;
        var accepted = await PostSignedAsync(http, body);
        await ThreadOpenedForAsync(start.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(0, threadsAfterRefusals);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData(401, 0)]
    [InlineData(400, 40001)]
    [InlineData(400, 50014)]
    public async Task A_rejected_token_stops_start_up_with_one_clear_line_that_does_not_contain_it(int status, int code)
    {
        _api.TokenRefusal = (status, code, "401: Unauthorized");
        var bot = await BotHost.BuildAsync(BotPlatform.Discord, Settings(httpInteractions: false, token: "not-the-token-" + Token), builder => builder.Logging.AddProvider(_logs));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => bot.StartAsync());
        await bot.DisposeAsync();

        Assert.Contains("Discord rejected Discord:BotToken", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-token", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, l => l.Contains("not-the-token", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, l => l.Contains("Hosting failed to start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_command_registration_stops_the_bot_with_one_line_naming_the_route_status_and_code()
    {
        const string Route = "PUT /applications/{application}/guilds/{guild}/commands";
        _api.FailNext(1, 403, FakeDiscordApi.RouteIs(Route), code: 50001, message: "Missing Access");
        using var error = new StringWriter();

        var exitCode = await BotHost.RunAsync(BotPlatform.Discord, error, Settings(httpInteractions: false, Token), default).WaitAsync(TimeSpan.FromSeconds(20), TimeProvider.System);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.Contains("Discord refused to register the /mock commands in guild " + Guild, line, StringComparison.Ordinal);
        Assert.Contains($"{Route} answered HTTP 403, Discord code 50001", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, line, StringComparison.Ordinal);
        Assert.Empty(_gateway.Identifies);
    }

    [Fact]
    public async Task A_refused_privileged_intent_stops_the_bot_with_one_line_saying_where_to_enable_it()
    {
        using var error = new StringWriter();
        var run = BotHost.RunAsync(BotPlatform.Discord, error, Settings(httpInteractions: false, Token), default);
        await _gateway.WaitForSessionsAsync(1, TimeSpan.FromSeconds(10));

        await _gateway.CloseAsync(4014, "Disallowed intent(s).");
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(15), TimeProvider.System);

        Assert.Equal(1, exitCode);
        Assert.Contains("4014", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Message Content", error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Single(_gateway.Identifies);
    }

    private async Task StartBotAsync(bool httpInteractions, int sessions = 1)
    {
        _bot = await BotHost.BuildAsync(BotPlatform.Discord, Settings(httpInteractions, Token), builder => builder.Logging.AddProvider(_logs));
        await _bot.StartAsync();
        await _gateway.WaitForSessionsAsync(sessions, TimeSpan.FromSeconds(10));
    }

    private async Task StopBotAsync()
    {
        await _bot!.StopAsync();
        await _bot.DisposeAsync();
        _bot = null;
    }

    /// <summary>Starts a one-question design interview over the gateway and returns its thread once the question is posted.</summary>
    private async Task<CreatedThread> StartInterviewAsync()
    {
        var start = DiscordEvents.Start("system-design", questions: 1);
        _api.RegisterInteraction(start.Id, start.Token, Channel);
        await _gateway.DispatchAsync("INTERACTION_CREATE", start.Body);
        var thread = await ThreadOpenedForAsync(start.Token);
        await Poll.UntilAsync(() => Posted(thread.Id, "Question 1 of 1"), "the first question");
        return thread;
    }

    private Dictionary<string, string?> Settings(bool httpInteractions, string token) => new()
    {
        ["Urls"] = "http://127.0.0.1:0",
        ["Discord:BotToken"] = token,
        ["Discord:ApplicationId"] = ApplicationId,
        ["Discord:ApiBaseUrl"] = _api.ApiBaseUrl.ToString(),
        ["Discord:DevelopmentGuildIds:0"] = Guild,
        ["Discord:InteractionsEndpoint"] = httpInteractions ? "true" : "false",
        ["Discord:PublicKey"] = Convert.ToHexString(_signingKey.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
        ["Redis:Configuration"] = _redis.Endpoint,
        ["Redis:KeyPrefix"] = _keyPrefix,
        ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        ["Judging:Sweep"] = "00:00:00.050",
        ["Logging:LogLevel:Default"] = "Debug",
    };

    private Uri BotUrl() =>
        new(_bot!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

    private async Task<HttpResponseMessage> PostSignedAsync(HttpClient http, string body, bool tamper = false, DateTimeOffset? timestamp = null)
    {
        var stamp = (timestamp ?? TimeProvider.System.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = SignatureAlgorithm.Ed25519.Sign(_signingKey, Encoding.UTF8.GetBytes(stamp + body));
        var sent = tamper ? body.Replace("theory", "thEory", StringComparison.Ordinal) : body;
        using var request = new HttpRequestMessage(HttpMethod.Post, "discord/interactions") { Content = new StringContent(sent, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Signature-Ed25519", Convert.ToHexString(signature).ToLowerInvariant());
        request.Headers.Add("X-Signature-Timestamp", stamp);
        return await http.SendAsync(request);
    }

    private async Task<CreatedThread> ThreadOpenedForAsync(string interactionToken)
    {
        await Poll.UntilAsync(
            () => _api.OriginalEdits.Any(e => e.Token == interactionToken && (e.Body["content"]?.GetValue<string>() ?? string.Empty).Contains("ready in", StringComparison.Ordinal)),
            "the deferred reply to point at the thread");
        return Assert.Single(_api.Threads);
    }

    private bool Posted(string channel, string text) => Count(channel, text) > 0;

    private int Count(string channel, string text) =>
        _api.Messages(channel).Count(m => (m.Body["content"]?.GetValue<string>() ?? string.Empty).Contains(text, StringComparison.Ordinal));

    private void AssertEachPostedOnce(string thread)
    {
        var contents = _api.Messages(thread).Select(m => m.Body["content"]!.GetValue<string>()).ToList();
        Assert.Equal(contents.Count, contents.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(1, Count(thread, "Feedback on question 1"));
        Assert.Equal(1, Count(thread, "Scorecard"));
    }

    private void AssertNothingLeakedOrMalformed()
    {
        Assert.Empty(_api.Violations);
        Assert.Empty(_gateway.Violations);
        Assert.All(_api.AllMessages, m => Assert.Equal("[]", m.Body["allowed_mentions"]!["parse"]!.ToJsonString()));
        Assert.All(_api.AllMessages, m => Assert.True(m.Body["enforce_nonce"]!.GetValue<bool>()));
        Assert.DoesNotContain(_logs.Entries, l => l.Contains(Token, StringComparison.Ordinal) || l.Contains("interaction-token-", StringComparison.Ordinal));
    }
}
