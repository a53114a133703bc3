namespace SocketIoServer.Parser;

/// <summary>The default parser: the text format of the npm <c>socket.io-parser</c>, binary as attachments.</summary>
public sealed class JsonPacketParser : IPacketParser
{
    public static JsonPacketParser Instance { get; } = new();

    private static readonly object InvalidNamespace = new { message = "Invalid namespace" };

    private JsonPacketParser() { }

    public EncodedPacket EncodeEvent(string nsp, string eventName, IReadOnlyList<object?> args, long? id = null) =>
        PacketEncoder.EncodeEvent("4"u8, nsp, eventName, args, id);

    public EncodedPacket EncodeAck(string nsp, long id, IReadOnlyList<object?> args) =>
        PacketEncoder.EncodeAck("4"u8, nsp, id, args);

    public EncodedPacket EncodeObject(PacketType type, string nsp, object? data) =>
        PacketEncoder.EncodeObject("4"u8, type, nsp, data);

    public EncodedPacket EncodeInvalidNamespace(string nsp) =>
        PacketEncoder.EncodeObject("4"u8, PacketType.ConnectError, nsp, InvalidNamespace);

    public EncodedPacket EncodeDisconnect(string nsp) => PacketEncoder.EncodeDisconnect("4"u8, nsp);

    public IPacketDecoder CreateDecoder(int maxAttachments) => new PacketDecoder(maxAttachments);
}
