using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.Web;

public sealed class SlackWebApiClientTests : IAsyncLifetime, IDisposable
{
    private const string BotToken = "xoxb-1111-2222-botSECRETdoNotLog";
    private const string AppToken = "xapp-1-A1-3333-appSECRETdoNotLog";
    private const string Channel = "C0INTERVIEW";
    private const string Candidate = "U0CANDIDATE";
    private const string PostMessageMethod = "chat.postMessage";

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    private static readonly PostMessage Hello = new(Channel, "Hello");

    private readonly RecordingLoggerProvider _logs = new();
    private readonly TimerWatchingClock _clock = new();
    private FakeSlackWebApi _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSlackWebApi.StartAsync(BotToken, AppToken, _clock);

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Every_call_carries_the_bot_token_and_only_apps_connections_open_carries_the_app_token()
    {
        await using var services = Services();
        var slack = services.GetRequiredService<ISlackWebApi>();
        _fake.SocketUrl = () => "wss://127.0.0.1:9/link/?ticket=abc";
        _fake.RegisterTrigger("13345224609.738474920.8088930838d88f008e0");

        var me = await slack.AuthTestAsync(CancellationToken.None);
        var socket = await slack.OpenSocketConnectionAsync(CancellationToken.None);
        var posted = await slack.PostMessageAsync(Hello, CancellationToken.None);
        await slack.PostEphemeralAsync(new PostEphemeral(Channel, Candidate, "Only you can see this"), CancellationToken.None);
        await slack.UpdateMessageAsync(new UpdateMessage(Channel, posted.Ts!, "Hello again"), CancellationToken.None);
        await slack.OpenViewAsync(new OpenView("13345224609.738474920.8088930838d88f008e0", Modal()), CancellationToken.None);
        var dm = await slack.OpenDirectMessageAsync(Candidate, CancellationToken.None);

        Assert.Equal((FakeSlackWebApi.BotUserId, FakeSlackWebApi.BotId, FakeSlackWebApi.TeamId), (me.UserId, me.BotId, me.TeamId));
        Assert.Equal(new Uri("wss://127.0.0.1:9/link/?ticket=abc"), socket);
        Assert.Equal("D" + Candidate, dm);
        var log = _fake.RequestLog;
        Assert.Equal(
            ["auth.test", "apps.connections.open", "chat.postMessage", "chat.postEphemeral", "chat.update", "views.open", "conversations.open"],
            log.Select(r => r.Method));
        Assert.All(log, r => Assert.Equal((200, (string?)null), (r.Status, r.Error)));
        Assert.Equal("Bearer " + AppToken, Assert.Single(log, r => r.Method == "apps.connections.open").Authorization);
        Assert.All(log.Where(r => r.Method != "apps.connections.open"), r => Assert.Equal("Bearer " + BotToken, r.Authorization));
        Assert.All(log.Where(r => r.ContentType is not null), r => Assert.Equal("application/json; charset=utf-8", r.ContentType));
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_reply_with_ok_false_throws_with_the_method_and_slacks_error()
    {
        await using var services = Services();
        var slack = services.GetRequiredService<ISlackWebApi>();
        _fake.ChannelsWithoutBot = new HashSet<string> { "C0ELSEWHERE" };

        var notMember = await Assert.ThrowsAsync<SlackApiException>(
            () => slack.PostMessageAsync(Hello with { Channel = "C0ELSEWHERE" }, CancellationToken.None));
        var noMessage = await Assert.ThrowsAsync<SlackApiException>(
            () => slack.UpdateMessageAsync(new UpdateMessage(Channel, "1600000000.000100", "Edited"), CancellationToken.None));

        Assert.Equal((PostMessageMethod, "not_in_channel"), (notMember.Method, notMember.Error));
        Assert.Equal(("chat.update", "message_not_found"), (noMessage.Method, noMessage.Error));
        Assert.Contains("not_in_channel", notMember.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.AllMessages);
        Assert.Equal(2, _fake.RequestLog.Count);
        Assert.Contains(_logs.Entries, e => e.Contains("not_in_channel", StringComparison.Ordinal));
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_429_is_waited_out_for_retry_after_then_the_call_succeeds()
    {
        await using var services = Services();
        var slack = services.GetRequiredService<ISlackWebApi>();

        _fake.RateLimitNext(1, 1, PostMessageMethod);

        var posting = slack.PostMessageAsync(Hello, CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        Assert.Equal([429], _fake.RequestLog.Select(r => r.Status));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var posted = await posting;

        var attempts = _fake.RequestLog.Where(r => r.Method == PostMessageMethod).ToList();
        Assert.Equal([429, 200], attempts.Select(a => a.Status));
        Assert.Equal(TimeSpan.FromSeconds(1), attempts[1].ArrivedAt - attempts[0].ArrivedAt);
        Assert.Equal(posted.Ts, Assert.Single(_fake.Messages(Channel)).Ts);
        Assert.Contains(_logs.Entries, e => e.Contains("rate-limited chat.postMessage", StringComparison.Ordinal));
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_429_pauses_other_calls_of_the_same_method_until_retry_after_is_over()
    {
        await using var services = Services();
        var slack = services.GetRequiredService<ISlackWebApi>();
        _fake.RateLimitNext(1, 1, "chat.postEphemeral");

        var first = slack.PostEphemeralAsync(new PostEphemeral(Channel, Candidate, "one"), CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        var second = slack.PostEphemeralAsync(new PostEphemeral(Channel, Candidate, "two"), CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        Assert.Single(_fake.RequestLog);
        _clock.Advance(TimeSpan.FromSeconds(1));

        // After a 429 the method resumes one slot (0.6 s at 100 a minute) at a time: one of the two waits a slot more.
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(0.6));
        _clock.Advance(TimeSpan.FromSeconds(0.6));
        await Task.WhenAll(first, second);

        // The client has seen the 429 before the second call starts; that call is sent only after the pause, so the
        // fake never has to refuse it.
        Assert.Equal([429, 200, 200], _fake.RequestLog.Select(r => r.Status));
        // The call that took the free slot may reach the fake after the clock moved on again, so only bounds are certain.
        var after = _fake.RequestLog.Skip(1).Select(r => r.ArrivedAt - _fake.RequestLog[0].ArrivedAt).ToList();
        Assert.All(after, wait => Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.6)));
        Assert.Equal(TimeSpan.FromSeconds(1.6), after.Max());
        Assert.Equal(2, _fake.Ephemerals.Count);
    }

    [Fact]
    public async Task Posting_to_one_channel_is_paced_while_another_channel_goes_ahead()
    {
        await using var services = Services(web => web.PostMessageBurst = 1);
        var slack = services.GetRequiredService<ISlackWebApi>();

        await slack.PostMessageAsync(Hello with { Text = "one" }, CancellationToken.None);
        var paced = slack.PostMessageAsync(Hello with { Text = "two" }, CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        await slack.PostMessageAsync(new PostMessage("C0OTHER", "three"), CancellationToken.None);
        Assert.Equal(["one", "three"], _fake.AllMessages.Select(m => m.Text));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await paced;

        Assert.Equal(["one", "three", "two"], _fake.AllMessages.Select(m => m.Text));
        var inChannel = _fake.RequestLog.Where((_, i) => i != 1).ToList();
        Assert.Equal(TimeSpan.FromSeconds(1), inChannel[1].ArrivedAt - inChannel[0].ArrivedAt);
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task A_server_error_is_retried()
    {
        await using var services = Services();
        var slack = services.GetRequiredService<ISlackWebApi>();
        _fake.FailNext(1, 503, "auth.test");

        var asking = slack.AuthTestAsync(CancellationToken.None);
        var backoff = await BackoffAsync();
        Assert.Single(_fake.RequestLog);
        _clock.Advance(backoff);
        var me = await asking;
        Assert.Equal(backoff, _fake.RequestLog[1].ArrivedAt - _fake.RequestLog[0].ArrivedAt);

        Assert.Equal(FakeSlackWebApi.BotUserId, me.UserId);
        Assert.Equal([503, 200], _fake.RequestLog.Select(r => r.Status));
    }

    [Fact]
    public async Task A_server_error_on_a_post_that_may_have_gone_through_is_not_repeated_but_a_429_is()
    {
        await using var services = Services();
        var slack = services.GetRequiredService<ISlackWebApi>();
        _fake.FailNext(1, 500, "chat.postMessage");

        var error = await Assert.ThrowsAsync<SlackApiException>(() => slack.PostMessageAsync(Hello, CancellationToken.None));
        _fake.RateLimitNext(1, 1, "chat.postMessage");
        var posting = slack.PostMessageAsync(Hello, CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await posting;

        Assert.Equal("http_500", error.Error);
        Assert.Equal([500, 429, 200], _fake.RequestLog.Select(r => r.Status));
    }

    [Fact]
    public async Task Server_errors_beyond_the_retries_throw_with_the_http_status()
    {
        await using var services = Services(web => web.MaxRetries = 2);
        var slack = services.GetRequiredService<ISlackWebApi>();
        _fake.FailNext(5, 502);

        var asking = slack.AuthTestAsync(CancellationToken.None);
        _clock.Advance(await BackoffAsync());
        _clock.Advance(await BackoffAsync());
        var error = await Assert.ThrowsAsync<SlackApiException>(() => asking);

        Assert.Equal(("auth.test", "http_502"), (error.Method, error.Error));
        Assert.Equal([502, 502, 502], _fake.RequestLog.Select(r => r.Status));
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_longest_accepted_wait_is_thrown_not_slept()
    {
        await using var services = Services(web => web.MaxRateLimitWait = TimeSpan.FromSeconds(5));
        var slack = services.GetRequiredService<ISlackWebApi>();
        _fake.RateLimitNext(1, 3600, PostMessageMethod);

        var error = await Assert.ThrowsAsync<SlackApiException>(
            () => TimerWatchingClock.WithoutAdvancingAsync(slack.PostMessageAsync(Hello, CancellationToken.None), "a call rate-limited for an hour"));

        Assert.Equal((PostMessageMethod, "ratelimited"), (error.Method, error.Error));
        Assert.Single(_fake.RequestLog);

        // The method is known to be paused for an hour: the next call is refused at once rather than sent or slept.
        var next = await Assert.ThrowsAsync<SlackApiException>(
            () => TimerWatchingClock.WithoutAdvancingAsync(slack.PostMessageAsync(Hello, CancellationToken.None), "a call to a method paused for an hour"));
        Assert.Equal("ratelimited", next.Error);
        Assert.Single(_fake.RequestLog);
    }

    [Fact]
    public async Task A_rejected_token_throws_invalid_auth_and_the_token_is_in_no_message_or_log()
    {
        const string WrongToken = "xoxb-9999-8888-wrongSECRET";
        await using var services = Services(botToken: WrongToken);
        var slack = services.GetRequiredService<ISlackWebApi>();

        var error = await Assert.ThrowsAsync<SlackApiException>(() => slack.AuthTestAsync(CancellationToken.None));

        Assert.Equal(("auth.test", "invalid_auth"), (error.Method, error.Error));
        Assert.DoesNotContain(WrongToken, error.ToString(), StringComparison.Ordinal);
        Assert.Contains(_logs.Entries, e => e.Contains("auth.test", StringComparison.Ordinal) && e.Contains("invalid_auth", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Contains(WrongToken, StringComparison.Ordinal) || e.Contains("wrongSECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bot_token_in_place_of_the_app_token_is_refused_for_apps_connections_open()
    {
        await using var services = Services(appToken: BotToken);
        var slack = services.GetRequiredService<ISlackWebApi>();

        var error = await Assert.ThrowsAsync<SlackApiException>(() => slack.OpenSocketConnectionAsync(CancellationToken.None));

        Assert.Equal(("apps.connections.open", "not_allowed_token_type"), (error.Method, error.Error));
        Assert.DoesNotContain(BotToken, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_appear_in_no_log_through_rate_limits_retries_warnings_and_refusals()
    {
        await using var services = Services();
        var slack = services.GetRequiredService<ISlackWebApi>();
        _fake.RateLimitNext(1, 1, "apps.connections.open");
        _fake.FailNext(1, 500, "auth.test");
        _fake.WarnNext("message_truncated", PostMessageMethod);

        var opening = slack.OpenSocketConnectionAsync(CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await opening;
        var asking = slack.AuthTestAsync(CancellationToken.None);
        _clock.Advance(await BackoffAsync());
        await asking;
        await slack.PostMessageAsync(Hello, CancellationToken.None);
        await Assert.ThrowsAsync<SlackApiException>(() => slack.OpenViewAsync(new OpenView("never-registered", Modal()), CancellationToken.None));

        var entries = _logs.Entries;
        Assert.Contains(entries, e => e.Contains("apps.connections.open", StringComparison.Ordinal) && e.Contains("429", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("auth.test", StringComparison.Ordinal) && e.Contains("500", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("chat.postMessage", StringComparison.Ordinal) && e.Contains("message_truncated", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("views.open", StringComparison.Ordinal) && e.Contains("expired_trigger_id", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("SECRET", StringComparison.Ordinal) || e.Contains("xoxb-", StringComparison.Ordinal) || e.Contains("xapp-", StringComparison.Ordinal));
        Assert.Empty(_fake.Violations);
    }

    [Fact]
    public async Task Every_body_the_client_sends_on_an_interview_flow_passes_the_fakes_spec_checks()
    {
        await using var services = Services();
        var slack = services.GetRequiredService<ISlackWebApi>();
        Block[] question =
        [
            new("header", TextObject.Plain("Question 1 of 5")),
            new("section", TextObject.Markdown("*Design a URL shortener.* Think aloud."), BlockId: "q1"),
            new("section", Fields: [TextObject.Markdown("*Time*\n10 min"), TextObject.Markdown("*Topic*\nSystem design")]),
            new("divider"),
            new("actions", BlockId: "q1-actions", Elements:
            [
                new BlockElement("button", TextObject.Plain("Answer"), "answer:1", "q1", "primary"),
                new BlockElement("button", TextObject.Plain("Skip"), "skip:1", "q1"),
                new BlockElement("button", TextObject.Plain("End interview"), "end", "q1", "danger"),
            ]),
        ];
        _fake.RegisterTrigger("trigger-1");

        var top = await slack.PostMessageAsync(new PostMessage(Channel, "Question 1: design a URL shortener", question, UnfurlLinks: false, UnfurlMedia: false), CancellationToken.None);
        var reply = await slack.PostMessageAsync(new PostMessage(Channel, "Take your time.", ThreadTs: top.Ts), CancellationToken.None);
        await slack.PostMessageAsync(new PostMessage(Channel, "Timer: 5 minutes left.", ThreadTs: top.Ts), CancellationToken.None);
        await slack.UpdateMessageAsync(new UpdateMessage(Channel, top.Ts!, "Question 1 (answered)", [question[0], question[1]]), CancellationToken.None);
        await slack.PostEphemeralAsync(new PostEphemeral(Channel, Candidate, "Your answer was saved.", top.Ts, [new Block("section", TextObject.Plain("Saved."))]), CancellationToken.None);
        await slack.OpenViewAsync(new OpenView("trigger-1", Modal()), CancellationToken.None);
        var dm = await slack.OpenDirectMessageAsync(Candidate, CancellationToken.None);
        await slack.PostMessageAsync(new PostMessage(dm, "Your interview summary is ready."), CancellationToken.None);

        Assert.Empty(_fake.Violations);
        Assert.DoesNotContain(_fake.RequestLog, r => r.Status != 200 || r.Error is not null);
        Assert.Equal(["Take your time.", "Timer: 5 minutes left."], _fake.Thread(Channel, top.Ts!).Select(m => m.Text));
        Assert.Equal(reply.Ts, _fake.Thread(Channel, top.Ts!)[0].Ts);
        Assert.Equal(5, _fake.Messages(Channel)[0].Blocks!.Count);
        Assert.Equal(top.Ts, Assert.Single(_fake.Updates).Ts);
        Assert.Equal(Candidate, Assert.Single(_fake.Ephemerals).User);
        Assert.Equal("answer-modal", (string?)Assert.Single(_fake.Views).View["callback_id"]);
        Assert.Single(_fake.Messages("D" + Candidate));
    }

    [Fact]
    public async Task A_button_label_over_75_characters_is_caught_by_the_fake_as_invalid_blocks()
    {
        await using var services = Services();
        var slack = services.GetRequiredService<ISlackWebApi>();
        Block[] blocks = [new("actions", Elements: [new BlockElement("button", TextObject.Plain(new string('x', 76)), "too-long")])];

        var error = await Assert.ThrowsAsync<SlackApiException>(
            () => slack.PostMessageAsync(Hello with { Blocks = blocks }, CancellationToken.None));

        Assert.Equal((PostMessageMethod, "invalid_blocks"), (error.Method, error.Error));
        Assert.Contains("76 characters, more than 75", Assert.Single(_fake.Violations), StringComparison.Ordinal);
        Assert.Empty(_fake.AllMessages);
    }

    [Fact]
    public async Task A_message_without_a_channel_is_caught_by_the_fake_as_invalid_arguments()
    {
        await using var services = Services();
        var slack = services.GetRequiredService<ISlackWebApi>();

        var error = await Assert.ThrowsAsync<SlackApiException>(
            () => slack.PostMessageAsync(Hello with { Channel = string.Empty }, CancellationToken.None));

        Assert.Equal("invalid_arguments", error.Error);
        Assert.Contains("'channel' is required", Assert.Single(_fake.Violations), StringComparison.Ordinal);
    }

    internal static View Modal() => new(
        "modal",
        TextObject.Plain("Your answer"),
        [
            new Block("section", TextObject.Markdown("*Design a URL shortener.*")),
            new Block("input", BlockId: "answer", Label: TextObject.Plain("Answer"), Element: new BlockElement(
                "plain_text_input", ActionId: "text", Multiline: true, MaxLength: 3000, Placeholder: TextObject.Plain("Think aloud…"))),
        ],
        CallbackId: "answer-modal",
        Submit: TextObject.Plain("Submit"),
        Close: TextObject.Plain("Cancel"),
        PrivateMetadata: "session-42");

    /// <summary>The backoff before a retry after a server error: any timer shorter than an attempt's timeout.</summary>
    private Task<TimeSpan> BackoffAsync() => _clock.WaitForTimerAsync(due => due < AttemptTimeout, "a retry backoff");

    private ServiceProvider Services(Action<SlackWebApiOptions>? configure = null, string botToken = BotToken, string appToken = AppToken)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new SlackOptions { BotToken = botToken, AppToken = appToken, ApiBaseUrl = _fake.ApiBaseUrl }));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSlackWebApi();
        services.Configure<SlackWebApiOptions>(web =>
        {
            web.AttemptTimeout = AttemptTimeout;
            configure?.Invoke(web);
        });
        return services.BuildServiceProvider();
    }
}
