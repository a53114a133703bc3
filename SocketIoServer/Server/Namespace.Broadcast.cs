using System.Text.Json.Nodes;

namespace SocketIoServer.Server;

public sealed partial class Namespace
{
    private BroadcastOperator All => new(this, BroadcastOptions.All);

    public BroadcastOperator To(params string[] rooms) => All.To(rooms);

    public BroadcastOperator In(params string[] rooms) => All.To(rooms);

    public BroadcastOperator Except(params string[] rooms) => All.Except(rooms);

    public BroadcastOperator Local => All.Local;

    public BroadcastOperator Volatile => All.Volatile;

    public BroadcastOperator Timeout(TimeSpan timeout) => All.Timeout(timeout);

    public BroadcastOperator Compress(bool compress) => All.Compress(compress);

    /// <summary>Sends an event to every socket of the namespace.</summary>
    public Task EmitAsync(string eventName, params object?[] args) => All.EmitAsync(eventName, args);

    /// <summary>Sends an event to every socket (fire and forget).</summary>
    public void Emit(string eventName, params object?[] args) => All.Emit(eventName, args);

    public Task<IReadOnlyList<JsonNode?>> EmitWithAckAsync(string eventName, params object?[] args) => All.EmitWithAckAsync(eventName, args);

    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync() => All.FetchSocketsAsync();

    public Task SocketsJoinAsync(params string[] rooms) => All.SocketsJoinAsync(rooms);

    public Task SocketsLeaveAsync(params string[] rooms) => All.SocketsLeaveAsync(rooms);

    public Task DisconnectSocketsAsync(bool close = false) => All.DisconnectSocketsAsync(close);

    /// <summary>Sends an event to the same namespace on the other nodes (nothing to do on a single node).</summary>
    public Task<IReadOnlyList<JsonNode?[]>> ServerSideEmitAsync(string eventName, params object?[] args)
    {
        ThrowIfReserved(eventName);
        return Adapter.ServerSideEmitAsync(eventName, args, expectAck: false, timeout: null);
    }

    /// <summary>Sends an event to the other nodes and collects their acknowledgements.</summary>
    public Task<IReadOnlyList<JsonNode?[]>> ServerSideEmitWithAckAsync(string eventName, TimeSpan timeout, params object?[] args)
    {
        ThrowIfReserved(eventName);
        return Adapter.ServerSideEmitAsync(eventName, args, expectAck: true, timeout: timeout);
    }

    private List<KeyValuePair<string, Action<ServerSideEvent>>> _serverSideHandlers = new();

    /// <summary>Handles an event other nodes send with <c>ServerSideEmitAsync</c> (Node.js's <c>io.on(event)</c> for server-side events).</summary>
    public Namespace OnServerSideEvent(string eventName, Action<ServerSideEvent> handler)
    {
        lock (_gate) _serverSideHandlers = [.. _serverSideHandlers, new(eventName, handler)];
        return this;
    }

    /// <summary>Called by a cluster adapter with an event from another node.</summary>
    public void DispatchServerSideEvent(ServerSideEvent serverSideEvent)
    {
        foreach (var (name, handler) in _serverSideHandlers)
        {
            if (name != serverSideEvent.Name) continue;
            try
            {
                handler(serverSideEvent);
            }
            catch (Exception ex)
            {
                Server.Log.HandlerFailed("server-side event " + serverSideEvent.Name, ex);
            }
        }
    }
}
