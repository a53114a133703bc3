using System.Buffers;
using System.Text;

namespace SocketIoServer.Hosting.Connections;

/// <summary>
/// The head of an HTTP/1.1 WebSocket upgrade request, parsed straight from a connection's first bytes. The parser
/// is deliberately narrow: it accepts only a plain <c>GET</c> upgrade written the way browsers and socket.io
/// clients write it, and says "not mine" to anything else (absolute targets, folded or non-ASCII headers, bodies),
/// which Kestrel's full HTTP parser then answers exactly as before.
/// </summary>
internal sealed class UpgradeRequestHead
{
    /// <summary>Longer heads go to Kestrel, whose own limits and errors apply.</summary>
    public const int MaxLength = 8192;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    private UpgradeRequestHead(string path, string queryString, List<KeyValuePair<string, string>> headers, string webSocketKey, int length)
    {
        Path = path;
        QueryString = queryString;
        Headers = headers;
        WebSocketKey = webSocketKey;
        Length = length;
    }

    /// <summary>The path, without the query string (never percent-encoded: such targets are not parsed here).</summary>
    public string Path { get; }

    /// <summary>The query string with its leading <c>?</c>, or empty.</summary>
    public string QueryString { get; }

    /// <summary>Header lines in arrival order, names as sent.</summary>
    public List<KeyValuePair<string, string>> Headers { get; }

    public string WebSocketKey { get; }

    /// <summary>Whether the client offers the permessage-deflate extension.</summary>
    public bool OffersPerMessageDeflate => Headers.Any(h =>
        Is(h.Key, "Sec-WebSocket-Extensions") && h.Value.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase));

    /// <summary>Bytes of the head, the blank line included.</summary>
    public int Length { get; }

    /// <summary>How far the bytes read so far decide the question.</summary>
    public enum Verdict
    {
        /// <summary>A complete WebSocket upgrade request this parser understands.</summary>
        Upgrade,
        /// <summary>Anything else: Kestrel's HTTP parser takes the connection.</summary>
        NotMine,
        /// <summary>Could still be an upgrade: read more.</summary>
        NeedMore,
    }

    public static Verdict TryParse(ReadOnlySequence<byte> buffer, out UpgradeRequestHead? head)
    {
        head = null;
        if (!StartsWithGet(buffer, out var undecided)) return undecided ? Verdict.NeedMore : Verdict.NotMine;

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> headBytes, HeadEnd, advancePastDelimiter: true))
            return buffer.Length >= MaxLength ? Verdict.NotMine : Verdict.NeedMore;
        var length = (int)reader.Consumed;
        if (length > MaxLength) return Verdict.NotMine;

        Span<byte> copy = stackalloc byte[length];
        headBytes.CopyTo(copy);
        head = Parse(copy[..(length - HeadEnd.Length)], length);
        return head is null ? Verdict.NotMine : Verdict.Upgrade;
    }

    private static bool StartsWithGet(ReadOnlySequence<byte> buffer, out bool undecided)
    {
        ReadOnlySpan<byte> get = "GET /"u8;
        Span<byte> first = stackalloc byte[5];
        var available = (int)Math.Min(buffer.Length, first.Length);
        buffer.Slice(0, available).CopyTo(first);
        var matches = first[..available].SequenceEqual(get[..available]);
        undecided = matches && available < get.Length;
        return matches && available == get.Length;
    }

    private static UpgradeRequestHead? Parse(ReadOnlySpan<byte> head, int length)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? head : head[..lineEnd];
        if (!requestLine.EndsWith(" HTTP/1.1"u8)) return null;
        var target = requestLine["GET ".Length..^" HTTP/1.1".Length];
        if (target.Length == 0 || target[0] != '/' || !IsPlainTarget(target)) return null;

        var query = target.IndexOf((byte)'?');
        var pathBytes = query < 0 ? target : target[..query];
        if (pathBytes.Contains((byte)'%')) return null; // Kestrel decodes; not worth duplicating
        var path = Encoding.ASCII.GetString(pathBytes);
        var queryString = query < 0 ? "" : Encoding.ASCII.GetString(target[query..]);

        var headers = new List<KeyValuePair<string, string>>(12);
        var rest = lineEnd < 0 ? ReadOnlySpan<byte>.Empty : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlySpan<byte>.Empty : rest[(end + 2)..];
            if (!TryParseHeader(line, out var name, out var value)) return null;
            headers.Add(new(name, value));
        }

        return AcceptsUpgrade(headers, out var key) ? new UpgradeRequestHead(path, queryString, headers, key, length) : null;
    }

    private static bool IsPlainTarget(ReadOnlySpan<byte> target)
    {
        foreach (var b in target)
            if (b <= 0x20 || b >= 0x7F) return false;
        return true;
    }

    private static bool TryParseHeader(ReadOnlySpan<byte> line, out string name, out string value)
    {
        name = value = "";
        var colon = line.IndexOf((byte)':');
        if (colon <= 0) return false; // also refuses folded continuation lines, which start with a space
        var nameBytes = line[..colon];
        foreach (var b in nameBytes)
            if (!IsTokenChar(b)) return false;
        var valueBytes = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in valueBytes)
            if (b != '\t' && (b < 0x20 || b >= 0x7F)) return false;
        name = Encoding.ASCII.GetString(nameBytes);
        value = Encoding.ASCII.GetString(valueBytes);
        return true;
    }

    private static bool IsTokenChar(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';

    /// <summary>The conditions of ASP.NET Core's <c>IsWebSocketRequest</c>, plus a Host and no body.</summary>
    private static bool AcceptsUpgrade(List<KeyValuePair<string, string>> headers, out string key)
    {
        key = "";
        bool host = false, upgrade = false, connection = false, version = false;
        foreach (var (name, value) in headers)
        {
            if (Is(name, "Host")) host = true;
            else if (Is(name, "Upgrade")) upgrade = Is(value, "websocket");
            else if (Is(name, "Connection")) connection |= HasToken(value, "upgrade");
            else if (Is(name, "Sec-WebSocket-Version")) version = value == "13";
            else if (Is(name, "Sec-WebSocket-Key")) key = value;
            else if (Is(name, "Content-Length") || Is(name, "Transfer-Encoding")) return false;
        }
        return host && upgrade && connection && version && IsValidKey(key);
    }

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool HasToken(string value, string token)
    {
        foreach (var range in value.AsSpan().Split(','))
            if (value.AsSpan()[range].Trim().Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }
}
