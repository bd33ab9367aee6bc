using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Platforms.Sockets;
using Mockingbird.Slack.SocketMode;
using Mockingbird.Slack.Web;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Slack.Tests.SocketMode;

public sealed class SlackSocketModeTests
{
    private const string AppToken = "xapp-1-A0FAKEAPP01-1234567890-do-not-log-me";
    private const string BotToken = "xoxb-1234-5678-also-do-not-log-me";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Opens_the_configured_number_of_connections_each_counted_after_its_hello(int connections)
    {
        await using var harness = await SocketHarness.StartAsync(connections);

        await harness.Fake.WaitForLiveConnectionsAsync(connections);
        await Poll.UntilAsync(() => harness.Mode.OpenConnections == connections, $"{connections} open connections at the client");

        Assert.True(harness.Mode.IsConnected);
        Assert.Equal(connections, harness.Fake.ConnectionsOpened);
        Assert.Equal(connections, harness.Mode.ConnectionsOpened);
        harness.Web.Verify(web => web.OpenSocketConnectionAsync(It.IsAny<CancellationToken>()), Times.Exactly(connections));
        for (int i = 0; i < connections; i++)
        {
            Assert.True(harness.Fake.IndexOf("hello", i) > harness.Fake.IndexOf("opened", i));
        }

        harness.AssertClean();
    }

    [Fact]
    public async Task Every_envelope_is_acknowledged_by_id_on_its_socket_before_the_slow_handler_finishes()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 2);
        harness.Handler.WorkTime = TimeSpan.FromSeconds(5);
        await harness.Fake.WaitForLiveConnectionsAsync(2);

        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            ids.Add(await harness.Fake.SendEnvelopeAsync("events_api", Event(i)));
            ids.Add(await harness.Fake.SendEnvelopeAsync("slash_commands", Slash("start"), connection: i % 2));
            ids.Add(await harness.Fake.SendEnvelopeAsync("interactive", ButtonClick("next"), connection: (i + 1) % 2));
        }

        await harness.Fake.WaitForAcksAsync(ids.Count);
        await harness.Handler.WaitForStartedAsync(ids.Count);

        Assert.Equal(0, harness.Handler.Finished);
        var acks = harness.Fake.Acks;
        Assert.Equal(ids.Order(StringComparer.Ordinal), acks.Select(ack => ack.EnvelopeId).Order(StringComparer.Ordinal));
        var deliveries = harness.Fake.Deliveries;
        Assert.All(acks, ack =>
        {
            Assert.True(ack.SinceSent < FakeSlackSocket.AckDeadline, $"acked after {ack.SinceSent}");
            Assert.Equal(deliveries.Single(delivery => delivery.EnvelopeId == ack.EnvelopeId).Connection, ack.Connection);
            Assert.Null(ack.PayloadJson);
        });
        Assert.Equal(ids.Order(StringComparer.Ordinal), harness.Handler.EnvelopeIds.Order(StringComparer.Ordinal));
        harness.AssertClean();
    }

    [Fact]
    public async Task Response_payload_goes_with_the_ack_only_when_the_envelope_accepts_one()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        harness.Handler.Acknowledgement = envelope => envelope.Type == "slash_commands"
            ? JsonDocument.Parse("""{"text":"Starting a mock interview in a thread"}""").RootElement
            : null;
        await harness.Fake.WaitForLiveConnectionsAsync(1);

        string accepting = await harness.Fake.SendEnvelopeAsync("slash_commands", Slash("start"), acceptsResponsePayload: true);
        string notAccepting = await harness.Fake.SendEnvelopeAsync("slash_commands", Slash("start"), acceptsResponsePayload: false);
        string eventEnvelope = await harness.Fake.SendEnvelopeAsync("events_api", Event(1), acceptsResponsePayload: false);
        await harness.Fake.WaitForAcksAsync(3);
        await harness.Handler.WaitForStartedAsync(3);

        var acks = harness.Fake.Acks.ToDictionary(ack => ack.EnvelopeId);
        Assert.Equal("""{"text":"Starting a mock interview in a thread"}""", acks[accepting].PayloadJson);
        Assert.Null(acks[notAccepting].PayloadJson);
        Assert.Null(acks[eventEnvelope].PayloadJson);
        harness.AssertClean();
    }

    [Fact]
    public async Task A_socket_being_replaced_stays_open_until_the_envelopes_it_brought_are_acknowledged_on_it()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        await harness.Fake.WaitForLiveConnectionsAsync(1);
        harness.Handler.RecordGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var command = await harness.Fake.SendEnvelopeAsync("slash_commands", Slash("start"));
        var message = await harness.Fake.SendEnvelopeAsync("events_api", Event(1));
        await harness.Handler.WaitForStartedAsync(2);

        await harness.Fake.SendDisconnectAsync("refresh_requested", connection: 0);
        await Poll.UntilAsync(() => harness.Fake.IndexOf("hello", 1) >= 0, "the replacement to say hello");
        Assert.Equal(-1, harness.Fake.IndexOf("closed", 0));

        harness.Handler.RecordGate.SetResult();
        await harness.Fake.WaitForAcksAsync(2);
        await Poll.UntilAsync(() => harness.Fake.IndexOf("closed", 0) >= 0, "the old socket to be closed once its envelopes are acknowledged");

        var acks = harness.Fake.Acks.ToDictionary(ack => ack.EnvelopeId);
        Assert.Equal(0, acks[command].Connection);
        Assert.Equal(0, acks[message].Connection);
        Assert.Equal(-1, harness.Fake.IndexOf("dropped", 0));
    }

    [Fact]
    public async Task A_command_arriving_while_a_replaced_socket_waits_for_earlier_acks_is_acknowledged_before_that_socket_closes()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        await harness.Fake.WaitForLiveConnectionsAsync(1);
        var firstRecorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondRecorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Handler.RecordGateFor = envelope => envelope.Payload.GetProperty("text").GetString() == "first" ? firstRecorded.Task : secondRecorded.Task;
        var first = await harness.Fake.SendEnvelopeAsync("slash_commands", Slash("first"), connection: 0);
        await harness.Handler.WaitForStartedAsync(1);

        // Socket 0 is being replaced and waits for the first command's ack; Slack puts a second command on it meanwhile.
        await harness.Fake.SendDisconnectAsync("refresh_requested", connection: 0);
        await Poll.UntilAsync(() => harness.Fake.IndexOf("hello", 1) >= 0, "the replacement to say hello");
        var second = await harness.Fake.SendEnvelopeAsync("slash_commands", Slash("second"), connection: 0);
        await harness.Handler.WaitForStartedAsync(2);
        firstRecorded.SetResult();
        await harness.Fake.WaitForAcksAsync(1);
        secondRecorded.SetResult();
        await Poll.UntilAsync(() => harness.Fake.IndexOf("closed", 0) >= 0, "socket 0 to close");

        Assert.Equal([(first, 0), (second, 0)], harness.Fake.Acks.Select(ack => (ack.EnvelopeId, ack.Connection)));
        Assert.DoesNotContain(harness.Logger.Entries, entry => entry.Level >= LogLevel.Warning);
        harness.AssertClean();
    }

    [Theory]
    [InlineData("refresh_requested")]
    [InlineData("warning")]
    [InlineData("link_disabled")]
    [InlineData("socket_mode_disabled")]
    public async Task Disconnect_opens_the_replacement_before_closing_the_old_socket_and_loses_no_envelope(string reason)
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        await harness.Fake.WaitForLiveConnectionsAsync(1);
        // The replacement's hello waits on the clock (inside the client's 3 s hello timeout), so envelopes sent until
        // the test moves it can only travel on the old socket.
        harness.Fake.HelloDelay = TimeSpan.FromMilliseconds(1500);

        await harness.Fake.SendDisconnectAsync(reason, connection: 0);
        await harness.Time.WaitForTimerAsync(harness.Fake.HelloDelay);
        var during = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            during.Add(await harness.Fake.SendEnvelopeAsync("events_api", Event(i)));
        }

        // Acknowledged on the old socket while the replacement still holds its hello.
        await harness.Fake.WaitForAcksAsync(4);
        Assert.Equal(-1, harness.Fake.IndexOf("hello", 1));
        harness.Time.Advance(harness.Fake.HelloDelay);
        await Poll.UntilAsync(() => harness.Fake.IndexOf("closed", 0) >= 0, "the client to close the old socket");
        var after = new List<string>
        {
            await harness.Fake.SendEnvelopeAsync("events_api", Event(10)),
            await harness.Fake.SendEnvelopeAsync("slash_commands", Slash("start")),
        };
        await harness.Fake.WaitForAcksAsync(6);
        await harness.Handler.WaitForStartedAsync(6);

        Assert.True(harness.Fake.IndexOf("hello", 1) >= 0, "the replacement said hello");
        Assert.True(harness.Fake.IndexOf("hello", 1) < harness.Fake.IndexOf("closed", 0), string.Join(", ", harness.Fake.Events));
        Assert.Equal(-1, harness.Fake.IndexOf("dropped", 0));
        var acks = harness.Fake.Acks.ToDictionary(ack => ack.EnvelopeId);
        Assert.All(during, id => Assert.Equal(0, acks[id].Connection));
        Assert.All(after, id => Assert.Equal(1, acks[id].Connection));
        Assert.Equal([.. during, .. after], harness.Handler.EnvelopeIds.Order(StringComparer.Ordinal));
        Assert.Equal(1, harness.Fake.LiveConnections);
        Assert.Equal(2, harness.Mode.ConnectionsOpened);
        Assert.Contains(harness.Logger.Entries, entry => entry.Message.Contains(reason, StringComparison.Ordinal));
        harness.AssertClean();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_socket_Slack_refuses_as_one_too_many_is_closed_and_reopened_after_a_pause_that_grows_with_each_refusal_until_a_socket_ends_another_way(bool helloFirst)
    {
        // Another process already holds the rest of the app's sockets; the second slot's socket is one too many.
        await using var harness = await SocketHarness.StartAsync(connections: 2, configure: fake =>
        {
            fake.ConnectionCap = 1;
            fake.RefusalSaysHelloFirst = helloFirst;
        });
        // The clock stands still (no ticking) until the test moves it past each pause.
        await Poll.UntilAsync(() => harness.Mode.IsConnected, "the first slot's socket");
        harness.Time.Advance(await harness.Time.WaitForTimerAsync(due => due == TimeSpan.FromMilliseconds(10), "the second slot's stagger"));

        var baseDelay = harness.SocketOptions.ReconnectBaseDelay;
        var maxDelay = harness.SocketOptions.ReconnectMaxDelay;
        for (int refusal = 1; refusal <= 5; refusal++)
        {
            await Poll.UntilAsync(() => harness.Fake.Refusals == refusal, $"refusal {refusal}");
            var ceiling = TimeSpan.FromTicks(Math.Min(baseDelay.Ticks << (refusal - 1), maxDelay.Ticks));
            var pause = await harness.Time.WaitForTimerAsync(due => due <= maxDelay, $"the pause after refusal {refusal}");

            Assert.InRange(pause, ceiling / 2, ceiling);
            Assert.Equal(1 + refusal, harness.Fake.ConnectionsOpened);
            if (refusal == 5)
            {
                harness.Fake.ConnectionCap = 10; // the other process has stopped
            }

            harness.Time.Advance(pause);
        }

        await harness.Fake.WaitForLiveConnectionsAsync(2);
        Assert.Equal(5, harness.Fake.Refusals);
        var warnings = harness.Logger.Entries.Where(entry => entry.Level == LogLevel.Warning).ToList();
        Assert.Equal(5, warnings.Count);
        Assert.All(warnings, warning => Assert.Contains("too_many_websockets", warning.Message, StringComparison.Ordinal));
        Assert.All(warnings, warning => Assert.Contains($"hold {SlackSocketMode.SlackConnectionCap} at once", warning.Message, StringComparison.Ordinal));
        Assert.All(warnings, warning => Assert.Contains("Slack:SocketConnections", warning.Message, StringComparison.Ordinal));
        // Each refused socket was closed with the close handshake, not dropped.
        Assert.All(Enumerable.Range(1, 5), refused => Assert.True(harness.Fake.IndexOf("closed", refused) >= 0, string.Join(", ", harness.Fake.Events)));

        // The socket it then got is lost at once: its slot starts again from the first pause. Dropped only once the bot
        // has taken its hello: dropped before, it is one more failed attempt, and the pause goes on growing.
        await Poll.UntilAsync(() => harness.Mode.OpenConnections == 2, "both slots' sockets past their hello");
        await harness.Fake.DropAsync(harness.Fake.ConnectionsOpened - 1);
        var afterLoss = await harness.Time.WaitForTimerAsync(due => due <= maxDelay, "the pause after the loss");
        Assert.InRange(afterLoss, baseDelay / 2, baseDelay);
        harness.Time.Advance(afterLoss);
        await harness.Fake.WaitForLiveConnectionsAsync(2);
        harness.AssertClean();
    }

    [Fact]
    public async Task A_socket_Slack_disconnects_before_its_hello_for_another_reason_is_closed_and_retried_after_a_pause_naming_the_reason()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1, configure: fake =>
        {
            fake.ConnectionCap = 0;
            fake.RefusalReason = "link_disabled";
        });

        await Poll.UntilAsync(() => harness.Fake.Refusals == 1, "the first socket's refusal");
        var pause = await harness.Time.WaitForTimerAsync(due => due <= harness.SocketOptions.ReconnectMaxDelay, "the pause after it");
        Assert.Equal(1, harness.Fake.ConnectionsOpened);
        harness.Fake.ConnectionCap = 10;
        harness.Time.Advance(pause);
        await harness.Fake.WaitForLiveConnectionsAsync(1);

        Assert.True(harness.Fake.IndexOf("closed", 0) >= 0, string.Join(", ", harness.Fake.Events));
        var warning = Assert.Single(harness.Logger.Entries, entry => entry.Level == LogLevel.Warning);
        Assert.Contains("before its hello (link_disabled)", warning.Message, StringComparison.Ordinal);
        harness.AssertClean();
    }

    [Fact]
    public async Task A_socket_kept_for_longer_than_the_longest_pause_and_then_refused_as_one_too_many_waits_only_the_first_pause()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        await harness.Fake.WaitForLiveConnectionsAsync(1);
        var baseDelay = harness.SocketOptions.ReconnectBaseDelay;
        var maxDelay = harness.SocketOptions.ReconnectMaxDelay;

        // Three refusals in a row grow the slot's pause.
        await harness.Fake.SendDisconnectAsync("too_many_websockets", connection: 0);
        harness.Fake.ConnectionCap = 0;
        for (int refusal = 0; refusal < 3; refusal++)
        {
            var pause = await harness.Time.WaitForTimerAsync(due => due <= maxDelay, $"the pause after refusal {refusal + 1}");
            if (refusal == 2)
            {
                Assert.InRange(pause, baseDelay * 2, baseDelay * 4);
                harness.Fake.ConnectionCap = 10;
            }

            harness.Time.Advance(pause);
            await Poll.UntilAsync(() => harness.Fake.ConnectionsOpened == refusal + 2, $"socket {refusal + 2}");
        }

        await Poll.UntilAsync(() => harness.Mode.IsConnected, "the socket that is kept");
        harness.Time.Advance(maxDelay);
        await harness.Fake.SendDisconnectAsync("too_many_websockets", connection: 3);

        var afterKept = await harness.Time.WaitForTimerAsync(due => due <= maxDelay, "the pause after the kept socket's refusal");
        Assert.InRange(afterKept, baseDelay / 2, baseDelay);
        harness.Time.Advance(afterKept);
        await harness.Fake.WaitForLiveConnectionsAsync(1);
        Assert.Equal(2, harness.Fake.Refusals);
        harness.AssertClean();
    }

    [Fact]
    public async Task A_socket_in_service_that_Slack_says_is_one_too_many_is_closed_and_replaced_only_after_a_pause()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        await harness.Fake.WaitForLiveConnectionsAsync(1);

        await harness.Fake.SendDisconnectAsync("too_many_websockets", connection: 0);
        await Poll.UntilAsync(() => harness.Fake.IndexOf("closed", 0) >= 0, "the refused socket to be closed");
        var pause = await harness.Time.WaitForTimerAsync(due => due <= harness.SocketOptions.ReconnectMaxDelay, "the pause before its replacement");

        Assert.Equal(1, harness.Fake.ConnectionsOpened);
        Assert.False(harness.Mode.IsConnected);
        harness.Time.Advance(pause);
        await harness.Fake.WaitForLiveConnectionsAsync(1);
        Assert.Equal(2, harness.Fake.ConnectionsOpened);
        var warning = Assert.Single(harness.Logger.Entries, entry => entry.Level == LogLevel.Warning);
        Assert.Contains("too_many_websockets", warning.Message, StringComparison.Ordinal);
        harness.AssertClean();
    }

    [Fact]
    public async Task Dropped_socket_is_reopened_and_an_event_sent_again_after_the_lost_ack_is_handled_once()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 2);
        await harness.Fake.WaitForLiveConnectionsAsync(2);

        string id = await harness.Fake.SendEnvelopeThenDropAsync("events_api", Event(1), connection: 0);

        await Poll.UntilAsync(() => harness.Fake.ConnectionsOpened == 3, "a third socket after the drop", between: harness.Fake.Tick);
        await harness.Fake.WaitForLiveConnectionsAsync(2);
        Assert.Empty(harness.Fake.Acks);
        // Slack sends it again once 3 seconds without an ack have passed.
        harness.Time.Advance(FakeSlackSocket.AckDeadline);
        await Poll.UntilAsync(() => harness.Fake.Acks.Any(ack => ack.EnvelopeId == id), "the ack of the envelope sent again");
        await Poll.UntilAsync(
            () => harness.Mode.EnvelopesReceived > 0 && harness.Mode.EnvelopesReceived == harness.Mode.DuplicatesDropped + harness.Handler.Started,
            "every envelope received to be handed over or dropped as a repeat");

        Assert.Equal(1, harness.Mode.DuplicatesDropped);
        var retry = Assert.Single(harness.Fake.Deliveries, delivery => delivery.RetryAttempt == 1);
        Assert.Equal(id, retry.EnvelopeId);
        Assert.NotEqual(0, retry.Connection);
        var ack = Assert.Single(harness.Fake.Acks);
        Assert.Equal(retry.Connection, ack.Connection);
        Assert.Equal([id], harness.Handler.EnvelopeIds);
        Assert.Equal(0, Assert.Single(harness.Handler.Envelopes).RetryAttempt);
        Assert.True(harness.Fake.IndexOf("dropped", 0) >= 0);
        Assert.Contains(harness.Logger.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("lost", StringComparison.Ordinal));
        harness.AssertClean();
    }

    [Fact]
    public async Task Same_envelope_id_delivered_on_two_connections_is_acknowledged_on_both_and_handled_once()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 2);
        await harness.Fake.WaitForLiveConnectionsAsync(2);

        string id = await harness.Fake.SendEnvelopeAsync("events_api", Event(1), connection: 0);
        await harness.Fake.RedeliverAsync(id, connection: 1);
        await harness.Fake.WaitForAcksAsync(2);
        await Poll.UntilAsync(() => harness.Mode.DuplicatesDropped == 1, "the repeat to be dropped");
        await harness.Handler.WaitForStartedAsync(1);

        Assert.Equal([0, 1], harness.Fake.Acks.Select(ack => ack.Connection).Order());
        Assert.Equal([id], harness.Handler.EnvelopeIds);
        Assert.Equal(2, harness.Mode.EnvelopesReceived);
        harness.AssertClean();
    }

    [Fact]
    public async Task An_envelope_the_handler_could_not_record_is_not_acknowledged_and_its_redelivery_is_handled_again()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        await harness.Fake.WaitForLiveConnectionsAsync(1);
        harness.Handler.Unrecordable = envelope => envelope.RetryAttempt is null or 0;

        string id = await harness.Fake.SendEnvelopeAsync("events_api", Event(1));
        await Poll.UntilAsync(() => harness.Mode.EnvelopesHandled == 1, "the first delivery to be handled and left unrecorded");
        Assert.Empty(harness.Fake.Acks);
        // Slack sends it again once 3 seconds without an ack have passed.
        harness.Time.Advance(FakeSlackSocket.AckDeadline);
        await Poll.UntilAsync(() => harness.Fake.Acks.Count == 1, "Slack's redelivery to be acknowledged");

        var ack = Assert.Single(harness.Fake.Acks);
        Assert.Equal(id, ack.EnvelopeId);
        Assert.Equal([0, 1], harness.Fake.Deliveries.Where(d => d.EnvelopeId == id).Select(d => d.RetryAttempt));
        Assert.Equal([0, 1], harness.Handler.Envelopes.Select(e => e.RetryAttempt ?? 0));
        Assert.Equal(0, harness.Mode.DuplicatesDropped);
        harness.AssertClean();
    }

    [Fact]
    public async Task Slow_work_after_the_ack_does_not_hold_up_the_acks_of_the_envelopes_behind_it()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        await harness.Fake.WaitForLiveConnectionsAsync(1);
        // On the test's clock, which does not move here: the work never ends, and stopping does not wait for it.
        harness.Handler.WorkTime = TimeSpan.FromMinutes(5);
        harness.SocketOptions.HandlerDrainTimeout = TimeSpan.Zero;

        var count = SlackSocketMode.MaxConcurrentHandlers + 2;
        for (var i = 0; i < count; i++)
        {
            await harness.Fake.SendEnvelopeAsync("events_api", Event(i));
        }

        await harness.Fake.WaitForAcksAsync(count, TimeSpan.FromSeconds(15));
        Assert.Equal(0, harness.Handler.Finished);
        harness.AssertClean();
    }

    [Fact]
    public async Task Throwing_handler_does_not_stop_later_envelopes()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        await harness.Fake.WaitForLiveConnectionsAsync(1);

        harness.Handler.ThrowWhenPayloadContains = "secret answer text";
        string failing = await harness.Fake.SendEnvelopeAsync("events_api", Event(1, "secret answer text"));
        string next = await harness.Fake.SendEnvelopeAsync("events_api", Event(2));
        string another = await harness.Fake.SendEnvelopeAsync("interactive", ButtonClick("next"));
        await harness.Fake.WaitForAcksAsync(3);
        await harness.Handler.WaitForStartedAsync(3);
        await Poll.UntilAsync(() => harness.Mode.EnvelopesHandled == 3, "three handler calls to finish");

        Assert.Equal(new[] { failing, next, another }.Order(StringComparer.Ordinal), harness.Handler.EnvelopeIds.Order(StringComparer.Ordinal));
        Assert.Equal(1, harness.Fake.ConnectionsOpened);
        var failure = Assert.Single(harness.Logger.Entries, entry => entry.Level >= LogLevel.Error);
        Assert.Contains(nameof(InvalidOperationException), failure.Message, StringComparison.Ordinal);
        Assert.Contains(failing, failure.Message, StringComparison.Ordinal);
        Assert.Null(failure.Exception);
        Assert.DoesNotContain(harness.Logger.Entries, entry => entry.Message.Contains("secret answer text", StringComparison.Ordinal));
        harness.AssertClean();
    }

    [Theory]
    [InlineData("invalid_auth")]
    [InlineData("not_authed")]
    [InlineData("not_allowed_token_type")]
    [InlineData("account_inactive")]
    public async Task Refused_app_token_stops_with_one_error_line_and_no_retry(string error)
    {
        await using var harness = await SocketHarness.StartAsync(connections: 2, refuseWith: error);

        // No pause, no retry: it stops without the clock moving.
        var stopped = await TimerWatchingClock.WithoutAdvancingAsync(harness.Mode.Stopped, "Socket Mode to stop after the refusal");
        await Poll.UntilAsync(() => harness.Mode.ExecuteTask!.IsCompleted, "Socket Mode's run to end");

        Assert.True(stopped.IsFatal);
        Assert.Equal(error, stopped.Error);
        Assert.Contains(error, stopped.Description, StringComparison.Ordinal);
        harness.Web.Verify(web => web.OpenSocketConnectionAsync(It.IsAny<CancellationToken>()), Times.Once());
        var line = Assert.Single(harness.Logger.Entries, entry => entry.Level >= LogLevel.Error);
        Assert.Contains($"Slack rejected Slack:AppToken ({error})", line.Message, StringComparison.Ordinal);
        Assert.Contains("connections:write", line.Message, StringComparison.Ordinal);
        Assert.Contains("Basic Information", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logger.Entries, entry => entry.Level == LogLevel.Warning);
        Assert.Equal(0, harness.Fake.ConnectionsOpened);
        var waiting = harness.Mode.WaitUntilConnectedAsync(CancellationToken.None);
        Assert.True(waiting.IsFaulted, "a wait for a connection after the stop is answered at once");
        await Assert.ThrowsAsync<InvalidOperationException>(() => waiting);
        harness.AssertClean();
    }

    [Fact]
    public async Task A_socket_whose_upgrade_is_never_answered_is_given_up_after_the_hello_timeout_and_another_opened()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var unanswered = new Uri($"ws://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/link/?ticket=never-answered");
        int calls = 0;
        await using var harness = await SocketHarness.StartAsync(connections: 1, open: fake =>
            Task.FromResult(Interlocked.Increment(ref calls) == 1 ? unanswered : fake.NextConnectionUrl()));
        using var accepted = await silent.AcceptTcpClientAsync();

        await harness.Time.WaitForTimerAsync(harness.SocketOptions.HelloTimeout);
        harness.Time.Advance(harness.SocketOptions.HelloTimeout);
        var pause = await harness.Time.WaitForTimerAsync(due => due <= harness.SocketOptions.ReconnectBaseDelay, "the pause before the next socket");
        harness.Time.Advance(pause);
        await Poll.UntilAsync(() => harness.Mode.IsConnected, "the second socket to say hello", between: harness.Fake.Tick);

        Assert.Equal(2, Volatile.Read(ref calls));
        Assert.Contains(harness.Logger.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains(nameof(IOException), StringComparison.Ordinal));
        harness.AssertClean();
    }

    [Fact]
    public async Task Other_open_failures_are_retried_after_a_pause()
    {
        int calls = 0;
        await using var harness = await SocketHarness.StartAsync(connections: 1, open: fake => Interlocked.Increment(ref calls) switch
        {
            1 => Task.FromException<Uri>(new HttpRequestException("connection refused")),
            2 => Task.FromException<Uri>(new SlackApiException("apps.connections.open", "ratelimited")),
            _ => Task.FromResult(fake.NextConnectionUrl()),
        });

        // Each failed call is followed by a pause on the clock (the backoff doubling), and the next call waits for it.
        var baseDelay = harness.SocketOptions.ReconnectBaseDelay;
        var firstPause = await harness.Time.WaitForTimerAsync(due => due <= baseDelay, "the pause after the refused call");
        Assert.Equal(1, Volatile.Read(ref calls));
        harness.Time.Advance(firstPause);
        var secondPause = await harness.Time.WaitForTimerAsync(due => due <= baseDelay * 2, "the pause after the rate-limited call");
        Assert.Equal(2, Volatile.Read(ref calls));
        harness.Time.Advance(secondPause);
        await Poll.UntilAsync(() => harness.Mode.IsConnected, "the third call's socket to say hello");

        Assert.Equal(3, Volatile.Read(ref calls));
        Assert.False(harness.Mode.Stopped.IsCompleted);
        Assert.Equal(2, harness.Logger.Entries.Count(entry => entry.Level == LogLevel.Warning && entry.Message.Contains("apps.connections.open", StringComparison.Ordinal)));
        Assert.Contains(harness.Logger.Entries, entry => entry.Message.Contains("ratelimited", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Logger.Entries, entry => entry.Level >= LogLevel.Error);
        harness.AssertClean();
    }

    [Fact]
    public async Task Socket_silent_past_the_idle_timeout_is_replaced_new_one_first()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        await harness.Fake.WaitForLiveConnectionsAsync(1);

        await harness.Time.WaitForTimerAsync(harness.Mode.IdleTimeout);
        Assert.Equal(1, harness.Fake.ConnectionsOpened);
        harness.Time.Advance(harness.Mode.IdleTimeout);
        await Poll.UntilAsync(() => harness.Fake.IndexOf("closed", 0) >= 0, "the quiet socket to be replaced");

        Assert.True(harness.Fake.IndexOf("hello", 1) >= 0);
        Assert.True(harness.Fake.IndexOf("hello", 1) < harness.Fake.IndexOf("closed", 0), string.Join(", ", harness.Fake.Events));
        harness.AssertClean();
    }

    [Fact]
    public async Task Stopping_the_host_closes_every_socket_with_a_close_frame()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 2);
        await harness.Fake.WaitForLiveConnectionsAsync(2);

        await harness.StopAsync();
        await Poll.UntilAsync(() => harness.Fake.LiveConnections == 0, "both sockets to close");

        var stopped = await TimerWatchingClock.WithoutAdvancingAsync(harness.Mode.Stopped, "Socket Mode to report its stop");
        Assert.False(stopped.IsFatal);
        Assert.True(harness.Fake.IndexOf("closed", 0) >= 0, string.Join(", ", harness.Fake.Events));
        Assert.True(harness.Fake.IndexOf("closed", 1) >= 0, string.Join(", ", harness.Fake.Events));
        Assert.DoesNotContain(harness.Fake.Events, socketEvent => socketEvent.Kind == "dropped");
        Assert.DoesNotContain(harness.Logger.Entries, entry => entry.Level >= LogLevel.Warning);
        harness.AssertClean();
    }

    [Fact]
    public async Task Stopping_the_host_while_a_socket_waits_for_its_hello_closes_that_socket_with_a_close_frame_too()
    {
        await using var harness = await SocketHarness.StartAsync(connections: 1);
        await harness.Fake.WaitForLiveConnectionsAsync(1);
        harness.Fake.HelloDelay = TimeSpan.FromMinutes(1);
        await harness.Fake.SendDisconnectAsync("refresh_requested", connection: 0);

        // Each socket sets a timer of this length for its upgrade and then one for its hello: the fourth is the
        // replacement waiting for its hello.
        for (int timer = 0; timer < 4; timer++)
        {
            await harness.Time.WaitForTimerAsync(harness.SocketOptions.HelloTimeout);
        }

        await harness.StopAsync();
        await Poll.UntilAsync(() => harness.Fake.IndexOf("closed", 1) >= 0 || harness.Fake.IndexOf("dropped", 1) >= 0, "the replacement to go");

        Assert.Equal(-1, harness.Fake.IndexOf("hello", 1));
        Assert.True(harness.Fake.IndexOf("closed", 0) >= 0, string.Join(", ", harness.Fake.Events));
        Assert.True(harness.Fake.IndexOf("closed", 1) >= 0, string.Join(", ", harness.Fake.Events));
        Assert.DoesNotContain(harness.Fake.Events, socketEvent => socketEvent.Kind == "dropped");
        Assert.DoesNotContain(harness.Logger.Entries, entry => entry.Level >= LogLevel.Warning);
        harness.AssertClean();
    }

    [Fact]
    public async Task No_log_line_holds_a_token_the_ticket_url_or_payload_text()
    {
        const string Secret = "my salary expectation is secret";
        await using var harness = await SocketHarness.StartAsync(connections: 2);
        harness.Handler.Acknowledgement = envelope => envelope.Type == "slash_commands"
            ? JsonDocument.Parse($$"""{"text":"{{Secret}}"}""").RootElement
            : null;
        await harness.Fake.WaitForLiveConnectionsAsync(2);

        harness.Handler.ThrowWhenPayloadContains = Secret;
        await harness.Fake.SendEnvelopeAsync("events_api", Event(1, Secret));
        await harness.Fake.SendEnvelopeAsync("slash_commands", Slash(Secret), acceptsResponsePayload: true);
        await harness.Fake.SendEnvelopeAsync("interactive", ButtonClick(Secret));
        await harness.Fake.SendEnvelopeAsync("not_a_real_type", Event(2, Secret));
        await harness.Fake.WaitForAcksAsync(4);
        await harness.Fake.SendDisconnectAsync("refresh_requested", connection: 0);
        await Poll.UntilAsync(() => harness.Fake.IndexOf("closed", 0) >= 0, "the refreshed socket to close");
        await harness.Fake.DropAsync(1);
        await Poll.UntilAsync(() => harness.Fake.ConnectionsOpened == 4, "a socket to replace the dropped one", between: harness.Fake.Tick);
        await harness.StopAsync();

        var entries = harness.Logger.Entries;
        Assert.True(entries.Count > 10, $"only {entries.Count} entries");
        var forbidden = new List<string> { AppToken, BotToken, "ticket", Secret };
        forbidden.AddRange(harness.Fake.IssuedUrls);
        Assert.All(entries, entry => Assert.All(forbidden, text =>
        {
            Assert.DoesNotContain(text, entry.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(text, entry.Exception?.ToString() ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        }));
        harness.AssertClean();
    }

    [Fact]
    public void Envelope_id_is_a_repeat_within_the_window_and_new_again_after_it()
    {
        var time = new FakeTimeProvider();
        var recent = new RecentEnvelopes(time, TimeSpan.FromMinutes(10));

        Assert.True(recent.TryRemember("e-1"));
        Assert.False(recent.TryRemember("e-1"));
        Assert.True(recent.TryRemember("e-2"));
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(recent.TryRemember("e-1"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(recent.TryRemember("e-1"));
    }

    [Fact]
    public void Oldest_envelope_ids_are_forgotten_past_the_capacity()
    {
        var recent = new RecentEnvelopes(new FakeTimeProvider(), TimeSpan.FromMinutes(10), capacity: 3);
        foreach (string id in new[] { "a", "b", "c", "d", "e" })
        {
            Assert.True(recent.TryRemember(id));
        }

        Assert.False(recent.TryRemember("e"));
        Assert.True(recent.TryRemember("a"));
    }

    private static JsonObject Event(int number, string text = "an answer") => new()
    {
        ["token"] = "verification-token",
        ["team_id"] = "T0FAKE",
        ["api_app_id"] = FakeSlackSocket.AppId,
        ["type"] = "event_callback",
        ["event_id"] = "Ev" + number.ToString("D6", CultureInfo.InvariantCulture),
        ["event_time"] = 1_700_000_000 + number,
        ["event"] = new JsonObject
        {
            ["type"] = "message",
            ["user"] = "U0CANDIDATE",
            ["text"] = text,
            ["channel"] = "C0INTERVIEW",
            ["ts"] = $"1700000000.{number:D6}",
            ["channel_type"] = "channel",
        },
    };

    private static JsonObject Slash(string text) => new()
    {
        ["command"] = "/mock",
        ["text"] = text,
        ["user_id"] = "U0CANDIDATE",
        ["user_name"] = "candidate",
        ["channel_id"] = "C0INTERVIEW",
        ["team_id"] = "T0FAKE",
        ["api_app_id"] = FakeSlackSocket.AppId,
        ["trigger_id"] = "1337.42.abcdef",
        ["response_url"] = "https://hooks.slack.com/commands/T0FAKE/1/abc",
    };

    private static JsonObject ButtonClick(string value) => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = "U0CANDIDATE", ["username"] = "candidate" },
        ["channel"] = new JsonObject { ["id"] = "C0INTERVIEW" },
        ["trigger_id"] = "1337.42.abcdef",
        ["actions"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = "next", ["block_id"] = "b1", ["value"] = value, ["action_ts"] = "1700000000.1" }),
    };

    /// <summary>
    /// A fake Slack, a Socket Mode client pointed at it with short timings, and the recorders around them; Slack's
    /// deadlines, the client's timings and the handler's work all run on one fake clock that only the test moves.
    /// </summary>
    private sealed class SocketHarness : IAsyncDisposable
    {
        /// <summary>Past the stagger and the first backoff (at most 20 ms), far short of any deadline.</summary>
        private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(20);

        private static readonly TimeSpan DrainStep = TimeSpan.FromMilliseconds(100);

        private SocketHarness(TimerWatchingClock time, FakeSlackSocket fake, SlackSocketMode mode, ReconnectingSocketOptions socketOptions, Mock<ISlackWebApi> web, RecordingHandler handler, RecordingLogger<SlackSocketMode> logger)
        {
            Time = time;
            Fake = fake;
            Mode = mode;
            SocketOptions = socketOptions;
            Web = web;
            Handler = handler;
            Logger = logger;
        }

        public TimerWatchingClock Time { get; }

        public FakeSlackSocket Fake { get; }

        public SlackSocketMode Mode { get; }

        /// <summary>The timings Socket Mode was given; read as they are needed, so a test may change them after the start.</summary>
        public ReconnectingSocketOptions SocketOptions { get; }

        public Mock<ISlackWebApi> Web { get; }

        public RecordingHandler Handler { get; }

        public RecordingLogger<SlackSocketMode> Logger { get; }

        public static async Task<SocketHarness> StartAsync(
            int connections,
            string? refuseWith = null,
            Func<FakeSlackSocket, Task<Uri>>? open = null,
            Action<FakeSlackSocket>? configure = null)
        {
            var time = new TimerWatchingClock();
            var fake = await FakeSlackSocket.StartAsync(time);
            fake.Tick = () => time.Advance(Step);
            configure?.Invoke(fake);
            var web = new Mock<ISlackWebApi>(MockBehavior.Strict);
            var setup = web.Setup(w => w.OpenSocketConnectionAsync(It.IsAny<CancellationToken>()));
            if (refuseWith is not null)
            {
                setup.ThrowsAsync(new SlackApiException("apps.connections.open", refuseWith));
            }
            else
            {
                setup.Returns(() => open?.Invoke(fake) ?? Task.FromResult(fake.NextConnectionUrl()));
            }

            var options = Options.Create(new SlackOptions { BotToken = BotToken, AppToken = AppToken, SocketConnections = connections });
            var handler = new RecordingHandler(time);
            var logger = new RecordingLogger<SlackSocketMode>();
            var socketOptions = new ReconnectingSocketOptions
            {
                ReconnectBaseDelay = Step,
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
                HelloTimeout = TimeSpan.FromSeconds(3),
                HandlerDrainTimeout = TimeSpan.FromMilliseconds(300),
                HandlerSlots = SlackSocketMode.MaxConcurrentHandlers,
            };
            var mode = new SlackSocketMode(web.Object, options, handler, time, logger, socketOptions)
            {
                ConnectionStagger = TimeSpan.FromMilliseconds(10),
            };
            await mode.StartAsync(CancellationToken.None);
            return new SocketHarness(time, fake, mode, socketOptions, web, handler, logger);
        }

        /// <summary>
        /// Stops Socket Mode, moving the clock on meanwhile so that handlers still running are given up after the drain
        /// timeout. The stop closes the sockets first and drains the handlers after, and each close handshake has a
        /// timeout of its own on the same clock: the clock stands still until the fake has seen every socket end, or
        /// looks that come faster than a loaded machine reads a close frame would time the handshake out and abort the
        /// socket before its close frame is read.
        /// </summary>
        public async Task StopAsync()
        {
            var stopping = Mode.StopAsync(CancellationToken.None);
            await Poll.UntilAsync(() => stopping.IsCompleted, "Socket Mode to stop", between: () =>
            {
                if (Fake.EverySocketEnded)
                {
                    Time.Advance(DrainStep);
                }
            });
            await stopping;
        }

        /// <summary>The fake saw nothing Slack would refuse, and no log line holds a token.</summary>
        public void AssertClean()
        {
            Assert.Empty(Fake.Violations);
            Assert.DoesNotContain(Logger.Entries, entry =>
                entry.Message.Contains(AppToken, StringComparison.Ordinal) || entry.Message.Contains(BotToken, StringComparison.Ordinal));
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            Mode.Dispose();
            await Fake.DisposeAsync();
        }
    }

    /// <summary>Records the envelopes it is given; can answer acks, throw for chosen envelope ids, or take its time.</summary>
    private sealed class RecordingHandler(TimeProvider time) : ISlackEnvelopeHandler
    {
        private readonly Lock _gate = new();
        private readonly List<SlackEnvelope> _envelopes = [];
        private int _finished;

        /// <summary>The handler throws (with the payload in the message, as careless code would) for payloads holding this text.</summary>
        public string? ThrowWhenPayloadContains { get; set; }

        public Func<SlackEnvelope, JsonElement?> Acknowledgement { get; set; } = _ => null;

        public TimeSpan WorkTime { get; set; } = TimeSpan.Zero;

        /// <summary>While set and not completed, recording waits for it (as a slow store write would).</summary>
        public TaskCompletionSource? RecordGate { get; set; }

        /// <summary>Per envelope: recording waits for the task this gives (none for null).</summary>
        public Func<SlackEnvelope, Task?>? RecordGateFor { get; set; }

        public int Started
        {
            get
            {
                lock (_gate)
                {
                    return _envelopes.Count;
                }
            }
        }

        public int Finished => Volatile.Read(ref _finished);

        public IReadOnlyList<SlackEnvelope> Envelopes
        {
            get
            {
                lock (_gate)
                {
                    return [.. _envelopes];
                }
            }
        }

        public IReadOnlyList<string> EnvelopeIds
        {
            get
            {
                lock (_gate)
                {
                    return [.. _envelopes.Select(envelope => envelope.EnvelopeId)];
                }
            }
        }

        /// <summary>Envelopes to leave unrecorded (as when the store is down), by how many times each may fail.</summary>
        public Func<SlackEnvelope, bool> Unrecordable { get; set; } = _ => false;

        public async Task<SlackReceipt> ReceiveAsync(SlackEnvelope envelope, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                _envelopes.Add(envelope);
            }

            if (RecordGate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            if (RecordGateFor?.Invoke(envelope) is { } own)
            {
                await own.WaitAsync(cancellationToken);
            }

            var outcome = Unrecordable(envelope) ? SlackReceiptOutcome.NotRecorded : SlackReceiptOutcome.Accepted;
            return new SlackReceipt(outcome, Acknowledgement(envelope), token => WorkAsync(envelope, token));
        }

        private async Task WorkAsync(SlackEnvelope envelope, CancellationToken cancellationToken)
        {
            if (ThrowWhenPayloadContains is { } marker && envelope.Payload.GetRawText().Contains(marker, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("handler failed on " + envelope.Payload.GetRawText());
            }

            if (WorkTime > TimeSpan.Zero)
            {
                await Task.Delay(WorkTime, time, cancellationToken);
            }

            Interlocked.Increment(ref _finished);
        }

        public Task WaitForStartedAsync(int count) =>
            Poll.UntilAsync(() => Started >= count, $"{count} envelopes at the handler (have {Started})");
    }
}
