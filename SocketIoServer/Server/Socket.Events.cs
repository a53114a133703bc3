using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Parser;

namespace SocketIoServer.Server;

public sealed partial class Socket
{
    // Handlers are registered rarely (mostly once, at connection), so one lock for all sockets serves, and an idle
    // socket keeps no lock object of its own.
    private static readonly Lock HandlersGate = new();
    // Copied on write (dispatch reads without a lock). One flat array of (event, handler) in registration order: a
    // socket has a handful of handlers, which a scan finds as fast as a hash lookup, for a fraction of the memory of
    // a dictionary with a list per event (this array is one object per socket).
    private KeyValuePair<string, Delegate>[] _handlers = [];
    private Action<SocketEvent>[] _anyHandlers = [];
    private Action<string, JsonNode?[]>[] _anyOutgoingHandlers = [];

    /// <summary>Raised before the socket leaves its rooms (they are still readable), with the reason.</summary>
    public event Action<Socket, string>? Disconnecting;

    /// <summary>Raised once the socket is disconnected, with the reason (as Node.js names it).</summary>
    public event Action<Socket, string>? Disconnected;

    /// <summary>Raised for a parse or protocol error on the underlying connection, before it closes.</summary>
    public event Action<Socket, Exception>? Error;

    /// <summary>Handles an event. Handlers run in arrival order; several per event are allowed.</summary>
    public Socket On(string eventName, Action<SocketEvent> handler) => AddHandler(eventName, handler);

    /// <summary>Handles an event asynchronously; the next event does not wait for the task, and its failure is logged.</summary>
    public Socket On(string eventName, Func<SocketEvent, Task> handler) => AddHandler(eventName, handler);

    /// <summary>Handles every event (after the specific handlers, as Node.js's <c>onAny</c>).</summary>
    public Socket OnAny(Action<SocketEvent> handler)
    {
        lock (HandlersGate) _anyHandlers = [.. _anyHandlers, handler];
        return this;
    }

    public Socket OffAny(Action<SocketEvent>? handler = null)
    {
        lock (HandlersGate) _anyHandlers = handler is null ? [] : _anyHandlers.Where(h => h != handler).ToArray();
        return this;
    }

    /// <summary>Removes one handler of an event, or all of them when <paramref name="handler"/> is null.</summary>
    public Socket Off(string eventName, Delegate? handler = null)
    {
        lock (HandlersGate)
            _handlers = _handlers.Where(h => h.Key != eventName || (handler is not null && h.Value != handler)).ToArray();
        return this;
    }

    /// <summary>Observes every event this socket sends (Node.js's <c>onAnyOutgoing</c>).</summary>
    public Socket OnAnyOutgoing(Action<string, JsonNode?[]> handler)
    {
        lock (HandlersGate) _anyOutgoingHandlers = [.. _anyOutgoingHandlers, handler];
        return this;
    }

    /// <summary>Tells the outgoing listeners about an event sent to this client (directly or by a broadcast).</summary>
    internal void NotifyOutgoing(string eventName, IReadOnlyList<object?> args)
    {
        var handlers = _anyOutgoingHandlers;
        if (handlers.Length == 0) return;
        var nodes = new JsonNode?[args.Count];
        for (var i = 0; i < args.Count; i++) nodes[i] = ToNode(args[i]);
        foreach (var handler in handlers)
        {
            try { handler(eventName, nodes); }
            catch (Exception ex) { Namespace.Server.Log.HandlerFailed(Id, ex); }
        }
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        byte[] bytes => JsonValue.Create(bytes),
        ReadOnlyMemory<byte> memory => JsonValue.Create(memory.ToArray()),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), SocketIoJson.Options),
    };

    private Socket AddHandler(string eventName, Delegate handler)
    {
        lock (HandlersGate) _handlers = [.. _handlers, new(eventName, handler)];
        return this;
    }

    internal void OnPacket(SocketIoPacket packet)
    {
        switch (packet.Type)
        {
            case PacketType.Event:
            case PacketType.BinaryEvent:
                OnEvent(packet);
                break;
            case PacketType.Ack:
            case PacketType.BinaryAck:
                OnAck(packet);
                break;
            case PacketType.Disconnect:
                OnClose(DisconnectReason.ClientNamespaceDisconnect, null);
                break;
        }
    }

    private void OnEvent(SocketIoPacket packet)
    {
        if (packet.Data is not JsonArray array || array.Count == 0) return;
        var first = array[0];
        var name = first is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : first?.ToJsonString() ?? "";
        var args = new JsonNode?[array.Count - 1];
        for (var i = 1; i < array.Count; i++) args[i - 1] = array[i];
        var evt = new SocketEvent(this, name, args, packet.Id);

        foreach (var (eventName, handler) in _handlers)
            if (eventName == name) Invoke(handler, evt);
        foreach (var any in _anyHandlers) Invoke(any, evt);
    }

    private void Invoke(Delegate handler, SocketEvent evt)
    {
        try
        {
            switch (handler)
            {
                case Action<SocketEvent> action:
                    action(evt);
                    break;
                case Func<SocketEvent, Task> func:
                    var task = func(evt);
                    if (!task.IsCompletedSuccessfully)
                        task.ContinueWith(static (t, s) => ((Socket)s!).Namespace.Server.Log.HandlerFailed(((Socket)s!).Id, t.Exception!),
                            this, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                    break;
            }
        }
        catch (Exception ex)
        {
            Namespace.Server.Log.HandlerFailed(Id, ex);
        }
    }

    private void OnAck(SocketIoPacket packet)
    {
        if (packet.Id is not { } id || _acks is not { } acks || !acks.TryRemove(id, out var callback)) return;
        var args = packet.Data is JsonArray array ? array.ToArray() : [];
        try
        {
            callback.OnAck(args);
        }
        catch (Exception ex)
        {
            Namespace.Server.Log.HandlerFailed(Id, ex);
        }
    }

    /// <summary>Called when the socket joined: send CONNECT, join its own room.</summary>
    internal void OnConnected()
    {
        if (Client.Connection.Protocol == 3)
        {
            OnLegacyClientConnected();
            return;
        }
        System.Threading.Volatile.Write(ref _state, 1);
        Join(Id);
        Client.Write(Parser.EncodeObject(PacketType.Connect, Namespace.Name, new ConnectReply(Id, Pid)), volatileFlag: false);
    }

    internal void OnError(Exception error)
    {
        try { Error?.Invoke(this, error); }
        catch (Exception ex) { Namespace.Server.Log.HandlerFailed(Id, ex); }
    }

    /// <summary>Leaves the namespace: "disconnecting" (rooms still there), leave all rooms, then "disconnect".</summary>
    internal void OnClose(string reason, string? description)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1) return;
        try { Disconnecting?.Invoke(this, reason); }
        catch (Exception ex) { Namespace.Server.Log.HandlerFailed(Id, ex); }

        if (Pid is not null && Recovery.PersistedSession.IsRecoverable(reason)) PersistSession();
        Namespace.Adapter.DelAll(Id);
        Namespace.Remove(this);
        Client.Remove(this);
        foreach (var id in _acks?.Keys ?? [])
        {
            // pending acknowledgements will never come; let their waiters go
            if (_acks!.TryRemove(id, out var waiter)) waiter.OnFail?.Invoke(new SocketDisconnectedException(reason));
        }

        Namespace.Server.Log.SocketDisconnected(Id, Namespace.Name, reason);
        try { Disconnected?.Invoke(this, reason); }
        catch (Exception ex) { Namespace.Server.Log.HandlerFailed(Id, ex); }
    }

    /// <summary>Keeps what a reconnecting client needs to get this socket back (its rooms before leaving them).</summary>
    private void PersistSession()
    {
        var data = _data is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(_data, StringComparer.Ordinal);
        var session = new Recovery.PersistedSession(Id, Pid!, [.. Rooms], data);
        var persisted = Namespace.Adapter.PersistSessionAsync(session);
        if (!persisted.IsCompletedSuccessfully)
            persisted.ContinueWith(static (t, s) => ((Socket)s!).Namespace.Server.Log.HandlerFailed(((Socket)s!).Id, t.Exception!),
                this, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    // "pid" only with connection state recovery, as Node.js (undefined is left out of its JSON)
    private sealed record ConnectReply(
        [property: System.Text.Json.Serialization.JsonPropertyName("sid")] string Sid,
        [property: System.Text.Json.Serialization.JsonPropertyName("pid"),
                   System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Pid);
}
