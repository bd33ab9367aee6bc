using System.Net;
using System.Net.Sockets;

namespace Mockingbird.Testing;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, owned by the test that started it: persistent (append-only
/// file, fsync on every write) so it can be stopped and restarted without losing data, and removed on dispose.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly RedisProcess _process;

    private RedisServer(string binary, int port, string appendFsync)
    {
        _directory = Directory.CreateTempSubdirectory("redis-test-").FullName;
        _process = new RedisProcess(binary, port, _directory, ["--appendonly", "yes", "--appendfsync", appendFsync]);
    }

    public int Port => _process.Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <param name="appendFsync"><c>always</c> (the default: nothing acknowledged is lost on a crash) or <c>everysec</c>, as production usually runs.</param>
    public static async Task<RedisServer> StartAsync(string appendFsync = "always")
    {
        var server = new RedisServer(FindBinary("redis-server"), FreePort(), appendFsync);
        await server._process.StartAsync();
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
    public Task StopAsync() => _process.KillAsync();

    public async Task RestartAsync()
    {
        await StopAsync();
        await _process.StartAsync();
    }

    /// <summary>Sends one command over a fresh connection and returns the raw reply.</summary>
    public Task<string> CommandAsync(params string[] parts) => RespClient.CommandAsync(Port, parts);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        RedisProcess.DeleteDirectory(_directory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
