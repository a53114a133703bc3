namespace SocketIoServer.Engine;

/// <summary>Engine.IO packet types, whose value is the ASCII digit that starts a text packet.</summary>
public enum EnginePacketType : byte
{
    Open = (byte)'0',
    Close = (byte)'1',
    Ping = (byte)'2',
    Pong = (byte)'3',
    Message = (byte)'4',
    Upgrade = (byte)'5',
    Noop = (byte)'6',
}
