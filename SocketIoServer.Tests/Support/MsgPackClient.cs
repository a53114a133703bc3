using System.Text.Json.Nodes;
using SocketIoServer.Parser;
using SocketIoServer.Parser.MsgPack;

namespace SocketIoServer.Tests.Support;

/// <summary>
/// The messages a socket.io-client with the msgpack parser sends, in its key order ({type, data, options, id, nsp};
/// ACK {type, id, data, nsp}), and a decoder for what the server sends back.
/// </summary>
internal static class MsgPackClient
{
    public static byte[] Connect(string nsp = "/", JsonObject? auth = null) => Packet(w =>
    {
        w.Writer.WriteMapHeader(3);
        Type(w, PacketType.Connect);
        w.Writer.WriteString("data"u8);
        if (auth is null) w.Writer.WriteUndefined(); // what the client sends without auth
        else w.WriteValue(auth);
        Nsp(w, nsp);
    });

    public static byte[] Event(string nsp, long? id, params object?[] data) => Packet(w =>
    {
        w.Writer.WriteMapHeader(id is null ? 4 : 5);
        Type(w, PacketType.Event);
        w.Writer.WriteString("data"u8);
        w.Writer.WriteArrayHeader(data.Length);
        foreach (var item in data) w.WriteValue(item);
        w.Writer.WriteString("options"u8);
        w.Writer.WriteMapHeader(1);
        w.Writer.WriteString("compress"u8);
        w.Writer.WriteBoolean(true);
        if (id is { } ackId)
        {
            w.Writer.WriteString("id"u8);
            w.Writer.WriteInteger(ackId);
        }
        Nsp(w, nsp);
    });

    public static byte[] Ack(string nsp, long id, params object?[] data) => Packet(w =>
    {
        w.Writer.WriteMapHeader(4);
        Type(w, PacketType.Ack);
        w.Writer.WriteString("id"u8);
        w.Writer.WriteInteger(id);
        w.Writer.WriteString("data"u8);
        w.Writer.WriteArrayHeader(data.Length);
        foreach (var item in data) w.WriteValue(item);
        Nsp(w, nsp);
    });

    public static byte[] Disconnect(string nsp = "/") => Packet(w =>
    {
        w.Writer.WriteMapHeader(2);
        Type(w, PacketType.Disconnect);
        Nsp(w, nsp);
    });

    /// <summary>A server message, decoded.</summary>
    public static SocketIoPacket Decode(byte[] message) => new MsgPackPacketDecoder().DecodeBinary(message)!;

    private static byte[] Packet(Action<MsgPackEncoder> write)
    {
        var encoder = MsgPackEncoder.Rent();
        try
        {
            write(encoder);
            return encoder.ToPacket().Text.ToArray();
        }
        finally
        {
            encoder.Return();
        }
    }

    private static void Type(MsgPackEncoder w, PacketType type)
    {
        w.Writer.WriteString("type"u8);
        w.Writer.WriteInteger((int)type);
    }

    private static void Nsp(MsgPackEncoder w, string nsp)
    {
        w.Writer.WriteString("nsp"u8);
        w.Writer.WriteString(nsp);
    }
}
