using System.Buffers.Text;
using System.Text;

namespace SocketIoServer.Engine;

/// <summary>
/// Engine.IO v3 (EIO=3) polling payloads from the server, as Node.js's engine.io 6 writes them for legacy clients
/// (its <c>parser-v3</c>). Pure; no I/O.
/// <list type="bullet">
/// <item>Text: each packet as <c>&lt;length&gt;:&lt;packet&gt;</c>, the length counted in UTF-16 code units (a
/// JavaScript string's length, not bytes); a binary packet is <c>b4&lt;base64&gt;</c>.</item>
/// <item>Binary, when the client takes binary (no <c>b64</c> query parameter) and a packet is binary: each packet as
/// a marker byte (0 text, 1 binary), the decimal digits of its byte length as byte values 0–9, 255, then its
/// bytes (a binary packet keeps its type byte 4 in front).</item>
/// </list>
/// </summary>
public static class EngineV3PayloadWriter
{
    private const byte BinaryMessageType = 4;
    private const byte LengthEnd = 0xFF;

    /// <summary>Whether Node.js would write these frames as a binary payload for such a client.</summary>
    public static bool IsBinaryPayload(ReadOnlySpan<OutboundFrame> frames, bool supportsBinary)
    {
        if (!supportsBinary) return false;
        foreach (var frame in frames)
            if (frame.IsBinary) return true;
        return false;
    }

    /// <summary>An upper bound of the bytes <see cref="WriteText"/> writes.</summary>
    public static int MaxTextLength(ReadOnlySpan<OutboundFrame> frames)
    {
        var length = frames.IsEmpty ? 2 : 0;
        foreach (var frame in frames)
        {
            var data = frame.IsBinary ? 2 + Base64.GetMaxEncodedToUtf8Length(frame.Data.Length) : frame.Data.Length;
            length += MaxDigits + 1 + data;
        }
        return length;
    }

    /// <summary>Writes a text payload; returns the bytes written. No frames is <c>0:</c>, as Node.js.</summary>
    public static int WriteText(ReadOnlySpan<OutboundFrame> frames, Span<byte> destination)
    {
        if (frames.IsEmpty)
        {
            "0:"u8.CopyTo(destination);
            return 2;
        }
        var pos = 0;
        foreach (var frame in frames)
        {
            var data = frame.Data.Span;
            if (frame.IsBinary)
            {
                var encodedLength = Base64.GetMaxEncodedToUtf8Length(data.Length);
                pos += WriteDecimal(2 + encodedLength, destination[pos..]);
                destination[pos++] = (byte)':';
                destination[pos++] = (byte)'b';
                destination[pos++] = (byte)('0' + BinaryMessageType);
                Base64.EncodeToUtf8(data, destination[pos..], out _, out var written);
                pos += written;
            }
            else
            {
                pos += WriteDecimal(Utf16Length(data), destination[pos..]);
                destination[pos++] = (byte)':';
                data.CopyTo(destination[pos..]);
                pos += data.Length;
            }
        }
        return pos;
    }

    /// <summary>The exact bytes <see cref="WriteBinary"/> writes.</summary>
    public static int BinaryLength(ReadOnlySpan<OutboundFrame> frames)
    {
        var length = 0;
        foreach (var frame in frames)
        {
            var size = frame.IsBinary ? frame.Data.Length + 1 : frame.Data.Length;
            length += 1 + DigitCount(size) + 1 + size;
        }
        return length;
    }

    /// <summary>Writes a binary payload; returns the bytes written.</summary>
    public static int WriteBinary(ReadOnlySpan<OutboundFrame> frames, Span<byte> destination)
    {
        var pos = 0;
        foreach (var frame in frames)
        {
            var data = frame.Data.Span;
            var size = frame.IsBinary ? data.Length + 1 : data.Length;
            destination[pos++] = frame.IsBinary ? (byte)1 : (byte)0;
            // the digits as byte values, not characters: 12 bytes is 0x01 0x02
            var digits = DigitCount(size);
            for (var i = digits - 1; i >= 0; i--)
            {
                destination[pos + i] = (byte)(size % 10);
                size /= 10;
            }
            pos += digits;
            destination[pos++] = LengthEnd;
            if (frame.IsBinary) destination[pos++] = BinaryMessageType;
            data.CopyTo(destination[pos..]);
            pos += data.Length;
        }
        return pos;
    }

    /// <summary>
    /// A binary frame as a v3 WebSocket message: the bytes behind the type byte 4 (binary message), or
    /// <c>b4&lt;base64&gt;</c> text for a client that asked for base64. Allocates; v3 only.
    /// </summary>
    public static OutboundFrame ToWebSocketFrame(in OutboundFrame binary, bool supportsBinary)
    {
        var data = binary.Data.Span;
        OutboundFrame frame;
        if (supportsBinary)
        {
            var bytes = new byte[data.Length + 1];
            bytes[0] = BinaryMessageType;
            data.CopyTo(bytes.AsSpan(1));
            frame = OutboundFrame.Binary(bytes);
        }
        else
        {
            var bytes = new byte[2 + Base64.GetMaxEncodedToUtf8Length(data.Length)];
            bytes[0] = (byte)'b';
            bytes[1] = (byte)('0' + BinaryMessageType);
            Base64.EncodeToUtf8(data, bytes.AsSpan(2), out _, out _);
            frame = OutboundFrame.Text(bytes);
        }
        return binary.Compress ? frame : frame.WithoutCompression();
    }

    /// <summary>Length of a UTF-8 string as JavaScript counts it (UTF-16 code units).</summary>
    internal static int Utf16Length(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetCharCount(utf8);

    private const int MaxDigits = 10; // int.MaxValue

    private static int DigitCount(int value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }

    private static int WriteDecimal(int value, Span<byte> destination)
    {
        System.Buffers.Text.Utf8Formatter.TryFormat(value, destination, out var written);
        return written;
    }
}
