namespace SocketIoServer.Engine;

/// <summary>
/// How one polling session's payloads are written and read: Engine.IO v4, or v3 for legacy clients (text or binary
/// payloads). Chosen once when the session is created, so the v4 path asks nothing about the protocol per request.
/// </summary>
internal abstract class PollingPayloadFormat
{
    private const string TextContentType = "text/plain; charset=UTF-8";
    private const string BinaryContentType = "application/octet-stream";

    public static readonly PollingPayloadFormat V4 = new V4Format();

    private static readonly PollingPayloadFormat V3Binary = new V3Format(supportsBinary: true);
    private static readonly PollingPayloadFormat V3Base64 = new V3Format(supportsBinary: false);

    /// <summary>
    /// The format for a session: v3 clients that sent <c>b64</c> (any non-empty value, as Node.js reads it) on their
    /// handshake get binary packets as base64 inside text payloads.
    /// </summary>
    public static PollingPayloadFormat For(EngineConnection connection) =>
        connection.Protocol != 3 ? V4 : connection.SupportsBinary ? V3Binary : V3Base64;

    /// <summary>An upper bound of the bytes <see cref="Write"/> writes for these frames.</summary>
    public abstract int MaxLength(ReadOnlySpan<OutboundFrame> frames);

    /// <summary>Writes the payload; returns its length and the response's content type.</summary>
    public abstract int Write(ReadOnlySpan<OutboundFrame> frames, Span<byte> destination, out string contentType);

    /// <summary>Reads a POST body (<paramref name="octetStream"/>: sent as <c>application/octet-stream</c>).</summary>
    public abstract bool Decode(ReadOnlySpan<byte> body, bool octetStream, EngineConnection connection);

    private static bool OnPacket(EngineConnection connection, InboundPacket packet) => connection.OnPacket(packet);

    private sealed class V4Format : PollingPayloadFormat
    {
        public override int MaxLength(ReadOnlySpan<OutboundFrame> frames) => EnginePacketCodec.PayloadLength(frames);

        public override int Write(ReadOnlySpan<OutboundFrame> frames, Span<byte> destination, out string contentType)
        {
            contentType = TextContentType;
            return EnginePacketCodec.WritePayload(frames, destination);
        }

        // (a v4 client's octet-stream POST is refused before its body is read)
        public override bool Decode(ReadOnlySpan<byte> body, bool octetStream, EngineConnection connection) =>
            EnginePacketCodec.DecodePayload(body, connection, OnPacket);
    }

    private sealed class V3Format(bool supportsBinary) : PollingPayloadFormat
    {
        public override int MaxLength(ReadOnlySpan<OutboundFrame> frames) =>
            EngineV3PayloadWriter.IsBinaryPayload(frames, supportsBinary)
                ? EngineV3PayloadWriter.BinaryLength(frames)
                : EngineV3PayloadWriter.MaxTextLength(frames);

        public override int Write(ReadOnlySpan<OutboundFrame> frames, Span<byte> destination, out string contentType)
        {
            if (EngineV3PayloadWriter.IsBinaryPayload(frames, supportsBinary))
            {
                contentType = BinaryContentType;
                return EngineV3PayloadWriter.WriteBinary(frames, destination);
            }
            contentType = TextContentType;
            return EngineV3PayloadWriter.WriteText(frames, destination);
        }

        public override bool Decode(ReadOnlySpan<byte> body, bool octetStream, EngineConnection connection) =>
            octetStream
                ? EngineV3PayloadReader.DecodeBinary(body, connection, OnPacket)
                : EngineV3PayloadReader.DecodeText(body, connection, OnPacket);
    }
}
