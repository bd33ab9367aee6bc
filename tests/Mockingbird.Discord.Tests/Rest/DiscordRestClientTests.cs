using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Wire;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.Rest;

public sealed class DiscordRestClientTests : IAsyncLifetime, IDisposable
{
    private const string BotToken = "bot-token.secret-part.DO-NOT-LOG";
    private const string ApplicationId = "900000000000000001";
    private const string Channel = "1200000000000000001";
    private const string MessagesRoute = "POST /channels/{channel}/messages";

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    private static readonly MessageCreate Hello = new("Hello", AllowedMentions: AllowedMentions.None);

    private readonly RecordingLoggerProvider _logs = new();
    private readonly TimerWatchingClock _clock = new();
    private FakeDiscordApi _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeDiscordApi.StartAsync(BotToken, ApplicationId, _clock);

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Requests_carry_the_bot_token_and_user_agent_but_interaction_callbacks_carry_no_token()
    {
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();
        var me = await rest.GetCurrentUserAsync(CancellationToken.None);
        _fake.RegisterInteraction("1300000000000000001", "interaction-token-abc");
        await rest.RespondToInteractionAsync("1300000000000000001", "interaction-token-abc", new InteractionCallback(InteractionCallbackTypes.DeferredChannelMessageWithSource), CancellationToken.None);

        Assert.Equal(_fake.BotUserId, me.Id);
        var log = _fake.RequestLog;
        var getMe = Assert.Single(log, r => r.Route == "GET /users/@me");
        Assert.Equal("Bot " + BotToken, getMe.Authorization);
        Assert.All(log, r => Assert.StartsWith("DiscordBot (https://", r.UserAgent, StringComparison.Ordinal));
        var callback = Assert.Single(log, r => r.Route == "POST /interactions/{id}/{token}/callback");
        Assert.Null(callback.Authorization);
        Assert.Equal(204, callback.Status);
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_429_is_waited_out_for_retry_after_then_the_call_succeeds()
    {
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();
        _fake.RateLimitNext(1, 0.5, when: FakeDiscordApi.RouteIs(MessagesRoute));

        var posting = rest.CreateMessageAsync(Channel, Hello, CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(0.5));
        Assert.Equal([429], _fake.RequestLog.Select(r => r.Status));
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        var message = await posting;

        var attempts = _fake.RequestLog.Where(r => r.Route == MessagesRoute).ToList();
        Assert.Equal([429, 200], attempts.Select(a => a.Status));
        Assert.Equal(TimeSpan.FromSeconds(0.5), attempts[1].ArrivedAt - attempts[0].ArrivedAt);
        Assert.Equal(message.Id, Assert.Single(_fake.Messages(Channel)).Id);
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_global_429_pauses_other_routes_but_not_interaction_callbacks()
    {
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();
        _fake.RegisterInteraction("1300000000000000002", "interaction-token-def");
        _fake.RateLimitNext(1, 1.0, global: true, when: FakeDiscordApi.RouteIs(MessagesRoute));

        var posting = rest.CreateMessageAsync(Channel, Hello, CancellationToken.None);

        // The retry's wait is set once the client has learnt the global pause.
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        await rest.RespondToInteractionAsync("1300000000000000002", "interaction-token-def", new InteractionCallback(InteractionCallbackTypes.DeferredChannelMessageWithSource), CancellationToken.None);
        var gettingMe = rest.GetCurrentUserAsync(CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(_fake.RequestLog, r => r.Route == "GET /users/@me");
        _clock.Advance(TimeSpan.FromSeconds(1));
        await gettingMe;
        await posting;

        var log = _fake.RequestLog;
        var limited = Assert.Single(log, r => r.Status == 429);
        var callback = Assert.Single(log, r => r.Route == "POST /interactions/{id}/{token}/callback");
        var retried = Assert.Single(log, r => r.Route == MessagesRoute && r.Status == 200);
        var getMe = Assert.Single(log, r => r.Route == "GET /users/@me");
        Assert.Equal(limited.ArrivedAt, callback.ArrivedAt);
        Assert.Equal(TimeSpan.FromSeconds(1), retried.ArrivedAt - limited.ArrivedAt);
        Assert.Equal(TimeSpan.FromSeconds(1), getMe.ArrivedAt - limited.ArrivedAt);
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_bucket_with_no_requests_remaining_makes_the_next_call_wait_for_reset_after()
    {
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();
        _fake.SetRouteLimit(MessagesRoute, 1, 0.6);

        await rest.CreateMessageAsync(Channel, Hello, CancellationToken.None);
        var again = rest.CreateMessageAsync(Channel, Hello with { Content = "Again" }, CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(0.6));
        Assert.Single(_fake.RequestLog);
        _clock.Advance(TimeSpan.FromSeconds(0.6));
        await again;

        var attempts = _fake.RequestLog.Where(r => r.Route == MessagesRoute).ToList();
        Assert.Equal([200, 200], attempts.Select(a => a.Status));
        Assert.Equal(TimeSpan.FromSeconds(0.6), attempts[1].ArrivedAt - attempts[0].ArrivedAt);
        Assert.Equal(2, _fake.Messages(Channel).Count);
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_server_error_is_retried()
    {
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();
        _fake.FailNext(1, 500, FakeDiscordApi.RouteIs("GET /gateway/bot"));

        var getting = rest.GetGatewayBotAsync(CancellationToken.None);
        var backoff = await BackoffAsync();
        Assert.Single(_fake.RequestLog);
        _clock.Advance(backoff);
        var gateway = await getting;

        Assert.Equal(_fake.GatewayUrl, gateway.Url);
        Assert.Equal(999, gateway.SessionStartLimit.Remaining);
        Assert.Equal([500, 200], _fake.RequestLog.Select(r => r.Status));
        Assert.Equal(backoff, _fake.RequestLog[1].ArrivedAt - _fake.RequestLog[0].ArrivedAt);
    }

    [Fact]
    public async Task A_server_error_on_a_call_that_could_make_a_second_thread_is_not_repeated_but_a_429_is()
    {
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();
        _fake.FailNext(1, 500, FakeDiscordApi.RouteIs("POST /channels/{channel}/threads"));

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => rest.StartThreadAsync(Channel, new ThreadCreate("Mock interview"), CancellationToken.None));
        _fake.RateLimitNext(1, 0.2, when: FakeDiscordApi.RouteIs("POST /channels/{channel}/threads"));
        var starting = rest.StartThreadAsync(Channel, new ThreadCreate("Mock interview"), CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(0.2));
        _clock.Advance(TimeSpan.FromSeconds(0.2));
        var thread = await starting;

        Assert.Equal(500, error.Status);
        Assert.Equal([500, 429, 200], _fake.RequestLog.Select(r => r.Status));
        Assert.Single(_fake.Threads, t => t.Id == thread.Id);
    }

    [Fact]
    public async Task A_429_longer_than_the_longest_accepted_wait_is_thrown_not_slept()
    {
        await using var services = Services(rest => rest.MaxRateLimitWait = TimeSpan.FromSeconds(5));
        var rest = services.GetRequiredService<IDiscordRest>();
        _fake.RateLimitNext(1, 3600, when: FakeDiscordApi.RouteIs(MessagesRoute));

        var error = await Assert.ThrowsAsync<DiscordApiException>(
            () => TimerWatchingClock.WithoutAdvancingAsync(rest.CreateMessageAsync(Channel, Hello, CancellationToken.None), "a call rate-limited for an hour"));

        Assert.Equal(429, error.Status);
        Assert.Equal(MessagesRoute, error.Route);
        Assert.Single(_fake.RequestLog);

        // The bucket is known to be closed for an hour: the next call is refused at once rather than sent or slept.
        var next = await Assert.ThrowsAsync<DiscordApiException>(
            () => TimerWatchingClock.WithoutAdvancingAsync(rest.CreateMessageAsync(Channel, Hello, CancellationToken.None), "a call to a bucket closed for an hour"));
        Assert.Equal(429, next.Status);
        Assert.Single(_fake.RequestLog);
    }

    [Fact]
    public async Task A_rejected_token_throws_401_and_the_token_is_in_no_message_or_log()
    {
        const string WrongToken = "wrong-token.very-secret";
        await using var services = Services(token: WrongToken);
        var rest = services.GetRequiredService<IDiscordRest>();

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => rest.GetCurrentUserAsync(CancellationToken.None));

        Assert.Equal(401, error.Status);
        Assert.Equal("GET /users/@me", error.Route);
        Assert.DoesNotContain(WrongToken, error.ToString(), StringComparison.Ordinal);
        Assert.Contains(_logs.Entries, e => e.Contains("GET /users/@me", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Contains(WrongToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Interaction_tokens_appear_in_no_exception_message_or_log()
    {
        const string Token = "aW50ZXJhY3Rpb24.secret-interaction-token";
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();
        _fake.RegisterInteraction("1300000000000000003", Token);
        var deferred = new InteractionCallback(InteractionCallbackTypes.DeferredChannelMessageWithSource);
        _fake.RateLimitNext(1, 0.2, when: FakeDiscordApi.RouteIs("POST /interactions/{id}/{token}/callback"));
        _fake.FailNext(1, 502, FakeDiscordApi.RouteIs("PATCH /webhooks/{application}/{token}/messages/@original"));

        var responding = rest.RespondToInteractionAsync("1300000000000000003", Token, deferred, CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(0.2));
        _clock.Advance(TimeSpan.FromSeconds(0.2));
        await responding;
        var editing = rest.EditOriginalResponseAsync(Token, new MessageEdit("Done", AllowedMentions: AllowedMentions.None), CancellationToken.None);
        _clock.Advance(await BackoffAsync());
        await editing;
        var twice = await Assert.ThrowsAsync<DiscordApiException>(() => rest.RespondToInteractionAsync("1300000000000000003", Token, deferred, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateFollowupAsync("not-" + Token, Hello, CancellationToken.None));

        Assert.Equal((400, 40060), (twice.Status, twice.Code));
        Assert.Equal((404, 10015), (unknown.Status, unknown.Code));
        Assert.Equal("POST /webhooks/{application}/{token}", unknown.Route);
        Assert.DoesNotContain(Token, twice.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, unknown.ToString(), StringComparison.Ordinal);
        Assert.Contains(_logs.Entries, e => e.Contains("POST /interactions/{id}/{token}/callback", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Contains("PATCH /webhooks/{application}/{token}/messages/@original", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Contains(Token, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Contains(BotToken, StringComparison.Ordinal));
        Assert.Single(_fake.OriginalEdits);
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_repeated_enforced_nonce_returns_the_first_message_and_posts_once()
    {
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();
        var once = Hello with { Nonce = "turn-7", EnforceNonce = true };

        var first = await rest.CreateMessageAsync(Channel, once, CancellationToken.None);
        var repeat = await rest.CreateMessageAsync(Channel, once, CancellationToken.None);
        var elsewhere = await rest.CreateMessageAsync("1200000000000000002", once, CancellationToken.None);

        Assert.Equal(first.Id, repeat.Id);
        Assert.NotEqual(first.Id, elsewhere.Id);
        Assert.Single(_fake.Messages(Channel));
        Assert.Equal(2, _fake.AllMessages.Count);
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task Every_body_the_client_sends_on_an_interview_flow_passes_the_spec()
    {
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();
        const string Candidate = "1400000000000000001";
        CommandDefinition[] commands =
        [
            new("mock", "Mock interviews", Contexts: [0], Options:
            [
                new(CommandOptionTypes.SubCommand, "start", "Start an interview", Options:
                [
                    new(CommandOptionTypes.Text, "plan", "Which plan", Required: true, Choices: [new("System design", "system-design")]),
                ]),
                new(CommandOptionTypes.SubCommand, "end", "End the interview"),
            ]),
        ];
        Component[] buttons =
        [
            new(ComponentTypes.ActionRow, Components:
            [
                new(ComponentTypes.Button, Style: ButtonStyles.Primary, Label: "Skip", CustomId: "skip:1"),
                new(ComponentTypes.Button, Style: ButtonStyles.Danger, Label: "End", CustomId: "end:1", Emoji: new Emoji("🛑")),
            ]),
        ];
        _fake.RegisterInteraction("1300000000000000004", "flow-token", Channel);

        await rest.BulkOverwriteCommandsAsync(commands, null, CancellationToken.None);
        await rest.BulkOverwriteCommandsAsync(commands, "1000000000000000009", CancellationToken.None);
        await rest.RespondToInteractionAsync("1300000000000000004", "flow-token", new InteractionCallback(InteractionCallbackTypes.DeferredChannelMessageWithSource, new InteractionCallbackData(Flags: MessageFlags.Ephemeral)), CancellationToken.None);
        var thread = await rest.StartThreadAsync(Channel, new ThreadCreate("Interview: system design", 1440, ChannelTypes.PrivateThread, Invitable: false), CancellationToken.None);
        await rest.AddThreadMemberAsync(thread.Id, Candidate, CancellationToken.None);
        var question = await rest.CreateMessageAsync(thread.Id, new MessageCreate(
            "**Question 1**", [new Embed("Design a URL shortener", "Think aloud.", 0x5865F2, [new EmbedField("Time", "10 min", true)], new EmbedFooter("1 of 5"))],
            AllowedMentions.Only(Candidate), buttons, Nonce: "q1", EnforceNonce: true), CancellationToken.None);
        await rest.EditMessageAsync(thread.Id, question.Id, new MessageEdit("**Question 1** (answered)", AllowedMentions: AllowedMentions.None, Components: []), CancellationToken.None);
        await rest.EditOriginalResponseAsync("flow-token", new MessageEdit($"Your interview is in <#{thread.Id}>.", AllowedMentions: AllowedMentions.None), CancellationToken.None);
        var followup = await rest.CreateFollowupAsync("flow-token", new MessageCreate("Good luck!", AllowedMentions: AllowedMentions.None, Flags: MessageFlags.Ephemeral), CancellationToken.None);

        Assert.Empty(_fake.Violations);
        Assert.Equal([null, "1000000000000000009"], _fake.CommandRegistrations.Select(r => r.GuildId));
        Assert.Equal((ChannelTypes.PrivateThread, Channel), (thread.Type, thread.ParentId));
        Assert.Equal(new ThreadMemberAdded(thread.Id, Candidate), Assert.Single(_fake.ThreadMembers));
        Assert.Equal(question.Id, Assert.Single(_fake.Messages(thread.Id)).Id);
        Assert.Equal(question.Id, Assert.Single(_fake.Edits).MessageId);
        Assert.Single(_fake.Callbacks);
        Assert.Single(_fake.OriginalEdits);
        Assert.Equal(followup.Id, Assert.Single(_fake.Followups).MessageId);
        Assert.DoesNotContain(_fake.RequestLog, r => r.Status >= 400);
    }

    [Fact]
    public async Task A_private_thread_refused_for_missing_access_is_reported_with_its_code()
    {
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();
        _fake.PrivateThreadsAllowed = false;

        var error = await Assert.ThrowsAsync<DiscordApiException>(
            () => rest.StartThreadAsync(Channel, new ThreadCreate("Interview"), CancellationToken.None));
        var open = await rest.StartThreadAsync(Channel, new ThreadCreate("Interview", Type: ChannelTypes.PublicThread), CancellationToken.None);

        Assert.Equal((403, 50001), (error.Status, error.Code));
        Assert.Equal(ChannelTypes.PublicThread, open.Type);
        Assert.Equal(ChannelTypes.PublicThread, Assert.Single(_fake.Threads).Type);
    }

    [Fact]
    public async Task Content_over_2000_characters_is_refused_as_an_invalid_form_body_and_recorded()
    {
        await using var services = Services();
        var rest = services.GetRequiredService<IDiscordRest>();

        var error = await Assert.ThrowsAsync<DiscordApiException>(
            () => rest.CreateMessageAsync(Channel, Hello with { Content = new string('a', 2001) }, CancellationToken.None));

        Assert.Equal((400, 50035), (error.Status, error.Code));
        Assert.Contains("2001", Assert.Single(_fake.Violations), StringComparison.Ordinal);
        Assert.Empty(_fake.AllMessages);
    }

    [Fact]
    public async Task The_fake_refuses_unknown_fields_and_messages_without_allowed_mentions()
    {
        using var http = new HttpClient { BaseAddress = _fake.ApiBaseUrl };
        async Task<HttpStatusCode> PostAsync(string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"channels/{Channel}/messages")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Bot " + BotToken);
            request.Headers.TryAddWithoutValidation("User-Agent", "DiscordBot (https://example.org, 1.0)");
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("""{"contnet":"hi","allowed_mentions":{"parse":[]}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("""{"content":"hi"}"""));
        Assert.Equal(HttpStatusCode.OK, await PostAsync("""{"content":"hi","allowed_mentions":{"parse":[]}}"""));
        Assert.Equal(2, _fake.Violations.Count);
    }

    /// <summary>The backoff before a retry after a server error: any timer shorter than an attempt's timeout.</summary>
    private Task<TimeSpan> BackoffAsync() => _clock.WaitForTimerAsync(due => due < AttemptTimeout, "a retry backoff");

    private ServiceProvider Services(Action<DiscordRestOptions>? configure = null, string token = BotToken)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new DiscordOptions { BotToken = token, ApplicationId = ApplicationId, ApiBaseUrl = _fake.ApiBaseUrl }));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        services.AddDiscordRest();
        services.Configure<DiscordRestOptions>(rest =>
        {
            rest.AttemptTimeout = AttemptTimeout;
            configure?.Invoke(rest);
        });
        return services.BuildServiceProvider();
    }
}
