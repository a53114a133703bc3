namespace SocketIoServer.Parser;

/// <summary>
/// A packet encoded once and shareable by every receiver: the text part (preceded by the prefix the caller asked
/// for, the Engine.IO message type) and the binary attachments, in order; or, for a binary parser such as msgpack,
/// one binary message (<see cref="IsBinary"/>, held in <see cref="Text"/>, no attachments).
/// </summary>
public sealed class EncodedPacket(ReadOnlyMemory<byte> text, ReadOnlyMemory<byte>[] attachments, bool isBinary = false)
{
    /// <summary>A packet that is one binary message (a binary parser's output).</summary>
    public static EncodedPacket BinaryMessage(ReadOnlyMemory<byte> data) => new(data, [], isBinary: true);

    /// <summary>The first message: the text packet, or the whole binary message when <see cref="IsBinary"/>.</summary>
    public ReadOnlyMemory<byte> Text { get; } = text;

    public bool IsBinary { get; } = isBinary;

    public ReadOnlyMemory<byte>[] Attachments { get; } = attachments;

    public override string ToString() =>
        IsBinary ? Convert.ToHexString(Text.Span) : System.Text.Encoding.UTF8.GetString(Text.Span);
}
