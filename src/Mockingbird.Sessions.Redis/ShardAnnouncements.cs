using System.Globalization;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Which shards announced a queued job since a worker last took from them, and a wait that ends when one does.
/// Announcements are level, not edge: a shard stays announced until taken from, so none is lost between waits.
/// <para>
/// Each announcement names its job's stream entry id, which says when Redis queued it. The shards are handed out
/// oldest waiting job first: a take usually fills every free place from the first shard it visits, so visiting in a
/// fixed turn let one shard's backlog grow while its turn came round, and its jobs waited several turns. The ids of
/// jobs another worker took are dropped once a take here returns a later entry of the same shard, or none at all.
/// </para>
/// </summary>
internal sealed class ShardAnnouncements(int shards, TimeProvider time)
{
    /// <summary>Ids remembered per shard; past this a shard's later jobs are known only as waiting, not by age.</summary>
    internal const int MostRemembered = 4096;

    private readonly Lock _gate = new();
    private readonly bool[] _announced = new bool[shards];
    private readonly Queue<EntryId>[] _waiting = [.. Enumerable.Range(0, shards).Select(_ => new Queue<EntryId>())];
    private readonly EntryId[] _announcedAt = new EntryId[shards];
    private TaskCompletionSource? _waiter;
    private int _heard;

    /// <summary>Announcements heard since the start.</summary>
    public int Heard => Volatile.Read(ref _heard);

    /// <summary>A job was queued on the shard as stream entry <paramref name="entryId"/>.</summary>
    public void Announce(int shard, string? entryId)
    {
        Mark(shard, EntryId.TryParse(entryId, out var id) ? id : Now, remember: true);
        Interlocked.Increment(ref _heard);
    }

    /// <summary>
    /// The shard may hold jobs not announced here (left unvisited, a take that got all it asked for, jobs queued
    /// before the subscription): it counts as announced, its jobs as queued now, or as older than any when
    /// <paramref name="oldest"/>.
    /// </summary>
    public void StillWaiting(int shard, bool oldest = false) => Mark(shard, oldest ? default : Now, remember: false);

    /// <summary>
    /// A take from the shard returned jobs up to entry <paramref name="lastTaken"/> (null for none);
    /// <paramref name="drained"/> when it got fewer than it asked for, so nothing announced before it still waits.
    /// </summary>
    public void Taken(int shard, string? lastTaken, bool drained)
    {
        lock (_gate)
        {
            var waiting = _waiting[shard];
            if (drained)
            {
                waiting.Clear();
                return;
            }

            if (EntryId.TryParse(lastTaken, out var last))
            {
                while (waiting.TryPeek(out var head) && head.CompareTo(last) <= 0)
                {
                    waiting.Dequeue();
                }
            }
        }
    }

    /// <summary>The announced shards, the one whose oldest known job was queued first leading; no longer announced.</summary>
    public IReadOnlyList<int> Take()
    {
        lock (_gate)
        {
            var taken = new List<(int Shard, EntryId Since)>();
            for (var shard = 0; shard < _announced.Length; shard++)
            {
                if (_announced[shard])
                {
                    var since = _waiting[shard].TryPeek(out var head) && head.CompareTo(_announcedAt[shard]) < 0 ? head : _announcedAt[shard];
                    taken.Add((shard, since));
                    _announced[shard] = false;
                }
            }

            taken.Sort((a, b) => a.Since.CompareTo(b.Since) is var order and not 0 ? order : a.Shard.CompareTo(b.Shard));
            return [.. taken.Select(shard => shard.Shard)];
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

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task.WaitAsync(cancellationToken);
        }
    }

    private EntryId Now => new(time.GetUtcNow().ToUnixTimeMilliseconds(), 0);

    private void Mark(int shard, EntryId since, bool remember)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (remember && _waiting[shard].Count < MostRemembered)
            {
                _waiting[shard].Enqueue(since);
            }

            if (!_announced[shard] || since.CompareTo(_announcedAt[shard]) < 0)
            {
                _announcedAt[shard] = since;
            }

            _announced[shard] = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>A stream entry id, <c>ms-seq</c>: when Redis queued the entry, and its place within that millisecond.</summary>
    private readonly record struct EntryId(long Milliseconds, long Sequence) : IComparable<EntryId>
    {
        public static bool TryParse(string? text, out EntryId id)
        {
            id = default;
            var dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
            if (dash <= 0
                || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
                || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return false;
            }

            id = new EntryId(milliseconds, sequence);
            return true;
        }

        public int CompareTo(EntryId other) =>
            Milliseconds != other.Milliseconds ? Milliseconds.CompareTo(other.Milliseconds) : Sequence.CompareTo(other.Sequence);
    }
}
