namespace SocketIoServer.Server.Adapters.Redis;

/// <summary>The request types of npm <c>@socket.io/redis-adapter</c> 8.x, with its numbers.</summary>
internal enum RedisRequestType
{
    Sockets = 0,
    AllRooms = 1,
    RemoteJoin = 2,
    RemoteLeave = 3,
    RemoteDisconnect = 4,
    RemoteFetch = 5,
    ServerSideEmit = 6,
    Broadcast = 7,
    BroadcastClientCount = 8,
    BroadcastAck = 9,
}
