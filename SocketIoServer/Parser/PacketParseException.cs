namespace SocketIoServer.Parser;

/// <summary>A Socket.IO packet that does not parse; the connection that sent it is closed with "parse error".</summary>
public sealed class PacketParseException(string message, Exception? inner = null) : Exception(message, inner);
