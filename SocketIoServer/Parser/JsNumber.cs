using System.Globalization;

namespace SocketIoServer.Parser;

/// <summary>
/// JavaScript's <c>Number(string)</c>, which the Node.js parser uses to read packet types, attachment counts and
/// ack ids; matching it keeps us accepting and refusing exactly the headers Node.js does.
/// </summary>
internal static class JsNumber
{
    public static bool IsWhiteSpace(char c) =>
        c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or '\u00a0' or '\u1680' or '\u2028' or '\u2029' or '\u202f'
            or '\u205f' or '\u3000' or '\ufeff' || (c >= '\u2000' && c <= '\u200a');

    /// <summary>True when <c>Number(c) == c</c> holds for a one-character string: a digit or white space.</summary>
    public static bool IsNumericChar(char c) => char.IsAsciiDigit(c) || IsWhiteSpace(c);

    /// <summary><c>Number(text)</c>: NaN when JavaScript would give NaN.</summary>
    public static double Parse(ReadOnlySpan<char> text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsWhiteSpace(text[start])) start++;
        while (end > start && IsWhiteSpace(text[end - 1])) end--;
        var s = text[start..end];
        if (s.IsEmpty) return 0;

        if (s.Length > 2 && s[0] == '0' && (s[1] | 0x20) is 'x' or 'o' or 'b')
        {
            var radix = (s[1] | 0x20) switch { 'x' => 16, 'o' => 8, _ => 2 };
            double value = 0;
            foreach (var c in s[2..])
            {
                var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? (c | 0x20) - 'a' + 10 : 99;
                if (digit >= radix) return double.NaN;
                value = value * radix + digit;
            }
            return value;
        }

        var unsigned = s[0] is '+' or '-' ? s[1..] : s;
        if (unsigned.SequenceEqual("Infinity")) return s[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        foreach (var c in unsigned)
        {
            // JavaScript accepts only digits, one dot and an exponent: no "NaN", "Infinity" spelled otherwise, or commas
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')) return double.NaN;
        }
        return double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var result) ? result : double.NaN;
    }
}
