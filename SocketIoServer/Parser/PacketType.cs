namespace SocketIoServer.Parser;

/// <summary>Socket.IO v5 packet types.</summary>
public enum PacketType
{
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
}
