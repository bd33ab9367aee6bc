using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mockingbird.Testing;

/// <summary>
/// The fixtures' own minimal Redis client: one command over a fresh connection, the raw reply back. It needs no
/// cluster routing or reconnection, so it can talk to a server the test is about to kill or has just started.
/// </summary>
public static class RespClient
{
    /// <summary>Sends one command to the server on <paramref name="port"/> and returns the raw reply.</summary>
    public static async Task<string> CommandAsync(int port, params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), TimeProvider.System);
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = client.GetStream();
        var request = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), timeout.Token);
        var buffer = new byte[1 << 20];
        using var reply = new MemoryStream();
        do
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            reply.Write(buffer, 0, read);
        }
        while (!IsComplete(reply.GetBuffer().AsSpan(0, (int)reply.Length)));

        return Encoding.UTF8.GetString(reply.GetBuffer(), 0, (int)reply.Length);
    }

    /// <summary>
    /// Whether <paramref name="reply"/> holds one whole RESP value. A chunk can end in <c>\r\n</c> in the middle of
    /// an array (a large <c>KEYS</c> reply arrives in pieces), so the value is walked to its end, counting bulk
    /// lengths in bytes.
    /// </summary>
    internal static bool IsComplete(ReadOnlySpan<byte> reply)
    {
        var position = 0;
        return TrySkipValue(reply, ref position);
    }

    private static bool TrySkipValue(ReadOnlySpan<byte> reply, ref int position)
    {
        if (position >= reply.Length)
        {
            return false;
        }

        var type = reply[position];
        var lineEnd = reply[position..].IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return false;
        }

        var header = reply.Slice(position + 1, lineEnd - 1);
        position += lineEnd + 2;
        switch (type)
        {
            case (byte)'$':
                var length = int.Parse(header, provider: CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return true;
                }

                position += length + 2;
                return position <= reply.Length;
            case (byte)'*':
                var count = int.Parse(header, provider: CultureInfo.InvariantCulture);
                for (var i = 0; i < count; i++)
                {
                    if (!TrySkipValue(reply, ref position))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }
}
