namespace SocketIoServer.Engine;

/// <summary>
/// Base64 decoding as Node.js's <c>Buffer.from(s, "base64")</c> does it, which the engine.io parser uses: both the
/// standard and the URL-safe alphabet, padding optional, decoding stops at the first <c>=</c>, and any other
/// character is skipped. Clients that rely on that leniency keep working.
/// </summary>
internal static class LenientBase64
{
    public static int MaxDecodedLength(int encodedLength) => encodedLength * 3 / 4 + 3;

    public static int Decode(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        var written = 0;
        var buffer = 0;
        var bits = 0;
        foreach (var c in encoded)
        {
            int value;
            if (c >= 'A' && c <= 'Z') value = c - 'A';
            else if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
            else if (c >= '0' && c <= '9') value = c - '0' + 52;
            else if (c is (byte)'+' or (byte)'-') value = 62;
            else if (c is (byte)'/' or (byte)'_') value = 63;
            else if (c == '=') break;
            else continue;

            buffer = (buffer << 6) | value;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                destination[written++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        return written;
    }
}
