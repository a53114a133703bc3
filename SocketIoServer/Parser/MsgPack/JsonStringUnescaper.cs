using System.Globalization;
using System.Text;

namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// Unescapes the raw text of a JSON string that <see cref="System.Text.Json.Utf8JsonReader"/> refuses to: one with an
/// escaped lone surrogate (<c>"\ud800"</c>), which a user's own JSON text may hold. Lone surrogates become U+FFFD in
/// UTF-8, as Node.js's <c>Buffer.write</c> makes them. Only the reader's already validated escapes occur here.
/// </summary>
internal static class JsonStringUnescaper
{
    public static byte[] Unescape(ReadOnlySpan<byte> escaped)
    {
        var text = Encoding.UTF8.GetString(escaped); // escapes are ASCII, so they survive as they are
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                result.Append(c);
                continue;
            }
            c = text[++i];
            switch (c)
            {
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'u' when i + 4 < text.Length:
                    result.Append((char)int.Parse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: result.Append(c); break; // \" \\ \/
            }
        }
        return Encoding.UTF8.GetBytes(result.ToString());
    }
}
