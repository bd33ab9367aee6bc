using System.Buffers;
using System.Net.WebSockets;

namespace Mockingbird.Platforms;

/// <summary>Reads whole text messages from a platform's WebSocket (Discord's gateway, Slack's Socket Mode).</summary>
public static class WebSocketMessages
{
    /// <summary>
    /// The next whole text message, assembled in <paramref name="buffer"/> (valid until the next read), or null when
    /// the server closed the socket. A binary frame, or a message over <paramref name="maxBytes"/>, is refused.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>?> ReceiveTextAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(buffer);
        buffer.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(8192), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (result.MessageType != WebSocketMessageType.Text)
            {
                throw new InvalidDataException("The server sent a binary frame where only text is expected.");
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > maxBytes)
            {
                throw new InvalidDataException("A message from the server exceeded the receive limit.");
            }

            if (result.EndOfMessage)
            {
                return buffer.WrittenMemory;
            }
        }
    }
}
