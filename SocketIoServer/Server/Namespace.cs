using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SocketIoServer.Parser;
using SocketIoServer.Server.Recovery;

namespace SocketIoServer.Server;

/// <summary>
/// A Socket.IO namespace: its middlewares, its connection handlers, its sockets and its adapter (rooms and
/// broadcasts).
/// </summary>
public sealed partial class Namespace
{
    private static readonly HashSet<string> ReservedEvents = new(StringComparer.Ordinal)
    {
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    };

    private readonly ConcurrentDictionary<string, Socket> _sockets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private List<Func<Socket, CancellationToken, ValueTask>> _middlewares = new();
    private List<Action<Socket>> _connectionHandlers = new();
    private long _ackIds;

    internal Namespace(IoServer server, string name, ParentNamespace? parent = null)
    {
        Server = server;
        Name = name;
        Parent = parent;
        Adapter = server.Options.AdapterFactory?.Invoke(this) ?? new InMemoryAdapter(this);
    }

    public string Name { get; }

    public IoServer Server { get; }

    public IAdapter Adapter { get; }

    private int _adapterStarted;

    /// <summary>Starts the adapter (a cluster adapter subscribes); once, whoever asks first.</summary>
    internal Task InitAdapterAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _adapterStarted, 1) == 0 ? Adapter.InitAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>The dynamic namespace this one was created from, if any.</summary>
    public ParentNamespace? Parent { get; }

    /// <summary>The connected sockets of this node, by id.</summary>
    public IReadOnlyDictionary<string, Socket> Sockets => _sockets;

    public bool TryGetSocket(string id, out Socket socket) => _sockets.TryGetValue(id, out socket!);

    /// <summary>
    /// Adds a middleware run for every incoming connection before it is accepted. Throw (preferably a
    /// <see cref="ConnectionRefusedException"/>) to refuse it.
    /// </summary>
    public Namespace Use(Func<Socket, CancellationToken, ValueTask> middleware)
    {
        lock (_gate) _middlewares = [.. _middlewares, middleware];
        return this;
    }

    /// <summary>A synchronous middleware; throw to refuse the connection.</summary>
    public Namespace Use(Action<Socket> middleware) => Use((s, _) =>
    {
        middleware(s);
        return ValueTask.CompletedTask;
    });

    /// <summary>Handles each new connection (Node.js's <c>on("connection")</c>).</summary>
    public Namespace OnConnection(Action<Socket> handler)
    {
        lock (_gate) _connectionHandlers = [.. _connectionHandlers, handler];
        return this;
    }

    internal long NextAckId() => Interlocked.Increment(ref _ackIds) - 1;

    internal void ThrowIfReserved(string eventName)
    {
        if (ReservedEvents.Contains(eventName))
            throw new ArgumentException($"\"{eventName}\" is a reserved event name", nameof(eventName));
    }

    internal async Task AddAsync(Client client, JsonObject auth)
    {
        var handshake = Handshake.From(client.Connection.Request, auth, Server.Time.GetUtcNow());
        var recovered = await TryRestoreSessionAsync(auth);
        var socket = new Socket(this, client, handshake, recovered);
        // as Node.js: the missed events go out first (the client holds them until CONNECT arrives)
        if (recovered is not null)
        {
            Server.Log.SocketRecovered(socket.Id, Name, client.Connection.Id, recovered.MissedPackets.Count);
            foreach (var packet in recovered.MissedPackets) socket.WriteStored(packet);
        }

        Exception? refusal = null;
        if (recovered is null || !Server.Options.ConnectionStateRecovery!.SkipMiddlewares)
        {
            try
            {
                foreach (var middleware in Middlewares()) await middleware(socket, client.Connection.ClosedToken);
            }
            catch (Exception ex)
            {
                refusal = ex;
            }
        }

        if (!client.Connection.IsOpen)
        {
            client.OnJoinFailed(Name);
            if (recovered is not null) Adapter.DelAll(socket.Id); // the rooms it was given back
            return;
        }

        if (refusal is not null)
        {
            client.OnJoinFailed(Name);
            if (recovered is not null) Adapter.DelAll(socket.Id);
            Server.Log.ConnectionRefused(client.Connection.Id, Name, refusal.Message);
            if (client.Connection.Protocol == 3)
            {
                client.Write(LegacyClientProtocol.ConnectError(Name, refusal), false);
                return;
            }
            var data = refusal is ConnectionRefusedException { ErrorData: { } d } ? d : null;
            object payload = data is null ? new ErrorPayload(refusal.Message) : new ErrorPayloadWithData(refusal.Message, data);
            client.Write(Server.Parser.EncodeObject(PacketType.ConnectError, Name, payload), false);
            return;
        }

        // As Node.js: CONNECT goes out, then the connection handlers run, and only then does the socket see the
        // client's packets (any that arrived meanwhile were held by the client, in order).
        if (recovered is null) _sockets[socket.Id] = socket;
        else Adapter.ResumeSession(socket, recovered, () => _sockets[socket.Id] = socket);
        socket.OnConnected();
        Server.Log.SocketConnected(socket.Id, Name, client.Connection.Id);
        foreach (var handler in ConnectionHandlers())
        {
            try
            {
                handler(socket);
            }
            catch (Exception ex)
            {
                Server.Log.HandlerFailed(socket.Id, ex);
            }
        }
        client.OnJoined(socket);
    }

    /// <summary>The session a reconnecting client asks back with <c>auth.pid</c> and <c>auth.offset</c>, if it can have it.</summary>
    private async Task<RecoveredSession?> TryRestoreSessionAsync(JsonObject auth)
    {
        if (Server.Options.ConnectionStateRecovery is null) return null;
        if (auth["pid"] is not JsonValue pid || pid.GetValueKind() != System.Text.Json.JsonValueKind.String) return null;
        if (auth["offset"] is not JsonValue offset || offset.GetValueKind() != System.Text.Json.JsonValueKind.String) return null;
        try
        {
            return await Adapter.RestoreSessionAsync(pid.GetValue<string>(), offset.GetValue<string>());
        }
        catch (Exception ex)
        {
            // as Node.js: a store that fails means a fresh session, not a refused connection
            Server.Log.SessionRestoreFailed(Name, ex);
            return null;
        }
    }

    private IEnumerable<Func<Socket, CancellationToken, ValueTask>> Middlewares() =>
        Parent is null ? _middlewares : Parent.Middlewares.Concat(_middlewares);

    private IEnumerable<Action<Socket>> ConnectionHandlers() =>
        Parent is null ? _connectionHandlers : Parent.ConnectionHandlers.Concat(_connectionHandlers);

    internal void Remove(Socket socket)
    {
        _sockets.TryRemove(socket.Id, out _);
        if (Parent is not null && Server.Options.CleanupEmptyChildNamespaces && _sockets.IsEmpty)
            Server.RemoveChildNamespace(this);
    }

    private sealed record ErrorPayload(
        [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);

    private sealed record ErrorPayloadWithData(
        [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message,
        [property: System.Text.Json.Serialization.JsonPropertyName("data")] object Data);
}
