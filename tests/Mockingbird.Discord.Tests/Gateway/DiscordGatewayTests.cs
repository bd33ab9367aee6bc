using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Discord.Gateway;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Platforms.Sockets;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Discord.Tests.Gateway;

public sealed class DiscordGatewayTests : IDisposable
{
    private const string Token = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.test-token.do-not-log-me";

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(10), TimeProvider.System);

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task Identify_carries_the_intents_the_bot_needs_and_the_configured_shard()
    {
        await using var harness = await GatewayHarness.StartAsync(shardId: 1, shardCount: 3);

        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        var identify = Assert.Single(harness.Fake.Identifies);
        Assert.True(identify.TokenMatched);
        Assert.Equal(33281, identify.Intents);
        Assert.Equal([1, 3], identify.Shard);
        Assert.Equal("mockingbird", identify.Browser);
        Assert.Equal("mockingbird", identify.Device);
        Assert.False(string.IsNullOrEmpty(identify.Os));
        Assert.Equal(FakeGateway.UserId, harness.Gateway.CurrentUserId);
        Assert.Equal(FakeGateway.ApplicationId, harness.Gateway.ApplicationId);
        harness.AssertClean();
    }

    [Fact]
    public async Task The_handshake_names_the_bot_with_the_same_user_agent_as_its_rest_calls()
    {
        await using var harness = await GatewayHarness.StartAsync();

        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        Assert.Equal(DiscordUserAgent.Value, Assert.Single(harness.Fake.UserAgents));
        Assert.StartsWith("DiscordBot (https://", DiscordUserAgent.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_carries_the_last_sequence_number()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        long last = 0;
        for (int i = 0; i < 3; i++)
        {
            last = await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(i));
        }

        await harness.Handler.WaitForCountAsync(3);
        int before = harness.Fake.Heartbeats.Count;
        for (int beat = 0; beat < 3; beat++)
        {
            await harness.NextHeartbeatAsync();
        }

        Assert.Equal(before + 3, harness.Fake.Heartbeats.Count);
        Assert.All(harness.Fake.Heartbeats.Skip(before), heartbeat => Assert.Equal(last, heartbeat.Sequence));
        Assert.Equal(1, harness.Fake.ConnectionCount);
        harness.AssertClean();
    }

    [Fact]
    public async Task Dropped_socket_is_resumed_and_events_sent_while_away_arrive_once_in_order()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(1));
        await harness.Fake.DispatchAsync("INTERACTION_CREATE", Interaction(2));
        await harness.Handler.WaitForCountAsync(2);
        long seenBeforeDrop = harness.Fake.LastSequence;

        await harness.Fake.DropAsync();
        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(3));
        await harness.Fake.DispatchAsync("INTERACTION_CREATE", Interaction(4));
        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(5));

        await harness.Fake.WaitForSessionsAsync(2);
        await harness.Handler.WaitForCountAsync(5);
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        var resume = Assert.Single(harness.Fake.Resumes);
        Assert.True(resume.Accepted);
        Assert.True(resume.TokenMatched);
        Assert.Equal(harness.Fake.SessionId, resume.SessionId);
        Assert.Equal(seenBeforeDrop, resume.Sequence);
        Assert.Single(harness.Fake.Identifies);
        // Messages keep their order; interactions never wait behind them (their first response is due in 3 s).
        Assert.Equal(["1", "2", "3", "4", "5"], harness.Handler.Ids.Order(StringComparer.Ordinal));
        Assert.Equal(["1", "3", "5"], harness.Handler.Ids.Where(id => id is "1" or "3" or "5"));
        Assert.Equal(2, harness.Gateway.SessionsEstablished);
        harness.AssertClean();
    }

    [Fact]
    public async Task The_handler_hears_of_each_ready_and_resumed_so_the_bot_can_catch_up()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        await harness.Fake.DropAsync();
        await harness.Fake.WaitForSessionsAsync(2);

        await Poll.UntilAsync(() => harness.Handler.SessionStarts.Count == 2, "the handler to hear of both session starts");
        Assert.Equal(["READY", "RESUMED"], harness.Handler.SessionStarts);
        harness.AssertClean();
    }

    [Fact]
    public async Task Reconnect_request_is_answered_with_a_resume_not_an_identify()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());
        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(1));
        await harness.Handler.WaitForCountAsync(1);

        await harness.Fake.SendReconnectAsync();
        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(2));
        await harness.Fake.WaitForSessionsAsync(2);
        await harness.Handler.WaitForCountAsync(2);

        var resume = Assert.Single(harness.Fake.Resumes);
        Assert.True(resume.Accepted);
        Assert.Equal(2, harness.Fake.ConnectionCount);
        Assert.Single(harness.Fake.Identifies);
        Assert.Equal(["1", "2"], harness.Handler.Ids);
        // The client closed the old socket itself, with a code that keeps the session (not 1000 or 1001).
        var closeCode = harness.Fake.ConnectionEnds.First(end => end.Connection == 1).ClientCloseCode;
        Assert.True(closeCode is null or (not 1000 and not 1001), $"closed with {closeCode}");
        harness.AssertClean();
    }

    [Fact]
    public async Task Resumable_invalid_session_is_resumed()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        await harness.Fake.InvalidateSessionAsync(resumable: true);
        await harness.Fake.WaitForSessionsAsync(2);

        Assert.True(Assert.Single(harness.Fake.Resumes).Accepted);
        Assert.Single(harness.Fake.Identifies);
        harness.AssertClean();
    }

    [Fact]
    public async Task Invalid_session_that_cannot_resume_leads_to_a_new_identify_after_asking_again_how_many_session_starts_are_left()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());
        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(1));
        await harness.Handler.WaitForCountAsync(1);
        string? firstSession = harness.Fake.SessionId;

        await harness.Fake.InvalidateSessionAsync(resumable: false);
        await harness.Fake.WaitForSessionsAsync(2);
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());
        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(2));
        await harness.Handler.WaitForCountAsync(2);
        // Heartbeats on the new session must carry its sequence numbers, not the old session's.
        await harness.NextHeartbeatAsync();
        await harness.NextHeartbeatAsync();

        Assert.Equal(2, harness.Fake.Identifies.Count);
        Assert.Empty(harness.Fake.Resumes);
        Assert.NotEqual(firstSession, harness.Fake.SessionId);
        harness.Rest.Verify(rest => rest.GetGatewayBotAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
        harness.AssertClean();
    }

    [Fact]
    public async Task An_interaction_of_a_new_session_does_not_wait_behind_one_of_the_old_session_with_the_same_sequence_number()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());
        // The old interaction's handler is still at work (its completion after the first response can take a while).
        harness.Handler.Block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            long oldSequence = await harness.Fake.DispatchAsync("INTERACTION_CREATE", Interaction(1));
            await harness.Handler.WaitForCountAsync(1);

            await harness.Fake.InvalidateSessionAsync(resumable: false);
            await harness.Fake.WaitForSessionsAsync(2);
            await harness.Gateway.WaitUntilConnectedAsync(Timeout());
            long newSequence = await harness.Fake.DispatchAsync("INTERACTION_CREATE", Interaction(2));
            Assert.Equal(oldSequence, newSequence);

            // Discord wants its first response within 3 s: it must reach the handler now, not after the old one ends.
            await harness.Handler.WaitForCountAsync(2);
        }
        finally
        {
            harness.Handler.Block.TrySetResult();
        }
    }

    [Fact]
    public async Task A_resume_host_that_accepts_the_socket_and_never_says_hello_is_given_up_for_a_new_session_after_a_few_tries()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        harness.Fake.SayHello = false;
        await harness.Fake.DropAsync();
        // Six resume attempts, each given up after the hello timeout.
        await Poll.UntilAsync(() => harness.Fake.ConnectionCount >= 7, "six resume attempts", between: () => harness.Time.Advance(TimeSpan.FromSeconds(1)));

        Assert.Contains(harness.Logger.Entries, entry => entry.Message.Contains(nameof(IOException), StringComparison.Ordinal));
        // ResumeAttemptsBeforeIdentify is 3: a new session (asking for the gateway URL again) should have been tried.
        harness.Rest.Verify(rest => rest.GetGatewayBotAsync(It.IsAny<CancellationToken>()), Times.AtLeast(2));
    }

    [Fact]
    public async Task An_interaction_reaches_the_handler_while_every_slot_for_messages_is_held_by_slow_work()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());
        // Each handler call holds its slot for all of its work (an interaction's completion, a message's LLM turn).
        harness.Handler.Block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            for (int channel = 0; channel < DiscordGateway.MaxConcurrentHandlers; channel++)
            {
                var message = Message(channel);
                message["channel_id"] = (1000 + channel).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await harness.Fake.DispatchAsync("MESSAGE_CREATE", message);
            }

            await harness.Handler.WaitForCountAsync(DiscordGateway.MaxConcurrentHandlers);
            await harness.Fake.DispatchAsync("INTERACTION_CREATE", Interaction(999));

            // "An interaction never waits behind anything: Discord wants its first response within 3 seconds."
            await harness.Handler.WaitForCountAsync(DiscordGateway.MaxConcurrentHandlers + 1);
        }
        finally
        {
            harness.Handler.Block.TrySetResult();
        }
    }

    [Theory]
    [InlineData("""{"op":10,"d":{"heartbeat_interval":"41250"},"s":null,"t":null}""")]
    [InlineData("""{"op":"10","d":{"heartbeat_interval":41250},"s":null,"t":null}""")]
    [InlineData("""{"op":10.5,"d":{"heartbeat_interval":41250},"s":null,"t":null}""")]
    [InlineData("""{"op":10,"d":{"heartbeat_interval":41250},"s":1.5,"t":null}""")]
    [InlineData("""{"op":10,"d":{"heartbeat_interval":1e300},"s":null,"t":null}""")]
    [InlineData("""{"op":10,"d":{"heartbeat_interval":5000000000},"s":null,"t":null}""")]
    public async Task A_hello_in_no_shape_discord_sends_costs_that_connection_only_and_the_next_one_is_established(string hello)
    {
        await using var harness = await GatewayHarness.StartAsync(configure: fake => fake.HelloInstead = hello);

        await Poll.UntilAsync(() => harness.Fake.SessionsEstablished >= 1, "a session on a later socket", between: () => harness.Time.Advance(TimeSpan.FromMilliseconds(50)));

        Assert.False(harness.Gateway.Stopped.IsCompleted, "the gateway stopped for good over one bad frame");
        Assert.DoesNotContain(harness.Logger.Entries, entry => entry.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Stopping_while_the_gateway_waits_for_hello_closes_the_socket_with_1000()
    {
        await using var harness = await GatewayHarness.StartAsync(configure: fake => fake.SayHello = false);

        // One timer of the hello timeout for the upgrade, then one for the hello the client now waits for.
        await harness.Time.WaitForTimerAsync(new ReconnectingSocketOptions().HelloTimeout);
        await harness.Time.WaitForTimerAsync(new ReconnectingSocketOptions().HelloTimeout);

        // The close handshake's timeout runs on the same clock: it stands still until the fake has seen the socket end,
        // or looks that come faster than a loaded machine reads the close frame would time the handshake out first.
        var stopping = harness.Gateway.StopAsync(CancellationToken.None);
        await Poll.UntilAsync(() => stopping.IsCompleted, "the gateway to stop", between: () =>
        {
            if (harness.Fake.ConnectionEnds.Count == harness.Fake.ConnectionCount)
            {
                harness.Time.Advance(TimeSpan.FromMilliseconds(100));
            }
        });
        await stopping;

        await Poll.UntilAsync(() => harness.Fake.ConnectionEnds.Count == 1, "the fake to see the socket end");
        Assert.Equal(1000, Assert.Single(harness.Fake.ConnectionEnds).ClientCloseCode);
        Assert.False((await harness.Gateway.Stopped).IsFatal);
        Assert.DoesNotContain(harness.Logger.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData(4007)]
    [InlineData(4009)]
    public async Task Close_codes_that_end_the_session_lead_to_a_new_identify(int code)
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        await harness.Fake.CloseAsync(code, "session over");
        await harness.Fake.WaitForSessionsAsync(2);

        Assert.Equal(2, harness.Fake.Identifies.Count);
        Assert.Empty(harness.Fake.Resumes);
        harness.AssertClean();
    }

    [Fact]
    public async Task Resumable_close_code_is_followed_by_a_resume()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        await harness.Fake.CloseAsync(4000, "unknown error");
        await harness.Fake.WaitForSessionsAsync(2);

        Assert.True(Assert.Single(harness.Fake.Resumes).Accepted);
        Assert.Single(harness.Fake.Identifies);
        harness.AssertClean();
    }

    [Fact]
    public async Task Missing_heartbeat_ack_is_treated_as_a_zombie_and_the_session_is_resumed()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());
        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(1));
        await harness.Handler.WaitForCountAsync(1);

        harness.Fake.AckHeartbeats = false;
        await harness.NextHeartbeatAsync();
        Assert.Equal(1, harness.Fake.ConnectionCount);
        // A whole interval with the ACK missing: the connection is dead, and the next beat finds it so.
        await Poll.UntilAsync(
            () => harness.Fake.ConnectionCount >= 2,
            "a reconnect after the missing ACK",
            between: () => harness.Time.Advance(harness.Fake.HeartbeatInterval / 8));
        harness.Fake.AckHeartbeats = true;
        await harness.Fake.WaitForSessionsAsync(2);

        Assert.NotEmpty(harness.Fake.Resumes);
        Assert.All(harness.Fake.Resumes, resume => Assert.True(resume.Accepted));
        Assert.Single(harness.Fake.Identifies);
        var firstEnd = harness.Fake.ConnectionEnds.First(end => end.Connection == 1);
        Assert.True(firstEnd.ClientCloseCode is null or (not 1000 and not 1001), $"closed with {firstEnd.ClientCloseCode}");
        Assert.Contains(harness.Logger.Entries, entry => entry.Message.Contains("heartbeat ACK", StringComparison.Ordinal));
        harness.AssertClean();
    }

    [Theory]
    [InlineData(4004)]
    [InlineData(4010)]
    [InlineData(4011)]
    [InlineData(4012)]
    [InlineData(4013)]
    [InlineData(4014)]
    public async Task Fatal_close_code_stops_the_gateway_with_one_error_naming_it(int code)
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        await harness.Fake.CloseAsync(code, "fatal");
        var stopped = await harness.Gateway.Stopped.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);

        Assert.Equal(code, stopped.CloseCode);
        Assert.True(stopped.IsFatal);
        Assert.Equal(1, harness.Fake.ConnectionCount);
        await harness.Gateway.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);
        var error = Assert.Single(harness.Logger.Entries, entry => entry.Level >= LogLevel.Error);
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Gateway.WaitUntilConnectedAsync(Timeout()));
        harness.AssertClean();
    }

    [Fact]
    public async Task Refused_message_content_intent_says_where_to_enable_it()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        await harness.Fake.CloseAsync(4014, "Disallowed intent(s).");
        await harness.Gateway.Stopped.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);

        var error = Assert.Single(harness.Logger.Entries, entry => entry.Level >= LogLevel.Error);
        Assert.Contains("Message Content Intent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_token_stops_the_gateway_without_reconnecting()
    {
        await using var harness = await GatewayHarness.StartAsync(token: "not-the-token");

        var stopped = await harness.Gateway.Stopped.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);

        Assert.Equal(4004, stopped.CloseCode);
        Assert.Equal(1, harness.Fake.ConnectionCount);
        Assert.False(Assert.Single(harness.Fake.Identifies).TokenMatched);
        Assert.Contains("token", Assert.Single(harness.Logger.Entries, entry => entry.Level >= LogLevel.Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throwing_handler_does_not_stop_later_dispatches()
    {
        await using var harness = await GatewayHarness.StartAsync();
        harness.Handler.ThrowFor.Add("1");
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(1, "secret answer text"));
        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(2));
        await harness.Handler.WaitForCountAsync(2);

        Assert.Equal(["1", "2"], harness.Handler.Ids);
        Assert.Equal(1, harness.Fake.ConnectionCount);
        var failure = Assert.Single(harness.Logger.Entries, entry => entry.Level >= LogLevel.Error);
        Assert.Contains(nameof(InvalidOperationException), failure.Message, StringComparison.Ordinal);
        Assert.Null(failure.Exception);
        Assert.DoesNotContain(harness.Logger.Entries, entry => entry.Message.Contains("secret answer text", StringComparison.Ordinal));
        harness.AssertClean();
    }

    [Fact]
    public async Task Slow_handler_does_not_hold_up_heartbeats()
    {
        await using var harness = await GatewayHarness.StartAsync();
        harness.Handler.Block = new TaskCompletionSource();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());

        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(1));
        await harness.Handler.WaitForCountAsync(1);
        // Three intervals with the handler stuck: a blocked receive loop would miss ACKs and reconnect.
        for (int beat = 0; beat < 3; beat++)
        {
            await harness.NextHeartbeatAsync();
        }

        harness.Handler.Block.SetResult();

        Assert.Equal(1, harness.Fake.ConnectionCount);
        harness.AssertClean();
    }

    [Fact]
    public async Task Stopping_the_host_closes_with_1000_after_running_handlers_finish()
    {
        await using var harness = await GatewayHarness.StartAsync();
        harness.Handler.Block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());
        await harness.Fake.DispatchAsync("MESSAGE_CREATE", Message(1));
        await harness.Handler.WaitForCountAsync(1);

        var stopping = harness.Gateway.StopAsync(Timeout());
        await Poll.UntilAsync(() => harness.Fake.ConnectionEnds.Count == 1, "the client to close its socket");
        Assert.False(harness.Gateway.Stopped.IsCompleted);
        harness.Handler.Block.SetResult();
        await stopping;

        Assert.Equal(1000, Assert.Single(harness.Fake.ConnectionEnds).ClientCloseCode);
        var stopped = await harness.Gateway.Stopped.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);
        Assert.False(stopped.IsFatal);
        Assert.Equal(1, harness.Fake.ConnectionCount);
        Assert.Empty(harness.Logger.Entries.Where(entry => entry.Level >= LogLevel.Warning).Select(entry => entry.Message));
        harness.AssertClean();
    }

    [Fact]
    public async Task Token_never_appears_in_any_log_message()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.Gateway.WaitUntilConnectedAsync(Timeout());
        await harness.Fake.DropAsync();
        await harness.Fake.WaitForSessionsAsync(2);
        await harness.Fake.InvalidateSessionAsync(resumable: false);
        await harness.Fake.WaitForSessionsAsync(3);
        await harness.Fake.CloseAsync(4004, "Authentication failed.");
        await harness.Gateway.Stopped.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);

        Assert.True(harness.Logger.Entries.Count > 5);
        Assert.DoesNotContain(harness.Logger.Entries, entry =>
            entry.Message.Contains(Token, StringComparison.Ordinal)
            || (entry.Exception?.ToString().Contains(Token, StringComparison.Ordinal) ?? false));
    }

    [Theory]
    [InlineData("wss://gateway.discord.gg", "wss://gateway.discord.gg/?v=10&encoding=json")]
    [InlineData("wss://gateway.discord.gg/", "wss://gateway.discord.gg/?v=10&encoding=json")]
    [InlineData("wss://gateway-us-east1-b.discord.gg", "wss://gateway-us-east1-b.discord.gg/?v=10&encoding=json")]
    [InlineData("wss://gateway.discord.gg/?v=9&encoding=etf&compress=zlib-stream", "wss://gateway.discord.gg/?v=10&encoding=json")]
    [InlineData("ws://127.0.0.1:5000/?region=x", "ws://127.0.0.1:5000/?region=x&v=10&encoding=json")]
    public void Connect_url_asks_for_v10_json_whatever_the_url_looked_like(string url, string expected)
    {
        Assert.Equal(expected, GatewayPayloads.ConnectUri(url).AbsoluteUri);
    }

    [Fact]
    public async Task Sends_beyond_120_a_minute_wait_until_the_window_moves()
    {
        var time = new FakeTimeProvider();
        var limit = new GatewaySendLimit(time);
        for (int i = 0; i < 120; i++)
        {
            await limit.WaitAsync(CancellationToken.None);
        }

        var next = limit.WaitAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);
    }

    [Fact]
    public async Task Frames_over_4096_bytes_are_refused_before_they_reach_the_socket()
    {
        using var connection = new GatewayConnection(new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.SendAsync(new byte[4097], CancellationToken.None));

        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
    }

    private CancellationToken Timeout() => _timeout.Token;

    private static JsonObject Message(int id, string content = "an answer") => new()
    {
        ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["channel_id"] = "900",
        ["content"] = content,
        ["author"] = new JsonObject { ["id"] = "42", ["username"] = "candidate" },
    };

    private static JsonObject Interaction(int id) => new()
    {
        ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["application_id"] = FakeGateway.ApplicationId,
        ["type"] = InteractionTypes.MessageComponent,
        ["token"] = "interaction-token",
        ["channel_id"] = "900",
        ["data"] = new JsonObject { ["custom_id"] = "next", ["component_type"] = 2 },
    };

    /// <summary>A fake gateway, a gateway client pointed at it with short timings, and the recorders around them.</summary>
    private sealed class GatewayHarness : IAsyncDisposable
    {
        private GatewayHarness(FakeGateway fake, DiscordGateway gateway, Mock<IDiscordRest> rest, RecordingHandler handler, RecordingLogger<DiscordGateway> logger, TimerWatchingClock time)
        {
            Time = time;
            Fake = fake;
            Gateway = gateway;
            Rest = rest;
            Handler = handler;
            Logger = logger;
        }

        /// <summary>The client's clock: heartbeats, backoff and timeouts move only when a test moves it.</summary>
        public TimerWatchingClock Time { get; }

        public FakeGateway Fake { get; }

        public DiscordGateway Gateway { get; }

        public Mock<IDiscordRest> Rest { get; }

        public RecordingHandler Handler { get; }

        public RecordingLogger<DiscordGateway> Logger { get; }

        // Discord's usual interval, on the fake clock: far longer than any backoff the waits step through.
        public static async Task<GatewayHarness> StartAsync(
            int shardId = 0, int shardCount = 1, int heartbeatMs = 41_250, string token = Token, Action<FakeGateway>? configure = null)
        {
            var time = new TimerWatchingClock();
            var fake = await FakeGateway.StartAsync(Token, TimeSpan.FromMilliseconds(heartbeatMs));
            configure?.Invoke(fake);
            fake.Tick = () => time.Advance(TimeSpan.FromMilliseconds(50));
            var rest = new Mock<IDiscordRest>(MockBehavior.Strict);
            rest.Setup(r => r.GetGatewayBotAsync(It.IsAny<CancellationToken>()))
                .ReturnsAsync(new GatewayBotInfo(fake.Url.ToString(), 1, new SessionStartLimit(1000, 999, 0, 1)));
            var options = Options.Create(new DiscordOptions { BotToken = token, ApplicationId = FakeGateway.ApplicationId, ShardId = shardId, ShardCount = shardCount });
            var handler = new RecordingHandler();
            var logger = new RecordingLogger<DiscordGateway>();
            var socketOptions = new ReconnectingSocketOptions
            {
                ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
                // Every test releases its blocked handlers; a short drain would only add a chance to time out.
                HandlerDrainTimeout = TimeSpan.FromSeconds(10),
            };
            var gateway = new DiscordGateway(rest.Object, options, handler, time, logger, socketOptions: socketOptions)
            {
                ReidentifyMinDelay = TimeSpan.FromMilliseconds(20),
                ReidentifyMaxDelay = TimeSpan.FromMilliseconds(60),
            };
            await gateway.StartAsync(CancellationToken.None);
            return new GatewayHarness(fake, gateway, rest, handler, logger, time);
        }

        /// <summary>
        /// Moves the clock one heartbeat interval on, once the last beat's ACK has reached the client, and waits for the
        /// beat that interval brings.
        /// </summary>
        public async Task NextHeartbeatAsync()
        {
            if (Fake.AckHeartbeats)
            {
                await Poll.UntilAsync(() => !Gateway.AwaitingHeartbeatAck, "the last heartbeat's ACK to reach the client");
            }

            int before = Fake.Heartbeats.Count;
            Time.Advance(Fake.HeartbeatInterval);
            await Fake.WaitForHeartbeatsAsync(before + 1);
        }

        /// <summary>The fake saw only well-formed frames, and no log line holds the token.</summary>
        public void AssertClean()
        {
            Assert.Empty(Fake.Violations);
            Assert.DoesNotContain(Logger.Entries, entry => entry.Message.Contains(Token, StringComparison.Ordinal));
        }

        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5), TimeProvider.System);
            await Gateway.StopAsync(stop.Token);
            Gateway.Dispose();
            await Fake.DisposeAsync();
        }
    }

    /// <summary>Records the dispatches it is given; can throw for chosen message ids or block until released.</summary>
    private sealed class RecordingHandler : IGatewayDispatchHandler
    {
        private readonly Lock _gate = new();
        private readonly List<GatewayDispatch> _dispatches = [];
        private readonly List<string> _sessionStarts = [];

        public HashSet<string> ThrowFor { get; } = [];

        public TaskCompletionSource? Block { get; set; }

        public IReadOnlyList<string> Ids
        {
            get
            {
                lock (_gate)
                {
                    return [.. _dispatches.Select(d => d.Data.GetProperty("id").GetString()!)];
                }
            }
        }

        public IReadOnlyList<long> Sequences
        {
            get
            {
                lock (_gate)
                {
                    return [.. _dispatches.Select(d => d.Sequence)];
                }
            }
        }

        /// <summary>READY and RESUMED as the handler heard of them, in order.</summary>
        public IReadOnlyList<string> SessionStarts
        {
            get
            {
                lock (_gate)
                {
                    return [.. _sessionStarts];
                }
            }
        }

        public async Task HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (dispatch.Type is "READY" or "RESUMED")
                {
                    _sessionStarts.Add(dispatch.Type);
                    return;
                }

                _dispatches.Add(dispatch);
            }

            if (ThrowFor.Contains(dispatch.Data.GetProperty("id").GetString()!))
            {
                throw new InvalidOperationException("handler failed on " + dispatch.Data.GetProperty("content").GetString());
            }

            if (Block is { } block)
            {
                await block.Task.WaitAsync(cancellationToken);
            }
        }

        public Task WaitForCountAsync(int count) =>
            Poll.UntilAsync(() => Ids.Count >= count, $"{count} dispatches at the handler (have {Ids.Count})");
    }
}
