using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SocketIoServer.Parser;

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

    internal Socket(Namespace nsp, Client client, Handshake handshake)
    {
        Namespace = nsp;
        Client = client;
        Handshake = handshake;
        Id = client.Connection.Protocol == 3 ? LegacyClientProtocol.SocketId(nsp.Name, client.Connection.Id) : Engine.EngineHandshake.NewSessionId();
    }

    /// <summary>The socket id, unique per namespace connection (not the Engine.IO session id).</summary>
    public string Id { get; }

    public Namespace Namespace { get; }

    public Handshake Handshake { get; }

    internal Client Client { get; }

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

    public void Join(IEnumerable<string> rooms) => Namespace.Adapter.AddAll(Id, rooms);

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
        if (!Client.Write(PacketEncoder.EncodeEvent("4"u8, Namespace.Name, eventName, args, id), volatileFlag, compress))
        {
            Acks.TryRemove(id, out _);
            timer?.Dispose();
            completion.TrySetException(new InvalidOperationException("the packet could not be sent"));
        }
        return completion.Task;
    }

    internal void RegisterAck(long id, Action<JsonNode?[]> onAck) => Acks[id] = new AckWaiter(onAck, null);

    internal void UnregisterAck(long id) => _acks?.TryRemove(id, out _);

    internal void SendAck(long id, object?[] args)
    {
        if (!IsConnected) return;
        Client.Write(PacketEncoder.EncodeAck("4"u8, Namespace.Name, id, args), volatileFlag: false);
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
        Client.Write(PacketEncoder.EncodeDisconnect("4"u8, Namespace.Name), volatileFlag: false);
        OnClose(DisconnectReason.ServerNamespaceDisconnect, null);
    }
}

internal sealed record AckWaiter(Action<JsonNode?[]> OnAck, Action<Exception>? OnFail);

/// <summary>The socket disconnected before the acknowledgement arrived.</summary>
public sealed class SocketDisconnectedException(string reason) : Exception("socket has been disconnected: " + reason)
{
    public string Reason { get; } = reason;
}
