using System.Diagnostics;
using System.Text;

namespace Mockingbird.Testing;

/// <summary>
/// The bot as users run it: <c>dotnet mockingbird.dll bot &lt;platform&gt;</c> in a process of its own, configured through
/// <c>MOCKINGBIRD_</c> environment variables as a shell or container would. Its output is kept for asserts and
/// failure messages, and it never outlives the test.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private BotProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public string State => _process.HasExited ? $"exited with {_process.ExitCode}" : "running";

    /// <param name="settings">Configuration keys as in appsettings (<c>Slack:BotToken</c>); passed as environment variables.</param>
    /// <param name="urls">Where Kestrel listens; any free loopback port by default.</param>
    public static BotProcess Start(string platform, IReadOnlyDictionary<string, string> settings, string urls = "http://127.0.0.1:0")
    {
        ArgumentNullException.ThrowIfNull(settings);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mockingbird.dll"));
        start.ArgumentList.Add("bot");
        start.ArgumentList.Add(platform);

        // Only what the test says: a developer's own MOCKINGBIRD_ settings must not leak in.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("MOCKINGBIRD_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_URLS"] = urls;
        foreach (var (key, value) in settings)
        {
            start.Environment["MOCKINGBIRD_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start };
        var bot = new BotProcess(process);
        process.OutputDataReceived += (_, e) => bot.Append(e.Data);
        process.ErrorDataReceived += (_, e) => bot.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    /// <summary>SIGKILL: no shutdown hook runs, nothing in flight is finished or recorded.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), TimeProvider.System);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
