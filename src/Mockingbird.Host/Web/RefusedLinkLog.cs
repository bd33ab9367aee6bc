using Microsoft.Extensions.Logging;

namespace Mockingbird.Host.Web;

/// <summary>
/// Refused links are logged one a minute at most, the next line counting those in between: anyone can ask for the
/// pages without a link, and a line per request would let them fill the log.
/// </summary>
internal sealed partial class RefusedLinkLog(TimeProvider time, ILoggerFactory loggers)
{
    public static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger = loggers.CreateLogger(typeof(WebPages));
    private readonly Lock _gate = new();
    private DateTimeOffset _quietUntil = DateTimeOffset.MinValue;
    private int _unlogged;

    public void Refused(WebPage page, TokenRefusal refusal)
    {
        int unlogged;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now < _quietUntil)
            {
                _unlogged++;
                return;
            }

            (unlogged, _unlogged, _quietUntil) = (_unlogged, 0, now + Quiet);
        }

        if (unlogged == 0)
            Log.Refused(_logger, page, refusal);
        else
            Log.RefusedWithMore(_logger, page, refusal, unlogged);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Refused a link to the {Page} page: {Refusal}")]
        public static partial void Refused(ILogger logger, WebPage page, TokenRefusal refusal);

        [LoggerMessage(2, LogLevel.Information, "Refused a link to the {Page} page: {Refusal}; {Unlogged} more refused since the last line, not logged one by one")]
        public static partial void RefusedWithMore(ILogger logger, WebPage page, TokenRefusal refusal, int unlogged);
    }
}
