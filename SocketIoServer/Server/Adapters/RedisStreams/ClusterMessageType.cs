namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>The message types of npm <c>socket.io-adapter</c> 2.5's <c>ClusterAdapter</c>, with its numbers.</summary>
internal enum ClusterMessageType
{
    InitialHeartbeat = 1,
    Heartbeat = 2,
    Broadcast = 3,
    SocketsJoin = 4,
    SocketsLeave = 5,
    DisconnectSockets = 6,
    FetchSockets = 7,
    FetchSocketsResponse = 8,
    ServerSideEmit = 9,
    ServerSideEmitResponse = 10,
    BroadcastClientCount = 11,
    BroadcastAck = 12,
    AdapterClose = 13,
}
