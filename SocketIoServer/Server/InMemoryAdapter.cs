using System.Text.Json.Nodes;
using SocketIoServer.Server.Recovery;

namespace SocketIoServer.Server;

/// <summary>
/// The single-node adapter: rooms in memory under one lock that is never held across an await, and broadcasts
/// encoded once and queued on each receiver's connection.
/// </summary>
public class InMemoryAdapter : IAdapter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _sids = new(StringComparer.Ordinal);

    // set when connection state recovery is on
    private readonly RecoveryLog? _recovery;

    public InMemoryAdapter(Namespace nsp) : this(nsp, keepsRecoveryLog: true)
    {
    }

    /// <summary>
    /// <paramref name="keepsRecoveryLog"/> false: a cluster adapter that keeps sessions and events elsewhere (in Redis)
    /// and overrides the recovery methods; this one then only delivers.
    /// </summary>
    protected InMemoryAdapter(Namespace nsp, bool keepsRecoveryLog)
    {
        Namespace = nsp;
        if (keepsRecoveryLog && nsp.Server.Options.ConnectionStateRecovery is { } recovery) _recovery = new RecoveryLog(recovery, nsp.Server.Time);
    }

    public Namespace Namespace { get; }

    public virtual Task InitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        _recovery?.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    public void AddAll(string socketId, IEnumerable<string> rooms)
    {
        lock (_gate)
        {
            if (!_sids.TryGetValue(socketId, out var joined)) _sids[socketId] = joined = new HashSet<string>(StringComparer.Ordinal);
            foreach (var room in rooms)
            {
                joined.Add(room);
                if (!_rooms.TryGetValue(room, out var members)) _rooms[room] = members = new HashSet<string>(StringComparer.Ordinal);
                members.Add(socketId);
            }
        }
    }

    public void Del(string socketId, string room)
    {
        lock (_gate)
        {
            if (_sids.TryGetValue(socketId, out var joined)) joined.Remove(room);
            RemoveFromRoom(socketId, room);
        }
    }

    public virtual void DelAll(string socketId)
    {
        lock (_gate)
        {
            if (!_sids.Remove(socketId, out var joined)) return;
            foreach (var room in joined) RemoveFromRoom(socketId, room);
        }
    }

    private void RemoveFromRoom(string socketId, string room)
    {
        if (_rooms.TryGetValue(room, out var members) && members.Remove(socketId) && members.Count == 0)
            _rooms.Remove(room);
    }

    public IReadOnlySet<string> SocketRooms(string socketId)
    {
        lock (_gate)
            return _sids.TryGetValue(socketId, out var joined) ? new HashSet<string>(joined, StringComparer.Ordinal) : BroadcastOptions.EmptySet;
    }

    /// <summary>Whether any local socket is in the room (without copying the room table, as <see cref="Rooms"/> does).</summary>
    public bool HasRoom(string room)
    {
        lock (_gate) return _rooms.ContainsKey(room);
    }

    public IReadOnlyDictionary<string, int> Rooms
    {
        get
        {
            lock (_gate) return _rooms.ToDictionary(r => r.Key, r => r.Value.Count, StringComparer.Ordinal);
        }
    }

    public virtual Task BroadcastAsync(BroadcastPacket packet, BroadcastOptions options)
    {
        if (_recovery is not null && packet.AckId is null && !options.Volatile)
        {
            // stored with its offset, and delivered under the same lock, so a socket going live (ResumeSession)
            // gets each event either from the log or live, never both, never neither
            lock (_recovery.Gate) Deliver(_recovery.Append(packet, options), options);
        }
        else
        {
            Deliver(packet, options);
        }
        return Task.CompletedTask;
    }

    public virtual Task PersistSessionAsync(PersistedSession session)
    {
        if (_recovery is not null)
            lock (_recovery.Gate) _recovery.Persist(session);
        return Task.CompletedTask;
    }

    public virtual Task<RecoveredSession?> RestoreSessionAsync(string pid, string offset)
    {
        if (_recovery is null) return Task.FromResult<RecoveredSession?>(null);
        lock (_recovery.Gate) return Task.FromResult(_recovery.Restore(pid, offset));
    }

    public virtual void ResumeSession(Socket socket, RecoveredSession session, Action goLive)
    {
        if (_recovery is null)
        {
            goLive();
            return;
        }
        lock (_recovery.Gate)
        {
            foreach (var packet in _recovery.StoredSince(session.Position, session.Session.Rooms)) socket.WriteStored(packet);
            goLive();
        }
    }

    private void Deliver(BroadcastPacket packet, BroadcastOptions options)
    {
        var encoded = packet.EncodeWith(Namespace.Server.Parser);
        var targets = RentTargets(options);
        try
        {
            if (targets.Count < BroadcastFlush.MinReceivers)
            {
                foreach (var socket in targets)
                {
                    socket.NotifyOutgoing(packet.EventName, packet.Args);
                    socket.Client.Write(encoded, options.Volatile, options.Compress);
                }
            }
            else
            {
                foreach (var socket in targets)
                {
                    socket.NotifyOutgoing(packet.EventName, packet.Args);
                    socket.Client.WriteDeferred(encoded, options.Volatile, options.Compress);
                }
                BroadcastFlush.Schedule(targets);
            }
        }
        finally
        {
            ReturnTargets(targets);
        }
    }

    public virtual Task BroadcastWithAckAsync(BroadcastPacket packet, BroadcastOptions options, Action<int> clientCount, Action<JsonNode?[]> onAck)
    {
        var encoded = packet.EncodeWith(Namespace.Server.Parser);
        var count = 0;
        var targets = RentTargets(options);
        try
        {
            foreach (var socket in targets)
            {
                socket.RegisterAck(packet.AckId!.Value, onAck);
                socket.NotifyOutgoing(packet.EventName, packet.Args);
                if (socket.Client.Write(encoded, options.Volatile, options.Compress)) count++;
                else socket.UnregisterAck(packet.AckId!.Value);
            }
        }
        finally
        {
            ReturnTargets(targets);
        }
        clientCount(count);
        return Task.CompletedTask;
    }

    // A broadcast's receivers are gathered into a list reused per thread, so a delivery allocates nothing.
    [ThreadStatic] private static List<Socket>? _spareTargets;

    private List<Socket> RentTargets(BroadcastOptions options)
    {
        var list = _spareTargets ?? new List<Socket>();
        _spareTargets = null; // a broadcast started from inside this one gets its own list
        CollectLocalSockets(options, list);
        return list;
    }

    private static void ReturnTargets(List<Socket> list)
    {
        list.Clear();
        if (list.Capacity <= 65_536) _spareTargets = list;
    }

    public virtual Task<IReadOnlySet<string>> SocketsAsync(IReadOnlySet<string> rooms)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var socket in LocalSockets(new BroadcastOptions { Rooms = rooms })) ids.Add(socket.Id);
        return Task.FromResult<IReadOnlySet<string>>(ids);
    }

    public virtual Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options) =>
        Task.FromResult<IReadOnlyList<RemoteSocket>>(LocalSockets(options).Select(s => s.ToRemote()).ToList());

    public virtual Task AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var socket in LocalSockets(options)) socket.Join(rooms);
        return Task.CompletedTask;
    }

    public virtual Task DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var socket in LocalSockets(options))
            foreach (var room in rooms) socket.Leave(room);
        return Task.CompletedTask;
    }

    public virtual Task DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        foreach (var socket in LocalSockets(options)) socket.Disconnect(close);
        return Task.CompletedTask;
    }

    public virtual Task<IReadOnlyList<JsonNode?[]>> ServerSideEmitAsync(string eventName, IReadOnlyList<object?> args, bool expectAck, TimeSpan? timeout) =>
        Task.FromResult<IReadOnlyList<JsonNode?[]>>(Array.Empty<JsonNode?[]>()); // no other node to reach

    public virtual Task<int> ServerCountAsync() => Task.FromResult(1);

    /// <summary>The connected local sockets a broadcast with <paramref name="options"/> reaches.</summary>
    public List<Socket> LocalSockets(BroadcastOptions options)
    {
        var result = new List<Socket>();
        CollectLocalSockets(options, result);
        return result;
    }

    private void CollectLocalSockets(BroadcastOptions options, List<Socket> result)
    {
        lock (_gate)
        {
            if (options.Rooms.Count == 1)
            {
                // one room: its members are distinct already
                foreach (var room in options.Rooms)
                    if (_rooms.TryGetValue(room, out var members)) CollectMembers(members, options, result, seen: null);
            }
            else if (options.Rooms.Count > 1)
            {
                var seen = _spareSeen ?? new HashSet<string>(StringComparer.Ordinal);
                _spareSeen = null;
                foreach (var room in options.Rooms)
                    if (_rooms.TryGetValue(room, out var members)) CollectMembers(members, options, result, seen);
                seen.Clear();
                if (seen.Capacity <= 65_536) _spareSeen = seen;
            }
            else
            {
                foreach (var id in _sids.Keys)
                {
                    if (IsExcluded(id, options)) continue;
                    if (Namespace.TryGetSocket(id, out var socket)) result.Add(socket);
                }
            }
        }
    }

    // the ids already taken by a broadcast to several rooms, reused per thread like the target lists
    [ThreadStatic] private static HashSet<string>? _spareSeen;

    private void CollectMembers(HashSet<string> members, BroadcastOptions options, List<Socket> result, HashSet<string>? seen)
    {
        foreach (var id in members)
        {
            if (seen is not null && !seen.Add(id)) continue;
            if (IsExcluded(id, options)) continue;
            if (Namespace.TryGetSocket(id, out var socket)) result.Add(socket);
        }
    }

    private bool IsExcluded(string socketId, BroadcastOptions options)
    {
        if (options.Except.Count == 0) return false;
        if (!_sids.TryGetValue(socketId, out var joined)) return false;
        foreach (var room in options.Except)
            if (joined.Contains(room)) return true;
        return false;
    }
}
