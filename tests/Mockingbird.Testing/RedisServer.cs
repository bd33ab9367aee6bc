using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mockingbird.Testing;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, owned by the test that started it: persistent (append-only
/// file, fsync on every write) so it can be stopped and restarted without losing data, and removed on dispose.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _binary;
    private readonly string _directory;
    private Process? _process;

    private readonly string _appendFsync;

    private RedisServer(string binary, int port, string appendFsync)
    {
        _binary = binary;
        Port = port;
        _appendFsync = appendFsync;
        _directory = Directory.CreateTempSubdirectory("redis-test-").FullName;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <param name="appendFsync"><c>always</c> (the default: nothing acknowledged is lost on a crash) or <c>everysec</c>, as production usually runs.</param>
    public static async Task<RedisServer> StartAsync(string appendFsync = "always")
    {
        var server = new RedisServer(FindBinary("redis-server"), FreePort(), appendFsync);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>The path of a Redis tool, or a failure that says how to get it (never a silent skip).</summary>
    public static string FindBinary(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Append("/usr/bin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{name} was not found. These tests need a real Redis: run tests/run.sh (it installs Debian's redis-server) or 'apt-get install redis-server'.");
    }

    /// <summary>Kills the server outright, as a crash would; with fsync on every write nothing acknowledged is lost.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    /// <summary>Sends one command over a fresh connection and returns the raw reply.</summary>
    public async Task<string> CommandAsync(params string[] parts)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        var request = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        var buffer = new byte[1 << 20];
        using var reply = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), TimeProvider.System);
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process: the temp directory is cleaned by the system.
        }
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var arg in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
            "--appendonly", "yes", "--appendfsync", _appendFsync, "--save", string.Empty, "--daemonize", "no", "--loglevel", "warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var process = _process;
        await Poll.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"redis-server exited at start with code {process.ExitCode} (port {Port}).");
                }

                try
                {
                    return (await CommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal);
                }
                catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
                {
                    // Not listening yet.
                    return false;
                }
            },
            $"redis-server to answer PING on port {Port}",
            TimeSpan.FromSeconds(15));
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
                var length = int.Parse(header, provider: System.Globalization.CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return true;
                }

                position += length + 2;
                return position <= reply.Length;
            case (byte)'*':
                var count = int.Parse(header, provider: System.Globalization.CultureInfo.InvariantCulture);
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
