using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Platforms.Sockets;

namespace Mockingbird.Platforms.Tests.Sockets;

public sealed class PlatformSocketTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Closing_sends_a_close_frame_and_aborts_the_socket_once_the_server_has_answered()
    {
        await using var server = await LoopbackWebSocketServer.StartAsync();
        using var socket = new PlatformSocket(maxReceiveBytes: 1024, TimeProvider.System);
        await socket.ConnectAsync(server.Url, Deadline, CancellationToken.None);
        var hello = await socket.ReceiveFirstAsync(Deadline, Deadline, CancellationToken.None);
        Assert.Equal(LoopbackWebSocketServer.Hello, Encoding.UTF8.GetString(hello!.Value.Span));
        await socket.SendTextAsync(Encoding.UTF8.GetBytes("ack-1"), CancellationToken.None);
        var receiving = socket.ReceiveTextAsync(socket.Lifetime.Token);

        await socket.CloseAndAbortAsync((int)WebSocketCloseStatus.NormalClosure, "shutting down", receiving, Deadline);

        var closed = await server.ClientClosed.WaitAsync(Deadline, TimeProvider.System);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closed.Status);
        Assert.Equal("shutting down", closed.Description);
        Assert.Null(await receiving.WaitAsync(Deadline, TimeProvider.System));
        Assert.True(socket.IsClosing);
        Assert.True(socket.Aborted.IsCompleted, "the socket was aborted after the close handshake");
        Assert.Equal(["ack-1"], server.Received);
    }

    [Fact]
    public async Task No_hello_within_the_hello_timeout_is_a_lost_connection()
    {
        var time = new FakeTimeProvider();
        await using var server = await LoopbackWebSocketServer.StartAsync(sayHello: false);
        using var socket = new PlatformSocket(maxReceiveBytes: 1024, time);
        await socket.ConnectAsync(server.Url, Deadline, CancellationToken.None);

        var hello = socket.ReceiveFirstAsync(TimeSpan.FromSeconds(30), Deadline, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(hello.IsCompleted, "the hello timeout fired a second early");
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<IOException>(() => hello.WaitAsync(Deadline, TimeProvider.System));
    }

    [Fact]
    public async Task Giving_up_the_wait_for_hello_closes_the_socket_with_a_close_frame_rather_than_dropping_it()
    {
        var time = new FakeTimeProvider();
        await using var server = await LoopbackWebSocketServer.StartAsync(sayHello: false);
        using var socket = new PlatformSocket(maxReceiveBytes: 1024, time);
        await socket.ConnectAsync(server.Url, Deadline, CancellationToken.None);
        using var stopping = new CancellationTokenSource();

        var hello = socket.ReceiveFirstAsync(TimeSpan.FromSeconds(30), Deadline, stopping.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hello.WaitAsync(Deadline, TimeProvider.System));
        var closed = await server.ClientClosed.WaitAsync(Deadline, TimeProvider.System);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closed.Status);
        Assert.True(socket.IsClosing);
        Assert.True(socket.Aborted.IsCompleted, "the socket was let go once the server had answered");
    }

    [Fact]
    public async Task An_upgrade_the_server_never_answers_is_a_lost_connection_once_the_timeout_passes()
    {
        var time = new FakeTimeProvider();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var socket = new PlatformSocket(maxReceiveBytes: 1024, time);
        var url = new Uri($"ws://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");

        var connecting = socket.ConnectAsync(url, TimeSpan.FromSeconds(30), CancellationToken.None);
        using var accepted = await silent.AcceptTcpClientAsync();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(connecting.IsCompleted, "the connect timeout fired a second early");
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<IOException>(() => connecting.WaitAsync(Deadline, TimeProvider.System));
    }
}
