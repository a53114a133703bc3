using System.Text;
using System.Text.Encodings.Web;

namespace SocketIoServer.Parser;

/// <summary>
/// Escapes strings the way JavaScript's <c>JSON.stringify</c> does, so our frames match Node.js byte for byte:
/// <c>"</c>, <c>\</c>, the short escapes for \b \t \n \f \r, <c>\u00xx</c> (lower-case hex) for other control
/// characters, and nothing else.
/// </summary>
internal sealed class JavaScriptStringifyEncoder : JavaScriptEncoder
{
    public static readonly JavaScriptStringifyEncoder Instance = new();

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            var c = text[i];
            if (c < 0x20 || c == '"' || c == '\\') return i;
            if (char.IsSurrogate(c))
            {
                // a lone surrogate cannot be represented in UTF-8; let the writer escape it
                if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return i;
            }
        }
        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        for (var i = 0; i < utf8Text.Length; i++)
        {
            var b = utf8Text[i];
            if (b < 0x20 || b == (byte)'"' || b == (byte)'\\') return i;
            if (b >= 0x80)
            {
                // check the sequence is valid UTF-8; invalid bytes are left to the writer
                if (Rune.DecodeFromUtf8(utf8Text[i..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return i;
                i += consumed - 1;
            }
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        ReadOnlySpan<char> escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\f' => "\\f",
            '\r' => "\\r",
            _ => default,
        };

        if (escape.IsEmpty)
        {
            if (unicodeScalar >= 0x20)
            {
                // not ours to escape: write the scalar as it is
                var rune = new Rune(unicodeScalar);
                if (bufferLength < rune.Utf16SequenceLength) { numberOfCharactersWritten = 0; return false; }
                numberOfCharactersWritten = rune.EncodeToUtf16(new Span<char>(buffer, bufferLength));
                return true;
            }
            if (bufferLength < 6) { numberOfCharactersWritten = 0; return false; }
            var span = new Span<char>(buffer, 6);
            "\\u00".CopyTo(span);
            span[4] = HexLower(unicodeScalar >> 4);
            span[5] = HexLower(unicodeScalar & 0xF);
            numberOfCharactersWritten = 6;
            return true;
        }

        if (bufferLength < escape.Length) { numberOfCharactersWritten = 0; return false; }
        escape.CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = escape.Length;
        return true;
    }

    private static char HexLower(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
