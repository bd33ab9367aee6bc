using Microsoft.Extensions.Logging;

namespace Mockingbird.Testing;

/// <summary>Keeps every log entry written through it, formatted, with its exception and structured values, so tests can search them.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    /// <summary>Waits until an entry holds <paramref name="text"/>: for a step that is only observable in the log.</summary>
    public Task WaitForAsync(string text, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Entries.Any(e => e.Contains(text, StringComparison.Ordinal)), $"a log entry holding '{text}'", timeout ?? TimeSpan.FromSeconds(30));

    public void Dispose()
    {
    }

    private void Add(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }

    private sealed class Recorder(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            owner.Add($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
