using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Mockingbird.Testing;

/// <summary>
/// One <c>redis-server</c> process on a loopback port with its data in a directory of its own: started, awaited
/// until it answers, killed outright. What kind of server it is (single, cluster node) is in the extra arguments.
/// </summary>
internal sealed class RedisProcess(string binary, int port, string directory, IReadOnlyList<string> settings)
{
    private Process? _process;

    public int Port { get; } = port;

    public bool IsRunning => _process is { HasExited: false };

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var arg in new[]
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory,
            "--save", string.Empty, "--daemonize", "no", "--loglevel", "warning",
        }.Concat(settings))
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
                    return (await RespClient.CommandAsync(Port, "PING")).StartsWith("+PONG", StringComparison.Ordinal);
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

    /// <summary>SIGKILL, as a crash would: nothing is flushed that the fsync policy had not flushed already.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Deletes a fixture's directory once its servers are gone.</summary>
    public static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process: the temp directory is cleaned by the system.
        }
    }
}
