using SocketIoServer.Parser;

namespace SocketIoServer.Server;

/// <summary>
/// An event to broadcast. Kept as event and arguments (a cluster adapter forwards those to other nodes) and encoded
/// at most once for all local receivers.
/// </summary>
public sealed class BroadcastPacket
{
    private EncodedPacket? _encoded;

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

    /// <summary>The wire form, encoded on first use and then shared.</summary>
    public EncodedPacket Encoded => _encoded ??= PacketEncoder.EncodeEvent("4"u8, Namespace, EventName, Args, AckId);
}
