namespace SocketIoServer.Parser;

/// <summary>
/// A packet encoded once and shareable by every receiver: the text part (preceded by the prefix the caller asked
/// for, the Engine.IO message type) and the binary attachments, in order.
/// </summary>
public sealed class EncodedPacket(ReadOnlyMemory<byte> text, ReadOnlyMemory<byte>[] attachments)
{
    public ReadOnlyMemory<byte> Text { get; } = text;

    public ReadOnlyMemory<byte>[] Attachments { get; } = attachments;

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Text.Span);
}
