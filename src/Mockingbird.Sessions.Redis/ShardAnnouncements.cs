namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Which shards announced a queued job since a worker last took from them, and a wait that ends when one does.
/// Announcements are level, not edge: a shard stays announced until taken from, so none is lost between waits.
/// </summary>
internal sealed class ShardAnnouncements(int shards)
{
    private readonly Lock _gate = new();
    private readonly bool[] _announced = new bool[shards];
    private TaskCompletionSource? _waiting;

    public void Announce(int shard)
    {
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            _announced[shard] = true;
            waiting = _waiting;
            _waiting = null;
        }

        waiting?.TrySetResult();
    }

    /// <summary>The announced shards, no longer announced.</summary>
    public IReadOnlyList<int> Take()
    {
        lock (_gate)
        {
            var taken = new List<int>();
            for (var shard = 0; shard < _announced.Length; shard++)
            {
                if (_announced[shard])
                {
                    taken.Add(shard);
                    _announced[shard] = false;
                }
            }

            return taken;
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Array.IndexOf(_announced, true) >= 0)
            {
                return Task.CompletedTask;
            }

            _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiting.Task.WaitAsync(cancellationToken);
        }
    }
}
