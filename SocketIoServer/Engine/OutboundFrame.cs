using System.Text;

namespace SocketIoServer.Engine;

/// <summary>
/// One Engine.IO packet ready for the wire. A text frame holds the whole packet as UTF-8, type digit included
/// (so a broadcast can share one buffer across every receiver); a binary frame holds the raw message bytes.
/// </summary>
public readonly struct OutboundFrame
{
    private readonly bool _noCompression; // inverted, so that a default frame may be compressed, as in Node.js

    private OutboundFrame(ReadOnlyMemory<byte> data, bool isBinary, bool noCompression = false)
    {
        Data = data;
        IsBinary = isBinary;
        _noCompression = noCompression;
    }

    public ReadOnlyMemory<byte> Data { get; }

    public bool IsBinary { get; }

    /// <summary>
    /// Whether the transport may compress it (the Socket.IO <c>compress</c> flag, default true). A polling response is
    /// compressed when any of its packets may be.
    /// </summary>
    public bool Compress => !_noCompression;

    /// <summary>The same frame with the <c>compress(false)</c> flag.</summary>
    public OutboundFrame WithoutCompression() => new(Data, IsBinary, noCompression: true);

    /// <summary>A text packet; <paramref name="utf8Packet"/> starts with the packet type digit.</summary>
    public static OutboundFrame Text(ReadOnlyMemory<byte> utf8Packet) => new(utf8Packet, false);

    /// <summary>A binary message packet.</summary>
    public static OutboundFrame Binary(ReadOnlyMemory<byte> data) => new(data, true);

    internal static readonly OutboundFrame Ping = Text("2"u8.ToArray());
    internal static readonly OutboundFrame Pong = Text("3"u8.ToArray());
    internal static readonly OutboundFrame Noop = Text("6"u8.ToArray());
    internal static readonly OutboundFrame Close = Text("1"u8.ToArray());
    internal static readonly OutboundFrame ProbePong = Text("3probe"u8.ToArray());

    /// <summary>A message packet built from text (allocates; for tests and small control messages).</summary>
    public static OutboundFrame Message(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        bytes[0] = (byte)EnginePacketType.Message;
        Encoding.UTF8.GetBytes(text, bytes.AsSpan(1));
        return Text(bytes);
    }

    public override string ToString() =>
        IsBinary ? $"<binary {Data.Length} bytes>" : Encoding.UTF8.GetString(Data.Span);
}
