using System.Text.RegularExpressions;

namespace SocketIoServer.Chat.Vocabularies.WhisperSpace;

/// <summary>
/// Seed 000's text rules as its Node.js server applies them: <c>normalizeRoomCode</c> (trim, upper-case), JavaScript's
/// <c>String.prototype.trim</c>, and the four XSS replacements of <c>send_message</c>, in the seed's order. The
/// regular expressions are the seed's, with JavaScript's ASCII <c>\w</c>/<c>\b</c> and its <c>\s</c> spelled out, so
/// that .NET's wider Unicode classes do not change what is removed.
/// </summary>
public static partial class WhisperText
{
    /// <summary><c>(code || '').trim().toUpperCase()</c>; a value that is not a string counts as empty.</summary>
    /// <remarks>Upper-casing is .NET's invariant one: JavaScript's one-to-many special casings (ß → SS) are not applied.</remarks>
    public static string NormalizeRoomCode(string? code) => JsTrim(code ?? "").ToUpperInvariant();

    /// <summary>JavaScript's <c>trim()</c>: its white space and line terminators, which differ from .NET's (U+FEFF yes, U+0085 no).</summary>
    public static string JsTrim(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsJsWhiteSpace(text[start])) start++;
        while (end > start && IsJsWhiteSpace(text[end - 1])) end--;
        return start == 0 && end == text.Length ? text : text[start..end];
    }

    private static bool IsJsWhiteSpace(char c) => c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680'
        or (>= '\u2000' and <= '\u200A') or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF';

    /// <summary>The seed's four replacements: script elements, iframe elements, <c>javascript:</c>, <c>on…=</c>.</summary>
    public static string Sanitize(string text)
    {
        text = ScriptElement().Replace(text, "");
        text = IframeElement().Replace(text, "");
        text = JavascriptScheme().Replace(text, "");
        return EventHandlerAttribute().Replace(text, "");
    }

    // /<script\b[^<]*(?:(?!<\/script>)<[^<]*)*<\/script>/gi
    [GeneratedRegex(@"<script(?![A-Za-z0-9_])[^<]*(?:(?!</script>)<[^<]*)*</script>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptElement();

    // /<iframe\b[^<]*(?:(?!<\/iframe>)<[^<]*)*<\/iframe>/gi
    [GeneratedRegex(@"<iframe(?![A-Za-z0-9_])[^<]*(?:(?!</iframe>)<[^<]*)*</iframe>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IframeElement();

    // /javascript:/gi
    [GeneratedRegex("javascript:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JavascriptScheme();

    // /on\w+\s*=/gi
    [GeneratedRegex("on[A-Za-z0-9_]+[\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]*=",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EventHandlerAttribute();
}
