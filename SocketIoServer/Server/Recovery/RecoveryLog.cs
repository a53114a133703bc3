using System.Globalization;

namespace SocketIoServer.Server.Recovery;

/// <summary>
/// The in-memory adapter's record for connection state recovery (Node.js's <c>SessionAwareAdapter</c>): the sessions
/// of disconnected sockets by pid, and every event broadcast without an acknowledgement or the volatile flag, with its
/// offset, for <see cref="ConnectionStateRecoveryOptions.MaxDisconnectionDuration"/>. Expired entries are dropped
/// every minute, as Node.js does. Callers hold <see cref="Gate"/>: broadcasts are stored and delivered under it, so
/// that a socket going live sees each event exactly once.
/// </summary>
internal sealed class RecoveryLog : IDisposable
{
    private static readonly TimeSpan CleanupPeriod = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly TimeSpan _maxDisconnection;
    private readonly Dictionary<string, (PersistedSession Session, long DisconnectedAt)> _sessions = new(StringComparer.Ordinal);
    // packets in emission order; sequence numbers are consecutive, so an offset finds its packet by subtraction
    private readonly Queue<StoredPacket> _packets = new();
    private long _nextSequence = 1;
    private ITimer? _cleanup;

    private readonly record struct StoredPacket(long Sequence, BroadcastPacket Packet, BroadcastOptions Options, long EmittedAt);

    public RecoveryLog(ConnectionStateRecoveryOptions options, TimeProvider time)
    {
        _time = time;
        _maxDisconnection = options.MaxDisconnectionDuration;
        // a random prefix keeps offsets of an earlier process or another namespace from matching this one's packets
        _offsetPrefix = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)).ToLowerInvariant() + "-";
    }

    private readonly string _offsetPrefix;

    public Lock Gate { get; } = new();

    /// <summary>The sequence number of the last stored packet (0 when none yet).</summary>
    public long LastSequence => _nextSequence - 1;

    /// <summary>Stores an event; returns it with its offset appended as the last argument. Under <see cref="Gate"/>.</summary>
    public BroadcastPacket Append(BroadcastPacket packet, BroadcastOptions options)
    {
        var sequence = _nextSequence++;
        var args = new object?[packet.Args.Count + 1];
        for (var i = 0; i < packet.Args.Count; i++) args[i] = packet.Args[i];
        args[^1] = _offsetPrefix + sequence.ToString(CultureInfo.InvariantCulture);
        var stored = new BroadcastPacket(packet.Namespace, packet.EventName, args);
        _packets.Enqueue(new StoredPacket(sequence, stored, options, _time.GetTimestamp()));
        EnsureCleanup();
        return stored;
    }

    /// <summary>Keeps a disconnected socket's session. Under <see cref="Gate"/>.</summary>
    public void Persist(PersistedSession session)
    {
        _sessions[session.Pid] = (session, _time.GetTimestamp());
        EnsureCleanup();
    }

    /// <summary>
    /// Takes the session back (once: a pid is good for one recovery) with the events after <paramref name="offset"/>
    /// that reach its rooms; null when the pid is unknown, the session expired, or the offset is no longer (or never
    /// was) stored. Under <see cref="Gate"/>.
    /// </summary>
    public RecoveredSession? Restore(string pid, string offset)
    {
        if (!_sessions.Remove(pid, out var entry)) return null;
        if (IsExpired(entry.DisconnectedAt)) return null;
        if (!TryParseOffset(offset, out var sequence) || !_packets.TryPeek(out var first)) return null;
        if (sequence < first.Sequence || sequence > LastSequence) return null; // too old, or not ours

        return new RecoveredSession(entry.Session, StoredSince(sequence, entry.Session.Rooms), LastSequence);
    }

    /// <summary>The events stored after <paramref name="position"/> that reach <paramref name="rooms"/>. Under <see cref="Gate"/>.</summary>
    public List<BroadcastPacket> StoredSince(long position, IReadOnlyList<string> rooms)
    {
        var result = new List<BroadcastPacket>();
        foreach (var stored in _packets)
            if (stored.Sequence > position && Reaches(stored.Options, rooms)) result.Add(stored.Packet);
        return result;
    }

    private bool TryParseOffset(string offset, out long sequence)
    {
        sequence = 0;
        return offset.StartsWith(_offsetPrefix, StringComparison.Ordinal)
            && long.TryParse(offset.AsSpan(_offsetPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>Node.js's <c>shouldIncludePacket</c>: in one of the target rooms (or no rooms named), in none excluded.</summary>
    internal static bool Reaches(BroadcastOptions options, IReadOnlyList<string> rooms)
    {
        var included = options.Rooms.Count == 0;
        foreach (var room in rooms)
        {
            if (options.Except.Contains(room)) return false;
            if (!included && options.Rooms.Contains(room)) included = true;
        }
        return included;
    }

    // monotonic time: a clock change neither expires sessions early nor keeps them forever
    private bool IsExpired(long timestamp) => _time.GetElapsedTime(timestamp) > _maxDisconnection;

    private void EnsureCleanup() =>
        _cleanup ??= _time.CreateTimer(static s => ((RecoveryLog)s!).DropExpired(), this, CleanupPeriod, CleanupPeriod);

    private void DropExpired()
    {
        lock (Gate)
        {
            foreach (var (pid, entry) in _sessions.ToList())
                if (IsExpired(entry.DisconnectedAt)) _sessions.Remove(pid);
            while (_packets.TryPeek(out var first) && IsExpired(first.EmittedAt)) _packets.Dequeue();
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            _cleanup?.Dispose();
            _cleanup = null;
            _sessions.Clear();
            _packets.Clear();
        }
    }
}
