using SocketIoServer.Parser;

namespace SocketIoServer.Server;

/// <summary>
/// An event to broadcast. Kept as event and arguments (a cluster adapter forwards those to other nodes) and encoded
/// at most once for all local receivers.
/// </summary>
public sealed class BroadcastPacket
{
    // the wire form for the parser last asked (a server has one parser; a cluster adapter may hold packets for several)
    // (one object, so that a reader on another thread never pairs one parser with another's bytes)
    private Encoding? _encoded;

    private sealed record Encoding(IPacketParser Parser, EncodedPacket Packet);

    public BroadcastPacket(string nsp, string eventName, IReadOnlyList<object?> args, long? ackId = null)
    {
        Namespace = nsp;
        EventName = eventName;
        Args = args;
        AckId = ackId;
    }

    public string Namespace { get; }

    public string EventName { get; }

    public IReadOnlyList<object?> Args { get; }

    public long? AckId { get; }

    /// <summary>The wire form in <paramref name="parser"/>'s format, encoded on first use and then shared.</summary>
    public EncodedPacket EncodeWith(IPacketParser parser)
    {
        if (_encoded is { } cached && ReferenceEquals(cached.Parser, parser)) return cached.Packet;
        var packet = parser.EncodeEvent(Namespace, EventName, Args, AckId);
        _encoded = new Encoding(parser, packet);
        return packet;
    }
}
