using System.Buffers;
using System.Globalization;
using System.Text;

namespace SocketIoServer.Engine;

/// <summary>
/// Engine.IO v3 (EIO=3) input from legacy clients: polling payloads (text and binary) and WebSocket messages, read
/// with the rules of Node.js's engine.io 6 (<c>parser-v3</c>), quirks included, so that what Node.js accepts is
/// accepted and what it refuses is refused. Pure; no I/O. Each method hands the packets to the callback in order
/// and returns false on malformed input (the packets before it have been handed over, as in Node.js).
/// </summary>
internal static class EngineV3PayloadReader
{
    private const byte LengthEnd = 0xFF;
    // Node.js gives up on a length string longer than this ("char length of Number.MAX_VALUE")
    private const int MaxLengthChars = 310;

    /// <summary>
    /// A text payload: <c>&lt;length&gt;:&lt;packet&gt;</c> repeated, the length in UTF-16 code units of the
    /// packet (the body is read as UTF-8, each invalid sequence counting as one U+FFFD, as Node.js decodes it).
    /// </summary>
    public static bool DecodeText<TState>(ReadOnlySpan<byte> payload, TState state, EnginePacketCodec.PacketCallback<TState> onPacket)
    {
        if (payload.IsEmpty) return false;
        var rest = payload;
        while (!rest.IsEmpty)
        {
            var colon = rest.IndexOf((byte)':');
            // no colon: characters left over after the last packet; an empty length: ":" alone
            if (colon <= 0 || !TryParseLength(rest[..colon], out var units)) return false;
            rest = rest[(colon + 1)..];
            var end = Utf16Advance(rest, units);
            if (end < 0) return false;
            if (end > 0)
            {
                if (!DecodeTextPacket(rest[..end], state, onPacket, out var keepGoing)) return false;
                if (!keepGoing) return true;
            }
            rest = rest[end..];
        }
        return true;
    }

    /// <summary>
    /// A binary payload (<c>application/octet-stream</c>): per packet a marker byte (0 text, anything else binary),
    /// the length's decimal digits as byte values, 255, then the packet. Node.js splits the whole payload before
    /// handing over any packet, so a framing error delivers none.
    /// </summary>
    public static bool DecodeBinary<TState>(ReadOnlySpan<byte> payload, TState state, EnginePacketCodec.PacketCallback<TState> onPacket)
    {
        for (var pos = 0; pos < payload.Length;)
            if (!TryNextEntry(payload, ref pos, out _, out _)) return false;

        for (var pos = 0; pos < payload.Length;)
        {
            TryNextEntry(payload, ref pos, out var isText, out var message);
            bool keepGoing;
            if (isText)
            {
                if (!DecodeTextPacket(message, state, onPacket, out keepGoing, validateUtf8: true)) return false;
            }
            else
            {
                keepGoing = DecodeBinaryPacket(message, state, onPacket);
            }
            if (!keepGoing) return true;
        }
        return true;
    }

    /// <summary>One WebSocket message: text is a packet (or <c>b</c> + type + base64); binary starts with its type byte.</summary>
    public static bool DecodeWebSocketMessage<TState>(ReadOnlySpan<byte> data, bool binary, TState state, EnginePacketCodec.PacketCallback<TState> onPacket)
    {
        if (binary)
        {
            DecodeBinaryPacket(data, state, onPacket);
            return true;
        }
        return DecodeTextPacket(data, state, onPacket, out _);
    }

    /// <summary>
    /// The next entry of a binary payload, exactly as Node.js cuts it: the length string is the decimal text of each
    /// byte before the 255 (a byte 12 reads "12"), and Node.js then skips as many bytes as that string has characters;
    /// a length past the end is cut short rather than refused.
    /// </summary>
    private static bool TryNextEntry(ReadOnlySpan<byte> payload, ref int pos, out bool isText, out ReadOnlySpan<byte> message)
    {
        message = default;
        isText = payload[pos] == 0;
        var lengthChars = 0;
        double length = 0;
        for (var i = pos + 1; ; i++)
        {
            if (i < payload.Length && payload[i] == LengthEnd) break;
            if (lengthChars > MaxLengthChars) return false;
            // past the end Node.js reads "undefined" until the bound above is passed
            if (i >= payload.Length) return false;
            var b = payload[i];
            var chars = b >= 100 ? 3 : b >= 10 ? 2 : 1;
            length = length * (chars == 1 ? 10 : chars == 2 ? 100 : 1000) + b;
            lengthChars += chars;
        }

        var tail = Math.Min(pos + lengthChars + 1, payload.Length);
        var available = payload.Length - tail;
        if (lengthChars == 0)
        {
            // parseInt("") is NaN: an empty message, and the next entry starts where this one's 255 is
            pos = tail;
            return true;
        }
        var end = length + 1 >= available ? available : (int)length + 1;
        if (end > 1) message = payload.Slice(tail + 1, end - 1);
        pos = tail + end;
        return true;
    }

    private static bool TryParseLength(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (c < '0' || c > '9') return TryParseJsNumber(digits, out value);
            var next = (long)value * 10 + (c - '0');
            if (next > int.MaxValue) return false; // longer than any body
            value = (int)next;
        }
        return true;
    }

    /// <summary>
    /// The rest of what Node.js's <c>Number(length)</c> takes (" 5", "+5", "5.0", "5e0", "0x5"; "" and spaces are 0),
    /// as long as the result can be the length of the packet: a whole number, not negative.
    /// </summary>
    private static bool TryParseJsNumber(ReadOnlySpan<byte> utf8, out int value)
    {
        value = 0;
        var text = Encoding.UTF8.GetString(utf8).Trim(JsWhiteSpace);
        double number;
        if (text.Length == 0)
        {
            number = 0;
        }
        else if (text.Length > 2 && text[0] == '0' && (text[1] | 0x20) is 'x' or 'o' or 'b')
        {
            var radix = (text[1] | 0x20) switch { 'x' => 16, 'o' => 8, _ => 2 };
            number = 0;
            foreach (var c in text.AsSpan(2))
            {
                var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? (c | 0x20) - 'a' + 10 : 99;
                if (digit >= radix) return false;
                number = number * radix + digit;
            }
        }
        else if (text.AsSpan().IndexOfAnyExcept("0123456789.eE+-") >= 0 ||
                 !double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                     CultureInfo.InvariantCulture, out number))
        {
            return false;
        }
        if (number < 0 || number > int.MaxValue || number != Math.Floor(number)) return false;
        value = (int)number;
        return true;
    }

    // JavaScript's StrWhiteSpaceChar: white space and line terminators
    private static readonly char[] JsWhiteSpace =
    [
        ' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005',
        '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff',
    ];

    /// <summary>Bytes holding exactly <paramref name="units"/> UTF-16 code units; -1 when there are fewer, or when
    /// the count ends inside a surrogate pair (Node.js would then read half a character as the next length).</summary>
    private static int Utf16Advance(ReadOnlySpan<byte> utf8, int units)
    {
        var pos = 0;
        while (units > 0)
        {
            if (pos >= utf8.Length) return -1;
            var rest = utf8[pos..];
            var ascii = rest.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (ascii != 0)
            {
                var take = Math.Min(ascii < 0 ? rest.Length : ascii, units);
                pos += take;
                units -= take;
                continue;
            }
            // an invalid sequence is one U+FFFD, as Node.js's UTF-8 decoding of the body makes it
            var status = Rune.DecodeFromUtf8(rest, out var rune, out var consumed);
            var count = status == OperationStatus.Done ? rune.Utf16SequenceLength : 1;
            if (count > units) return -1;
            pos += consumed;
            units -= count;
        }
        return pos;
    }

    /// <summary>A text packet: type digit and data, or <c>b</c> + type + base64 data.</summary>
    private static bool DecodeTextPacket<TState>(ReadOnlySpan<byte> message, TState state, EnginePacketCodec.PacketCallback<TState> onPacket,
        out bool keepGoing, bool validateUtf8 = false)
    {
        keepGoing = true;
        if (!message.IsEmpty && message[0] == (byte)'b')
        {
            // a type that is not a packet type gives Node.js a packet it ignores, not an error
            if (message.Length < 2 || message[1] < (byte)'0' || message[1] > (byte)'6') return true;
            var type = (EnginePacketType)message[1];
            var b64 = message[2..];
            var rented = ArrayPool<byte>.Shared.Rent(LenientBase64.MaxDecodedLength(b64.Length) + 1);
            try
            {
                var written = LenientBase64.Decode(b64, rented);
                keepGoing = onPacket(state, new InboundPacket(type, rented.AsSpan(0, written), true));
                return true;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        // Text inside a binary payload travels as UTF-8 bytes that Node.js decodes strictly. (Its decoder turns an
        // encoded lone surrogate into U+FFFD where this refuses it; engine.io-client never sends one.)
        if (validateUtf8 && !System.Text.Unicode.Utf8.IsValid(message)) return false;
        if (!EnginePacketCodec.TryParseText(message, out var packetType, out var data)) return false;
        keepGoing = onPacket(state, new InboundPacket(packetType, data, false));
        return true;
    }

    /// <summary>A binary packet: its first byte is the type; an unknown or missing type is ignored, as Node.js does.</summary>
    private static bool DecodeBinaryPacket<TState>(ReadOnlySpan<byte> message, TState state, EnginePacketCodec.PacketCallback<TState> onPacket)
    {
        if (message.IsEmpty || message[0] > 6) return true;
        return onPacket(state, new InboundPacket((EnginePacketType)(message[0] + '0'), message[1..], true));
    }
}
