namespace SocketIoServer.Server;

/// <summary>
/// A socket as <c>FetchSocketsAsync</c> reports it, local or on another node: what it is, and the operations that
/// work across nodes.
/// </summary>
public sealed class RemoteSocket
{
    private readonly Namespace _namespace;

    public RemoteSocket(Namespace nsp, string id, Handshake handshake, IReadOnlySet<string> rooms, IReadOnlyDictionary<string, object?> data)
    {
        _namespace = nsp;
        Id = id;
        Handshake = handshake;
        Rooms = rooms;
        Data = data;
    }

    public string Id { get; }

    public Handshake Handshake { get; }

    public IReadOnlySet<string> Rooms { get; }

    public IReadOnlyDictionary<string, object?> Data { get; }

    public Task EmitAsync(string eventName, params object?[] args) => _namespace.To(Id).EmitAsync(eventName, args);

    public Task JoinAsync(params string[] rooms) => _namespace.In(Id).SocketsJoinAsync(rooms);

    public Task LeaveAsync(params string[] rooms) => _namespace.In(Id).SocketsLeaveAsync(rooms);

    public Task DisconnectAsync(bool close = false) => _namespace.In(Id).DisconnectSocketsAsync(close);
}
