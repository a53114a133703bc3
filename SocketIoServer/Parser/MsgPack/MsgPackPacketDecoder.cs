using System.Text;
using System.Text.Json.Nodes;

namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// Decodes the packets of one connection in the format of npm <c>socket.io-msgpack-parser</c> 3.0: each packet is one
/// binary message holding a msgpack map <c>{type, nsp, data?, id?}</c> (other keys, such as the client's
/// <c>options</c>, are ignored). It accepts exactly what that parser's <c>checkPacket</c> accepts, in its order and
/// with its messages ("invalid packet type", "invalid namespace", "invalid payload", "invalid packet id"), and also
/// refuses what no <see cref="JsonNode"/> can hold or what would be unsafe to build (see <see cref="MsgPackReader"/>,
/// <see cref="MsgPackScanner"/>, <see cref="MsgPackToJson"/>). Binary values are in place at once, so packets come
/// out as EVENT and ACK. Stateless: it keeps nothing between messages.
/// </summary>
public sealed class MsgPackPacketDecoder : IPacketDecoder
{
    public SocketIoPacket? DecodeText(ReadOnlySpan<byte> utf8) =>
        throw new PacketParseException("invalid packet: the msgpack parser takes binary messages only, got a text message");

    public SocketIoPacket? DecodeBinary(ReadOnlySpan<byte> data)
    {
        var header = ReadHeader(data);
        Check(header);

        JsonNode? payload = null;
        var binaries = 0;
        if (header.DataAt >= 0) payload = MsgPackToJson.Decode(data, header.DataAt, out binaries);

        return new SocketIoPacket
        {
            Type = (PacketType)(int)header.Type,
            Namespace = header.Namespace!,
            Id = header.Id is { } id ? (long)id : null,
            Data = payload,
            Attachments = binaries,
        };
    }

    public void Reset() { }

    /// <summary>
    /// The top-level fields as JavaScript sees them after notepack decoded the message: NaN stands for a value of the
    /// wrong kind; <see cref="DataAt"/> is where the last <c>data</c> value starts (-1: absent or undefined).
    /// </summary>
    private struct Header()
    {
        public double Type = double.NaN;
        public string? Namespace;
        public double? Id;
        public int DataAt = -1;
        public MsgPackToken DataToken = MsgPackToken.Undefined;
    }

    /// <summary>The first pass: the whole message is checked (as notepack decodes it all before the packet is checked).</summary>
    private static Header ReadHeader(ReadOnlySpan<byte> data)
    {
        var header = new Header();
        var reader = new MsgPackReader(data);
        reader.Read();
        if (reader.Token != MsgPackToken.Map)
        {
            MsgPackScanner.Scan(ref reader, 1);
            CheckEnd(ref reader);
            throw new PacketParseException("invalid packet type"); // what checkPacket says of a packet that is not an object
        }

        for (var i = reader.Count; i > 0; i--)
        {
            reader.Read();
            MsgPackScanner.CheckKey(ref reader);
            var key = reader.Bytes;
            var valueAt = reader.Position;
            reader.Read();
            if (key.SequenceEqual("type"u8))
            {
                header.Type = reader.IsNumber ? reader.Number : double.NaN;
            }
            else if (key.SequenceEqual("nsp"u8))
            {
                header.Namespace = reader.Token == MsgPackToken.String ? Encoding.UTF8.GetString(reader.Bytes) : null;
            }
            else if (key.SequenceEqual("id"u8))
            {
                header.Id = reader.Token == MsgPackToken.Undefined ? null : reader.IsNumber ? reader.Number : double.NaN;
            }
            else if (key.SequenceEqual("data"u8))
            {
                // a repeated key: the last value wins, as in the object notepack builds
                header.DataToken = reader.Token;
                header.DataAt = reader.Token == MsgPackToken.Undefined ? -1 : valueAt;
            }
            MsgPackScanner.Scan(ref reader, 1);
        }
        CheckEnd(ref reader);
        return header;
    }

    private static void CheckEnd(ref MsgPackReader reader)
    {
        if (reader.Remaining > 0)
            throw new PacketParseException($"invalid msgpack: {reader.Remaining} trailing bytes after the packet");
    }

    /// <summary><c>checkPacket</c> of socket.io-msgpack-parser, plus an ack id that must fit a long.</summary>
    private static void Check(in Header header)
    {
        if (!IsInteger(header.Type) || header.Type < (int)PacketType.Connect || header.Type > (int)PacketType.ConnectError)
            throw new PacketParseException("invalid packet type");
        if (header.Namespace is null) throw new PacketParseException("invalid namespace");

        var data = header.DataToken;
        var valid = (PacketType)(int)header.Type switch
        {
            PacketType.Connect => data is MsgPackToken.Undefined or MsgPackToken.Map,
            PacketType.Disconnect => data == MsgPackToken.Undefined,
            PacketType.ConnectError => data is MsgPackToken.String or MsgPackToken.Map,
            _ => data is MsgPackToken.Array or MsgPackToken.Ext, // notepack makes an extension an array
        };
        if (!valid) throw new PacketParseException("invalid payload");

        // ids beyond ±9.2e18 are integers to JavaScript (if imprecise ones) but no ack id of ours
        if (header.Id is { } id && !(IsInteger(id) && Math.Abs(id) < 9.2e18)) throw new PacketParseException("invalid packet id");
    }

    private static bool IsInteger(double value) => double.IsFinite(value) && Math.Floor(value) == value;
}
