using Mockingbird.Interview.Sessions;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// The sessions this process last wrote or read, each with the exact value stored for it, so that reading back a value
/// it already holds costs a comparison instead of a decode (about 60 µs for a session late in an interview, most of a
/// turn's CPU in the store). Within one process the answer request reads what the worker saved, and the worker takes
/// what the request wrote. A session is reused only when the value read is byte for byte the value kept, so a write by
/// any other process, or a value rewritten in Redis by hand, is decoded afresh. A session the process wrote itself is
/// kept with the version and stamp it wrote, so that the next input can be decided on it without a read, its write
/// naming that stamp. Sessions are immutable records, so one may be handed to several readers at once.
/// </summary>
/// <remarks>
/// Kept as two generations of at most half the capacity each. When the newer fills, and at every turnover of the
/// clock, the older is dropped and the newer takes its place; a session found in the older moves to the newer. So what
/// is read every turn stays, and a session neither read nor written for two turnovers is gone from memory however
/// quiet the process is: another replica's copy of a candidate who ran forget-me does not outlive that by long.
/// </remarks>
internal sealed class RecentSessions : IDisposable
{
    /// <summary>
    /// Stored values larger than this (long answers, many turns) are decoded on every read rather than kept, so what
    /// is held stays within about 60 KB a session: a full interview of 190-character answers stores about 1.2 KB.
    /// </summary>
    internal const int LargestKept = 8 * 1024;

    private readonly Lock _gate = new();
    private readonly int _perGeneration;
    private readonly ITimer _turnover;
    private Dictionary<string, Entry> _newer = new(StringComparer.Ordinal);
    private Dictionary<string, Entry> _older = new(StringComparer.Ordinal);

    public RecentSessions(int capacity, TimeSpan turnover, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        ArgumentNullException.ThrowIfNull(time);
        _perGeneration = capacity / 2;
        _turnover = time.CreateTimer(_ => TurnOver(), null, turnover, turnover);
    }

    /// <summary>Sessions kept, for tests.</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _newer.Count + _older.Count;
            }
        }
    }

    /// <returns>The session kept for <paramref name="candidateId"/> if <paramref name="stored"/> is its value; otherwise <c>null</c>.</returns>
    /// <param name="version">The version Redis holds the value at: the same bytes at another version were written again, perhaps elsewhere.</param>
    public InterviewSession? Find(string candidateId, ReadOnlySpan<byte> stored, long version)
    {
        lock (_gate)
        {
            if (_newer.TryGetValue(candidateId, out var newer))
            {
                if (!stored.SequenceEqual(newer.Stored))
                {
                    return null;
                }

                if (newer.Version != version)
                {
                    _newer[candidateId] = newer with { Version = version, Stamp = null };
                }

                return newer.Session;
            }

            // Only a session still current moves up: a stale one would push others out for nothing.
            if (_older.TryGetValue(candidateId, out var older) && stored.SequenceEqual(older.Stored))
            {
                KeepLocked(candidateId, older.Version == version ? older : older with { Version = version, Stamp = null });
                return older.Session;
            }

            return null;
        }
    }

    /// <summary>
    /// The session this process itself last wrote for <paramref name="candidateId"/>, with the version and stamp it
    /// wrote, if nothing has replaced it here since; whether Redis still holds it is for a write to find out.
    /// </summary>
    public WrittenSession? LastWritten(string candidateId)
    {
        lock (_gate)
        {
            if (_newer.TryGetValue(candidateId, out var newer))
            {
                return newer.Stamp is { } stamp ? new WrittenSession(newer.Session, newer.Version, stamp) : null;
            }

            if (_older.TryGetValue(candidateId, out var older) && older.Stamp is { } olderStamp)
            {
                KeepLocked(candidateId, older);
                return new WrittenSession(older.Session, older.Version, olderStamp);
            }

            return null;
        }
    }

    /// <param name="stored">The value as Redis holds it; it must not be changed afterwards.</param>
    /// <param name="stamp">What this process wrote beside the value, when it wrote it; <c>null</c> for a value read.</param>
    public void Keep(string candidateId, byte[] stored, InterviewSession session, long version, string? stamp = null)
    {
        lock (_gate)
        {
            if (stored.Length > LargestKept)
            {
                _newer.Remove(candidateId);
                _older.Remove(candidateId);
                return;
            }

            KeepLocked(candidateId, new Entry(stored, session, version, stamp));
        }
    }

    public void Forget(string candidateId)
    {
        lock (_gate)
        {
            _newer.Remove(candidateId);
            _older.Remove(candidateId);
        }
    }

    public void Dispose() => _turnover.Dispose();

    private void TurnOver()
    {
        lock (_gate)
        {
            TurnOverLocked();
        }
    }

    private void TurnOverLocked()
    {
        _older = _newer;
        _newer = new Dictionary<string, Entry>(StringComparer.Ordinal);
    }

    private void KeepLocked(string candidateId, Entry entry)
    {
        if (_newer.Count >= _perGeneration && !_newer.ContainsKey(candidateId))
        {
            TurnOverLocked();
        }

        _newer[candidateId] = entry;
        _older.Remove(candidateId);
    }

    private sealed record Entry(byte[] Stored, InterviewSession Session, long Version, string? Stamp);
}

/// <summary>A session as this process wrote it: the version it was written at and the stamp written with it.</summary>
internal sealed record WrittenSession(InterviewSession Session, long Version, string Stamp);
