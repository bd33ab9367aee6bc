using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mockingbird.Testing;

namespace Mockingbird.Platforms.Tests.Sockets;

/// <summary>
/// A WebSocket server on 127.0.0.1: says <see cref="Hello"/> first (unless told not to), records what it receives and
/// how the client closed, and answers a close frame.
/// </summary>
internal sealed class LoopbackWebSocketServer : IAsyncDisposable
{
    public const string Hello = "hello";

    private readonly WebApplication _app;
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Description)> _closed =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly List<string> _received = [];

    private LoopbackWebSocketServer(WebApplication app, bool sayHello)
    {
        _app = app;
        _app.UseWebSockets();
        _app.Map("/", context => ServeAsync(context, sayHello));
    }

    public Uri Url => new(LoopbackServer.AddressOf(_app).Replace("http://", "ws://", StringComparison.Ordinal) + "/");

    /// <summary>The close frame the client sent, once the server has read it.</summary>
    public Task<(WebSocketCloseStatus? Status, string? Description)> ClientClosed => _closed.Task;

    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<LoopbackWebSocketServer> StartAsync(bool sayHello = true)
    {
        var server = new LoopbackWebSocketServer(LoopbackServer.Build(), sayHello);
        await server._app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext context, bool sayHello)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        if (sayHello)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(Hello), WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
        }

        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((result.CloseStatus, result.CloseStatusDescription));
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    return;
                }

                lock (_received)
                {
                    _received.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            _closed.TrySetResult((null, null));
        }
    }
}
