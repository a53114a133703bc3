using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SocketIoServer.Parser;
using SocketIoServer.Server.Recovery;

namespace SocketIoServer.Server;

/// <summary>
/// A client's connection to one namespace: events both ways, acknowledgements, rooms, and disconnection. Safe to
/// use from any thread; event handlers for one connection run one at a time, in arrival order.
/// </summary>
public sealed partial class Socket
{
    // created on first use: most sockets never wait for an acknowledgement or carry data
    private ConcurrentDictionary<long, AckWaiter>? _acks;
    private ConcurrentDictionary<string, object?>? _data;
    private int _state; // 0 pending, 1 connected, 2 disconnected

    internal Socket(Namespace nsp, Client client, Handshake handshake, RecoveredSession? recovered = null)
    {
        Namespace = nsp;
        Client = client;
        Handshake = handshake;
        if (recovered?.Session is { } session)
        {
            // the socket of a dropped connection, back: same id, private id, rooms and data
            Id = session.Sid;
            Pid = session.Pid;
            Recovered = true;
            Join(session.Rooms);
            if (session.Data.Count > 0)
                foreach (var (key, value) in session.Data) Data[key] = value;
        }
        else
        {
            Id = client.Connection.Protocol == 3 ? LegacyClientProtocol.SocketId(nsp.Name, client.Connection.Id) : Engine.EngineHandshake.NewSessionId();
            if (nsp.Server.Options.ConnectionStateRecovery is not null) Pid = Engine.EngineHandshake.NewSessionId();
        }
    }

    /// <summary>The socket id, unique per namespace connection (not the Engine.IO session id).</summary>
    public string Id { get; }

    /// <summary>
    /// The private session id that lets the client recover this socket after a dropped connection (sent only to it,
    /// in the CONNECT reply); null when connection state recovery is off.
    /// </summary>
    internal string? Pid { get; }

    /// <summary>Whether this socket was recovered after a temporary disconnection (its missed events were sent).</summary>
    public bool Recovered { get; }

    public Namespace Namespace { get; }

    public Handshake Handshake { get; }

    internal Client Client { get; }

    internal IPacketParser Parser => Namespace.Server.Parser;

    /// <summary>Free-form data attached to the socket (<c>socket.data</c>); visible through FetchSockets.</summary>
    public ConcurrentDictionary<string, object?> Data =>
        _data ?? Interlocked.CompareExchange(ref _data, new(StringComparer.Ordinal), null) ?? _data;

    private ConcurrentDictionary<long, AckWaiter> Acks =>
        _acks ?? Interlocked.CompareExchange(ref _acks, new(), null) ?? _acks;

    public bool IsConnected => System.Threading.Volatile.Read(ref _state) == 1;

    public bool IsDisconnected => System.Threading.Volatile.Read(ref _state) == 2;

    /// <summary>The transport in use: <c>polling</c> or <c>websocket</c>.</summary>
    public string Transport => Client.Connection.TransportName;

    /// <summary>The Engine.IO session id of the underlying connection.</summary>
    public string ConnectionId => Client.Connection.Id;

    /// <summary>The rooms this socket is in (its own id among them).</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.SocketRooms(Id);

    public void Join(params string[] rooms) => Join((IEnumerable<string>)rooms);

    /// <summary>Joins rooms; nothing happens once the socket has left (as Node.js, whose cleanup makes <c>join</c> a no-op).</summary>
    public void Join(IEnumerable<string> rooms)
    {
        if (IsDisconnected) return;
        Namespace.Adapter.AddAll(Id, rooms);
        // a disconnect that ran meanwhile left all rooms before these were added: leave them too
        if (IsDisconnected) Namespace.Adapter.DelAll(Id);
    }

    public void Leave(string room) => Namespace.Adapter.Del(Id, room);

    internal RemoteSocket ToRemote() => new(Namespace, Id, Handshake, Rooms, _data is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(_data));

    /// <summary>Sends an event to this client. Throws for reserved event names, as Node.js does.</summary>
    public bool Emit(string eventName, params object?[] args) => new SocketEmitter(this, null, false).Emit(eventName, args);

    /// <summary>Sends an event and waits for the client's acknowledgement (its arguments).</summary>
    public Task<JsonNode?[]> EmitWithAckAsync(string eventName, params object?[] args) =>
        EmitWithAckAsync(eventName, args, null, false, true, CancellationToken.None);

    /// <summary>An operator that gives the next acknowledged emit <paramref name="timeout"/> to answer.</summary>
    public SocketEmitter Timeout(TimeSpan timeout) => new(this, timeout, false);

    /// <summary>Emits that are dropped when the transport cannot take them right now.</summary>
    public SocketEmitter Volatile => new(this, null, true);

    /// <summary>Emits whose packets the transport may compress or not (Node.js <c>socket.compress()</c>; default true).</summary>
    public SocketEmitter Compress(bool compress) => new(this, null, false, !compress);

    internal Task<JsonNode?[]> EmitWithAckAsync(string eventName, object?[] args, TimeSpan? timeout, bool volatileFlag, bool compress, CancellationToken cancellationToken)
    {
        Namespace.ThrowIfReserved(eventName);
        var completion = new TaskCompletionSource<JsonNode?[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!IsConnected)
        {
            completion.SetException(new InvalidOperationException("socket is not connected"));
            return completion.Task;
        }

        var id = Namespace.NextAckId();
        CancellationTokenSource? timer = null;
        if (timeout is { } t || cancellationToken.CanBeCanceled)
        {
            timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is { } limit) timer.CancelAfter(limit);
            timer.Token.Register(() =>
            {
                if (Acks.TryRemove(id, out _))
                    completion.TrySetException(cancellationToken.IsCancellationRequested
                        ? new OperationCanceledException(cancellationToken)
                        : new TimeoutException("operation has timed out"));
            });
        }

        Acks[id] = new AckWaiter(
            responseArgs =>
            {
                timer?.Dispose();
                completion.TrySetResult(responseArgs);
            },
            error =>
            {
                timer?.Dispose();
                completion.TrySetException(error);
            });
        NotifyOutgoing(eventName, args);
        if (!Client.Write(Parser.EncodeEvent(Namespace.Name, eventName, args, id), volatileFlag, compress))
        {
            Acks.TryRemove(id, out _);
            timer?.Dispose();
            completion.TrySetException(new InvalidOperationException("the packet could not be sent"));
        }
        return completion.Task;
    }

    internal void RegisterAck(long id, Action<JsonNode?[]> onAck) => Acks[id] = new AckWaiter(onAck, null);

    internal void UnregisterAck(long id) => _acks?.TryRemove(id, out _);

    /// <summary>Writes an event kept by connection state recovery (its offset is its last argument).</summary>
    internal void WriteStored(BroadcastPacket packet) => Client.Write(packet.EncodeWith(Parser), volatileFlag: false);

    /// <summary>
    /// With connection state recovery, an emit to this socket goes through the adapter, as in Node.js, so that it is
    /// stored with an offset and can be replayed after a reconnection.
    /// </summary>
    internal bool EmitRecoverable(string eventName, object?[] args, bool compress)
    {
        var options = new BroadcastOptions { Rooms = new HashSet<string>(1, StringComparer.Ordinal) { Id }, Compress = compress };
        var sent = Namespace.Adapter.BroadcastAsync(new BroadcastPacket(Namespace.Name, eventName, args), options);
        if (!sent.IsCompletedSuccessfully)
            sent.ContinueWith(static (t, s) => ((Socket)s!).Namespace.Server.Log.HandlerFailed(((Socket)s!).Id, t.Exception!),
                this, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        return true;
    }

    internal void SendAck(long id, object?[] args)
    {
        if (!IsConnected) return;
        Client.Write(Parser.EncodeAck(Namespace.Name, id, args), volatileFlag: false);
    }

    /// <summary>Broadcast to every other socket of the namespace.</summary>
    public BroadcastOperator Broadcast => new(Namespace, new BroadcastOptions { Except = new HashSet<string> { Id } });

    /// <summary>Broadcast to the sockets in <paramref name="rooms"/>, this one excepted.</summary>
    public BroadcastOperator To(params string[] rooms) => Broadcast.To(rooms);

    public BroadcastOperator In(params string[] rooms) => To(rooms);

    public BroadcastOperator Except(params string[] rooms) => Broadcast.Except(rooms);

    /// <summary>
    /// Disconnects from this namespace (DISCONNECT packet, reason "server namespace disconnect"); with
    /// <paramref name="close"/> the whole underlying connection is closed too.
    /// </summary>
    public void Disconnect(bool close = false)
    {
        if (!IsConnected) return;
        if (close)
        {
            Client.DisconnectAll();
            return;
        }
        Client.Write(Parser.EncodeDisconnect(Namespace.Name), volatileFlag: false);
        OnClose(DisconnectReason.ServerNamespaceDisconnect, null);
    }
}

internal sealed record AckWaiter(Action<JsonNode?[]> OnAck, Action<Exception>? OnFail);

/// <summary>The socket disconnected before the acknowledgement arrived.</summary>
public sealed class SocketDisconnectedException(string reason) : Exception("socket has been disconnected: " + reason)
{
    public string Reason { get; } = reason;
}
