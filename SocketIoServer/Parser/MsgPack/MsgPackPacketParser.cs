namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// The msgpack parser: the format of npm <c>socket.io-msgpack-parser</c> 3.0 (notepack.io 2.2), which clients select
/// with <c>io(url, { parser: require("socket.io-msgpack-parser") })</c>. Every packet is one binary Engine.IO message
/// holding a msgpack map, binary values inside it as msgpack <c>bin</c> (no attachments, no BINARY_* types).
/// </summary>
/// <remarks>
/// The map's keys come in the order in which Node.js's socket.io 4.8 server builds each packet object (msgpack keeps
/// JavaScript's insertion order), so our bytes equal Node's:
/// EVENT <c>{type, data, nsp}</c>, or <c>{type, data, id, nsp}</c> when an ack is asked (socket.ts <c>emit</c>,
/// in-memory-adapter.ts <c>broadcastWithAck</c>); ACK <c>{id, type, data, nsp}</c> (socket.ts <c>ack</c>);
/// CONNECT <c>{type, data: {sid, pid}, nsp}</c> (socket.ts <c>_onconnect</c>); CONNECT_ERROR from a middleware
/// <c>{type, data: {message, data}, nsp}</c> (namespace.ts); CONNECT_ERROR for an unknown namespace
/// <c>{type, nsp, data: {message}}</c> (client.ts); DISCONNECT <c>{type, nsp}</c>. Node writes <c>pid</c> and the
/// inner <c>data</c> even when they are undefined, and notepack keeps undefined values (fixext 1, type 0), so when
/// our payload has no such key it gets one, undefined. The client reads both as undefined either way.
/// </remarks>
public sealed class MsgPackPacketParser : IPacketParser
{
    public static MsgPackPacketParser Instance { get; } = new();

    private MsgPackPacketParser() { }

    public EncodedPacket EncodeEvent(string nsp, string eventName, IReadOnlyList<object?> args, long? id = null)
    {
        var encoder = MsgPackEncoder.Rent();
        try
        {
            var writer = encoder.Writer;
            writer.WriteMapHeader(id is null ? 3 : 4);
            WriteType(writer, PacketType.Event);
            writer.WriteString("data"u8);
            writer.WriteArrayHeader(args.Count + 1);
            writer.WriteString(eventName);
            for (var i = 0; i < args.Count; i++) encoder.WriteValue(args[i]);
            if (id is { } ackId) WriteId(writer, ackId);
            WriteNamespace(writer, nsp);
            return encoder.ToPacket();
        }
        finally
        {
            encoder.Return();
        }
    }

    public EncodedPacket EncodeAck(string nsp, long id, IReadOnlyList<object?> args)
    {
        var encoder = MsgPackEncoder.Rent();
        try
        {
            var writer = encoder.Writer;
            writer.WriteMapHeader(4);
            WriteId(writer, id);
            WriteType(writer, PacketType.Ack);
            writer.WriteString("data"u8);
            writer.WriteArrayHeader(args.Count);
            for (var i = 0; i < args.Count; i++) encoder.WriteValue(args[i]);
            WriteNamespace(writer, nsp);
            return encoder.ToPacket();
        }
        finally
        {
            encoder.Return();
        }
    }

    public EncodedPacket EncodeObject(PacketType type, string nsp, object? data)
    {
        var encoder = MsgPackEncoder.Rent();
        try
        {
            var writer = encoder.Writer;
            writer.WriteMapHeader(data is null ? 2 : 3);
            WriteType(writer, type);
            if (data is not null)
            {
                writer.WriteString("data"u8);
                encoder.WriteValue(data, type switch
                {
                    PacketType.Connect => "pid"u8,
                    PacketType.ConnectError => "data"u8,
                    _ => default,
                });
            }
            WriteNamespace(writer, nsp);
            return encoder.ToPacket();
        }
        finally
        {
            encoder.Return();
        }
    }

    public EncodedPacket EncodeInvalidNamespace(string nsp)
    {
        var encoder = MsgPackEncoder.Rent();
        try
        {
            var writer = encoder.Writer;
            writer.WriteMapHeader(3);
            WriteType(writer, PacketType.ConnectError);
            WriteNamespace(writer, nsp);
            writer.WriteString("data"u8);
            writer.WriteMapHeader(1);
            writer.WriteString("message"u8);
            writer.WriteString("Invalid namespace"u8);
            return encoder.ToPacket();
        }
        finally
        {
            encoder.Return();
        }
    }

    public EncodedPacket EncodeDisconnect(string nsp)
    {
        var encoder = MsgPackEncoder.Rent();
        try
        {
            var writer = encoder.Writer;
            writer.WriteMapHeader(2);
            WriteType(writer, PacketType.Disconnect);
            WriteNamespace(writer, nsp);
            return encoder.ToPacket();
        }
        finally
        {
            encoder.Return();
        }
    }

    /// <summary>A decoder (stateless; <paramref name="maxAttachments"/> does not apply, binary travels inside the message).</summary>
    public IPacketDecoder CreateDecoder(int maxAttachments) => new MsgPackPacketDecoder();

    private static void WriteType(MsgPackWriter writer, PacketType type)
    {
        writer.WriteString("type"u8);
        writer.WriteInteger((int)type);
    }

    private static void WriteId(MsgPackWriter writer, long id)
    {
        writer.WriteString("id"u8);
        writer.WriteInteger(id);
    }

    private static void WriteNamespace(MsgPackWriter writer, string nsp)
    {
        writer.WriteString("nsp"u8);
        writer.WriteString(nsp);
    }
}
