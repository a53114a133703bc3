namespace SocketIoServer.Parser;

/// <summary>
/// The wire format of Socket.IO packets, chosen once per server as Node.js's <c>parser</c> option: the default
/// <see cref="JsonPacketParser"/> (socket.io-parser) or the msgpack parser. Encoded packets are Engine.IO message
/// payloads ready to queue (a text packet starts with the Engine.IO message type), so one encoding serves every
/// receiver of a broadcast.
/// </summary>
public interface IPacketParser
{
    /// <summary>EVENT: <c>[eventName, ...args]</c>; with <paramref name="id"/> the sender asks for an ACK.</summary>
    EncodedPacket EncodeEvent(string nsp, string eventName, IReadOnlyList<object?> args, long? id = null);

    /// <summary>ACK: <c>[...args]</c>.</summary>
    EncodedPacket EncodeAck(string nsp, long id, IReadOnlyList<object?> args);

    /// <summary>CONNECT (server reply) or CONNECT_ERROR, with an optional payload.</summary>
    EncodedPacket EncodeObject(PacketType type, string nsp, object? data);

    /// <summary>
    /// CONNECT_ERROR <c>{"message":"Invalid namespace"}</c>, the answer to a CONNECT for a namespace that does not
    /// exist. Separate from <see cref="EncodeObject"/> because Node.js builds this packet elsewhere, with its keys in
    /// another order, which the msgpack format shows.
    /// </summary>
    EncodedPacket EncodeInvalidNamespace(string nsp);

    EncodedPacket EncodeDisconnect(string nsp);

    /// <summary>A decoder for one connection (it may hold a packet whose binary parts are still arriving).</summary>
    IPacketDecoder CreateDecoder(int maxAttachments);
}

/// <summary>Decodes the packets of one connection; malformed input throws <see cref="PacketParseException"/>.</summary>
public interface IPacketDecoder
{
    /// <summary>A text message; null when it starts a packet whose binary parts follow.</summary>
    SocketIoPacket? DecodeText(ReadOnlySpan<byte> utf8);

    /// <summary>A binary message; the packet it completes, else null.</summary>
    SocketIoPacket? DecodeBinary(ReadOnlySpan<byte> data);

    /// <summary>Drops a half-received packet (the connection closed).</summary>
    void Reset();
}
