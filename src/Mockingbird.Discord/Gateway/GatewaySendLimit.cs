namespace Mockingbird.Discord.Gateway;

/// <summary>
/// Discord closes a connection that sends more than 120 events in 60 seconds. Each connection gets one of these;
/// a send that would exceed the window waits until the oldest send leaves it.
/// </summary>
internal sealed class GatewaySendLimit(TimeProvider time, int limit = GatewaySendLimit.DefaultLimit, TimeSpan? window = null)
{
    public const int DefaultLimit = 120;

    private readonly TimeSpan _window = window ?? TimeSpan.FromSeconds(60);
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly Lock _gate = new();

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                while (_sent.Count > 0 && now - _sent.Peek() >= _window)
                {
                    _sent.Dequeue();
                }

                if (_sent.Count < limit)
                {
                    _sent.Enqueue(now);
                    return;
                }

                wait = _sent.Peek() + _window - now;
            }

            await Task.Delay(wait, time, cancellationToken);
        }
    }
}
