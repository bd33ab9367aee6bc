using System.Globalization;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Which shards announced a queued job since a worker last took from them, and a wait that ends when one does.
/// Announcements are level, not edge: a shard stays announced until taken from, so none is lost between waits.
/// <para>
/// Each announcement names its job's stream entry id, which says when Redis queued it. The shards are handed out
/// oldest waiting job first: a take usually fills every free place from the first shard it visits, so visiting in a
/// fixed turn let one shard's backlog grow while its turn came round, and its jobs waited several turns. A shard's age
/// is its oldest remembered id not yet taken, or, for jobs no remembered id covers (several queued under one
/// announcement, past the bound, or queued before the subscription), the last entry a take returned before them.
/// Ids of jobs another worker took are dropped once a take here returns a later entry of the same shard, or none.
/// </para>
/// </summary>
internal sealed class ShardAnnouncements(int shards, TimeProvider time)
{
    /// <summary>Ids remembered per shard; later jobs are known only by the last entry taken before them.</summary>
    internal const int MostRemembered = 4096;

    private readonly Lock _gate = new();
    private readonly bool[] _announced = new bool[shards];
    private readonly Queue<EntryId>[] _waiting = [.. Enumerable.Range(0, shards).Select(_ => new Queue<EntryId>())];
    private readonly EntryId?[] _unknownSince = new EntryId?[shards];
    private EntryId? _latest;
    private TaskCompletionSource? _waiter;
    private int _heard;

    /// <summary>Announcements heard since the start.</summary>
    public int Heard => Volatile.Read(ref _heard);

    /// <summary>A job was queued on the shard as stream entry <paramref name="entryId"/> (older versions name none).</summary>
    public void Announce(int shard, string? entryId)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            var id = EntryId.TryParse(entryId, out var parsed) ? parsed : Now;
            Seen(id);
            if (_waiting[shard].Count < MostRemembered)
            {
                _waiting[shard].Enqueue(id);
            }
            else
            {
                _unknownSince[shard] ??= id;
            }

            waiter = Flag(shard);
        }

        Interlocked.Increment(ref _heard);
        waiter?.TrySetResult();
    }

    /// <summary>
    /// The shard may hold jobs a take has not reached (left unvisited, or a take got all it asked for): it counts as
    /// announced. With <paramref name="beforeAny"/> its jobs are older than any (those queued before the subscription).
    /// </summary>
    public void StillWaiting(int shard, bool beforeAny = false)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (beforeAny)
            {
                _unknownSince[shard] = default(EntryId);
            }

            waiter = Flag(shard);
        }

        waiter?.TrySetResult();
    }

    /// <summary>
    /// A take from the shard returned jobs up to entry <paramref name="lastTaken"/> (null for none);
    /// <paramref name="drained"/> when it got fewer than it asked for, so nothing announced before it still waits.
    /// </summary>
    public void Taken(int shard, string? lastTaken, bool drained)
    {
        lock (_gate)
        {
            var waiting = _waiting[shard];
            if (!EntryId.TryParse(lastTaken, out var last))
            {
                if (drained)
                {
                    waiting.Clear();
                    _unknownSince[shard] = null;
                }

                return;
            }

            Seen(last);
            while (waiting.TryPeek(out var head) && head.CompareTo(last) <= 0)
            {
                waiting.Dequeue();
            }

            if (drained)
            {
                // Nothing up to the last entry waits; ids after it are jobs queued since the take read the shard.
                _unknownSince[shard] = null;
                return;
            }

            // Whatever the shard holds that no remembered id covers was queued after the last entry taken.
            if (waiting.Count == 0 || _unknownSince[shard] is not null)
            {
                _unknownSince[shard] = last;
            }
        }
    }

    /// <summary>The announced shards, the one whose oldest waiting job was queued first leading; no longer announced.</summary>
    public IReadOnlyList<int> Take()
    {
        lock (_gate)
        {
            var taken = new List<(int Shard, EntryId Since)>();
            for (var shard = 0; shard < _announced.Length; shard++)
            {
                if (_announced[shard])
                {
                    taken.Add((shard, Since(shard)));
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

    /// <summary>Now on Redis's clock, as far as the ids seen tell it; the local clock only until one has been seen.</summary>
    private EntryId Now => _latest ?? new(time.GetUtcNow().ToUnixTimeMilliseconds(), 0);

    private EntryId Since(int shard)
    {
        var since = _waiting[shard].TryPeek(out var head) ? head : (EntryId?)null;
        if (_unknownSince[shard] is { } unknown && (since is null || unknown.CompareTo(since.Value) < 0))
        {
            since = unknown;
        }

        return since ?? Now;
    }

    private void Seen(EntryId id)
    {
        if (_latest is not { } latest || id.CompareTo(latest) > 0)
        {
            _latest = id;
        }
    }

    private TaskCompletionSource? Flag(int shard)
    {
        _announced[shard] = true;
        var waiter = _waiter;
        _waiter = null;
        return waiter;
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
