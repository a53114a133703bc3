using System.Text;

namespace SocketIoServer.Server;

/// <summary>
/// A v3 client's namespace read as Node.js reads it, <c>new URL(nsp, "https://socket.io")</c> (WHATWG URL): the
/// path with dot segments resolved, backslashes as slashes and the characters of the path percent-encode set
/// escaped (others, "%41" included, kept as written), and the raw query. System.Uri differs on exactly those
/// details, so the path is resolved here; only an authority ("//host/...") goes through System.Uri to be checked.
/// </summary>
internal static class NamespaceUrl
{
    private static readonly Uri Base = new("https://socket.io");

    /// <summary>The pathname and the query (without "?", null when none); false when it is not a URL.</summary>
    public static bool TryParse(string nsp, out string path, out string? query)
    {
        path = "/";
        query = null;
        var input = Clean(nsp);
        var hash = input.IndexOf('#');
        if (hash >= 0) input = input[..hash];
        var question = input.IndexOf('?');
        if (question >= 0)
        {
            query = input[(question + 1)..];
            input = input[..question];
        }

        if (input.Length >= 2 && IsSlash(input[0]) && IsSlash(input[1]))
        {
            // "//host/path": the host must be one; the path is what follows it
            if (!Uri.TryCreate(Base, input.Replace('\\', '/'), out _)) return false;
            var end = input.AsSpan(2).IndexOfAny('/', '\\');
            input = end < 0 ? "" : input[(end + 2)..];
        }
        path = Resolve(input);
        return true;
    }

    /// <summary>WHATWG strips leading and trailing C0 controls and spaces, and removes tabs and newlines.</summary>
    private static string Clean(string s)
    {
        s = s.Trim(Enumerable.Range(0, 0x21).Select(c => (char)c).ToArray());
        return s.IndexOfAny(['\t', '\n', '\r']) < 0 ? s : s.Replace("\t", "").Replace("\n", "").Replace("\r", "");
    }

    private static bool IsSlash(char c) => c is '/' or '\\';

    private static string Resolve(string input)
    {
        var segments = new List<string>();
        var parts = input.Split('/', '\\');
        // a path without leading slash is relative to the base's "/": the same segments
        var start = input.Length > 0 && IsSlash(input[0]) ? 1 : 0;
        for (var i = start; i < parts.Length; i++)
        {
            var segment = parts[i];
            var last = i == parts.Length - 1;
            if (IsDoubleDot(segment))
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                if (last) segments.Add("");
            }
            else if (IsSingleDot(segment))
            {
                if (last) segments.Add("");
            }
            else
            {
                segments.Add(Escape(segment));
            }
        }
        return "/" + string.Join('/', segments);
    }

    private static bool IsSingleDot(string s) => s == "." || s.Equals("%2e", StringComparison.OrdinalIgnoreCase);

    private static bool IsDoubleDot(string s) => s.Length is 2 or 4 or 6 &&
        s.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase) == "..";

    /// <summary>The path percent-encode set: C0 controls, space, " # &lt; &gt; ? ` { }, and everything past "~".</summary>
    private static string Escape(string segment)
    {
        if (!segment.Any(NeedsEscape)) return segment;
        var builder = new StringBuilder();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in segment.EnumerateRunes())
        {
            if (rune.Value < 0x80 && !NeedsEscape((char)rune.Value))
            {
                builder.Append((char)rune.Value);
                continue;
            }
            var n = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < n; i++) builder.Append('%').Append(utf8[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static bool NeedsEscape(char c) => c <= 0x20 || c > 0x7E || c is '"' or '#' or '<' or '>' or '?' or '`' or '{' or '}';
}
