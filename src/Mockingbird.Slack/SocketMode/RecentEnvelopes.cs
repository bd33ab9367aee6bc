namespace Mockingbird.Slack.SocketMode;

/// <summary>
/// Envelope ids seen in the last few minutes. With several sockets open and at-least-once delivery, Slack can hand the
/// same envelope to two connections, or send it again when an ack was lost with a dropped socket. This only catches
/// repeats of one envelope id in this process; events that come back under a new envelope id are caught further up,
/// where the app deduplicates by the Events API <c>event_id</c>.
/// </summary>
internal sealed class RecentEnvelopes
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset At)> _order = new();

    public RecentEnvelopes(TimeProvider time, TimeSpan window, int capacity = 100_000)
    {
        _time = time;
        _window = window;
        _capacity = capacity;
    }

    /// <summary>True the first time an id is seen within the window; false for a repeat.</summary>
    public bool TryRemember(string envelopeId)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            Forget(now);
            if (_seen.ContainsKey(envelopeId))
            {
                return false;
            }

            _seen[envelopeId] = now;
            _order.Enqueue((envelopeId, now));
            return true;
        }
    }

    /// <summary>Forgets an id, so its next delivery counts as new (its first could not be recorded).</summary>
    public void Forget(string envelopeId)
    {
        lock (_gate)
        {
            _seen.Remove(envelopeId);
        }
    }

    private void Forget(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && (now - oldest.At >= _window || _order.Count > _capacity))
        {
            _order.Dequeue();
            if (_seen.TryGetValue(oldest.Id, out var at) && at == oldest.At)
            {
                // Not an id forgotten and remembered again since: that one keeps its own, later entry.
                _seen.Remove(oldest.Id);
            }
        }
    }
}
