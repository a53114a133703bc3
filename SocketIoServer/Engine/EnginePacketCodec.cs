using System.Buffers;
using System.Buffers.Text;

namespace SocketIoServer.Engine;

/// <summary>
/// Engine.IO v4 packet and payload encoding (pure; no I/O). A polling payload joins packets with the record
/// separator 0x1E; a binary packet inside a payload is <c>b</c> followed by its base64.
/// </summary>
public static class EnginePacketCodec
{
    public const byte RecordSeparator = 0x1E;

    /// <summary>Parses one text packet (WebSocket text frame or one payload record). False when malformed.</summary>
    internal static bool TryParseText(ReadOnlySpan<byte> utf8, out EnginePacketType type, out ReadOnlySpan<byte> data)
    {
        data = default;
        type = default;
        if (utf8.IsEmpty) return false;
        var t = utf8[0];
        if (t < (byte)'0' || t > (byte)'6') return false;
        type = (EnginePacketType)t;
        data = utf8[1..];
        return true;
    }

    /// <summary>
    /// Splits a v4 polling payload into packets and hands each to <paramref name="onPacket"/>, in order. Returns
    /// false at the first malformed record (the records before it have been handed over).
    /// </summary>
    internal static bool DecodePayload<TState>(ReadOnlySpan<byte> payload, TState state, PacketCallback<TState> onPacket)
    {
        var rest = payload;
        while (true)
        {
            var idx = rest.IndexOf(RecordSeparator);
            var record = idx < 0 ? rest : rest[..idx];
            if (!DecodeRecord(record, state, onPacket, out var keepGoing)) return false;
            if (!keepGoing || idx < 0) return true;
            rest = rest[(idx + 1)..];
        }
    }

    internal delegate bool PacketCallback<TState>(TState state, InboundPacket packet);

    private static bool DecodeRecord<TState>(ReadOnlySpan<byte> record, TState state, PacketCallback<TState> onPacket, out bool keepGoing)
    {
        keepGoing = true;
        if (record.Length > 0 && record[0] == (byte)'b')
        {
            var b64 = record[1..];
            var rented = ArrayPool<byte>.Shared.Rent(LenientBase64.MaxDecodedLength(b64.Length) + 1);
            try
            {
                var written = LenientBase64.Decode(b64, rented);
                keepGoing = onPacket(state, new InboundPacket(EnginePacketType.Message, rented.AsSpan(0, written), true));
                return true;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        if (!TryParseText(record, out var type, out var data)) return false;
        keepGoing = onPacket(state, new InboundPacket(type, data, false));
        return true;
    }

    /// <summary>Length in bytes of the polling payload that <see cref="WritePayload"/> writes.</summary>
    public static int PayloadLength(ReadOnlySpan<OutboundFrame> frames)
    {
        var len = Math.Max(0, frames.Length - 1);
        foreach (var f in frames)
            len += f.IsBinary ? 1 + Base64.GetMaxEncodedToUtf8Length(f.Data.Length) : f.Data.Length;
        return len;
    }

    /// <summary>Writes a v4 polling payload into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WritePayload(ReadOnlySpan<OutboundFrame> frames, Span<byte> destination)
    {
        var pos = 0;
        for (var i = 0; i < frames.Length; i++)
        {
            if (i > 0) destination[pos++] = RecordSeparator;
            var f = frames[i];
            if (f.IsBinary)
            {
                destination[pos++] = (byte)'b';
                Base64.EncodeToUtf8(f.Data.Span, destination[pos..], out _, out var written);
                pos += written;
            }
            else
            {
                f.Data.Span.CopyTo(destination[pos..]);
                pos += f.Data.Length;
            }
        }
        return pos;
    }
}
