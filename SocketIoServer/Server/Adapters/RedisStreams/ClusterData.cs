namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>
/// The <c>data</c> of each message of <c>socket.io-adapter</c>'s <c>ClusterAdapter</c>, as it builds them: packets
/// <c>{type: 2, data: [event, ...args], nsp}</c> and options <c>{rooms, except, flags}</c> as <see cref="ClusterWriter"/>
/// writes them for both Redis adapters.
/// </summary>
internal static class ClusterData
{
    public static Action<ClusterWriter> Broadcast(BroadcastPacket packet, BroadcastOptions options, string? requestId = null) => w =>
    {
        w.Map(requestId is null ? 2 : 3);
        w.Key("packet");
        w.Packet(packet);
        if (requestId is not null)
        {
            w.Key("requestId");
            w.String(requestId);
        }
        w.Key("opts");
        w.Options(options);
        w.EndMap();
    };

    /// <summary>SOCKETS_JOIN and SOCKETS_LEAVE: <c>{opts, rooms}</c>.</summary>
    public static Action<ClusterWriter> Selection(BroadcastOptions options, IReadOnlyCollection<string> rooms) => w =>
    {
        w.Map(2);
        w.Key("opts");
        w.Options(options);
        w.Key("rooms");
        w.Strings(rooms);
        w.EndMap();
    };

    public static Action<ClusterWriter> Disconnect(BroadcastOptions options, bool close) => w =>
    {
        w.Map(2);
        w.Key("opts");
        w.Options(options);
        w.Key("close");
        w.Boolean(close);
        w.EndMap();
    };

    public static Action<ClusterWriter> FetchSockets(BroadcastOptions options, string requestId) => w =>
    {
        w.Map(2);
        w.Key("opts");
        w.Options(options);
        w.Key("requestId");
        w.String(requestId);
        w.EndMap();
    };

    public static Action<ClusterWriter> FetchSocketsResponse(string requestId, IReadOnlyList<RemoteSocket> sockets) => w =>
    {
        w.Map(2);
        w.Key("requestId");
        w.String(requestId);
        w.Key("sockets");
        w.Array(sockets.Count);
        foreach (var socket in sockets) w.Value(ClusterJson.Socket(socket));
        w.EndArray();
        w.EndMap();
    };

    /// <summary>SERVER_SIDE_EMIT: <c>{requestId?, packet: [event, ...args]}</c>.</summary>
    public static Action<ClusterWriter> ServerSideEmit(string eventName, IReadOnlyList<object?> args, string? requestId) => w =>
    {
        w.Map(requestId is null ? 1 : 2);
        if (requestId is not null)
        {
            w.Key("requestId");
            w.String(requestId);
        }
        w.Key("packet");
        w.Array(args.Count + 1);
        w.String(eventName);
        foreach (var arg in args) w.Value(arg);
        w.EndArray();
        w.EndMap();
    };

    /// <summary>SERVER_SIDE_EMIT_RESPONSE and BROADCAST_ACK: <c>{requestId, packet}</c> (one value).</summary>
    public static Action<ClusterWriter> Answer(string requestId, object? value) => w =>
    {
        w.Map(2);
        w.Key("requestId");
        w.String(requestId);
        w.Key("packet");
        w.Value(value);
        w.EndMap();
    };

    public static Action<ClusterWriter> ClientCount(string requestId, int count) => w =>
    {
        w.Map(2);
        w.Key("requestId");
        w.String(requestId);
        w.Key("clientCount");
        w.Integer(count);
        w.EndMap();
    };
}
