namespace SocketIoServer.Chat.Vocabularies.Task5;

/// <summary>
/// Seed 001's typing state: which socket is typing in which room, each with the timer of its automatic stop
/// (<see cref="Timeout"/> after the last <c>typing-start</c>; the seed's Redis key lives 5 s). The callback gets the
/// entry it was armed for, and <see cref="Expire"/> only ends that one, so a timer racing a new start stops nothing.
/// </summary>
internal sealed class TypingTimers(TimeProvider time, TimeSpan timeout) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, Entry>> _bySocket = new(StringComparer.Ordinal);

    public TimeSpan Timeout => timeout;

    public sealed class Entry(string socketId, string roomId)
    {
        public string SocketId { get; } = socketId;

        public string RoomId { get; } = roomId;

        internal ITimer? Timer { get; set; }
    }

    /// <summary>The socket types in the room: (re)arms its automatic stop.</summary>
    public void Start(string socketId, string roomId, Action<Entry> expired)
    {
        var entry = new Entry(socketId, roomId);
        lock (_gate)
        {
            if (!_bySocket.TryGetValue(socketId, out var rooms)) _bySocket[socketId] = rooms = new(StringComparer.Ordinal);
            if (rooms.Remove(roomId, out var previous)) previous.Timer?.Dispose();
            rooms[roomId] = entry;
            entry.Timer = time.CreateTimer(static s => ((ExpiredCallback)s!).Run(), new ExpiredCallback(entry, expired), timeout, System.Threading.Timeout.InfiniteTimeSpan);
        }
    }

    private sealed record ExpiredCallback(Entry Entry, Action<Entry> Expired)
    {
        public void Run() => Expired(Entry);
    }

    /// <summary>Ends the socket's typing in the room; whether it was typing there.</summary>
    public bool Stop(string socketId, string roomId)
    {
        lock (_gate) return StopLocked(socketId, roomId);
    }

    private bool StopLocked(string socketId, string roomId)
    {
        if (!_bySocket.TryGetValue(socketId, out var rooms) || !rooms.Remove(roomId, out var entry)) return false;
        if (rooms.Count == 0) _bySocket.Remove(socketId);
        entry.Timer?.Dispose();
        return true;
    }

    /// <summary>The timer of <paramref name="entry"/> ran out: ends it if it is still the current one.</summary>
    public bool Expire(Entry entry)
    {
        lock (_gate)
        {
            if (!_bySocket.TryGetValue(entry.SocketId, out var rooms) || !rooms.TryGetValue(entry.RoomId, out var current) || current != entry) return false;
            return StopLocked(entry.SocketId, entry.RoomId);
        }
    }

    /// <summary>Ends every typing of the socket (it disconnected); the rooms it was typing in.</summary>
    public IReadOnlyList<string> StopAll(string socketId)
    {
        lock (_gate)
        {
            if (!_bySocket.Remove(socketId, out var rooms)) return [];
            foreach (var entry in rooms.Values) entry.Timer?.Dispose();
            return [.. rooms.Keys];
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _bySocket.Values.SelectMany(r => r.Values)) entry.Timer?.Dispose();
            _bySocket.Clear();
        }
    }
}
