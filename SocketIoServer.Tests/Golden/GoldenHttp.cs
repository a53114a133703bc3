using System.Net.Sockets;
using System.Text;

namespace SocketIoServer.Tests.Golden;

/// <summary>One HTTP response as it came off the wire: header names lower-cased, in arrival order.</summary>
public sealed record RawHttpResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name)
    {
        var values = Headers.Where(h => h.Key == name).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}

/// <summary>
/// A minimal HTTP/1.1 client over a raw TCP connection, so that the tests see the framing headers
/// (Content-Length vs Transfer-Encoding) exactly as the server wrote them, which HttpClient hides. It sends what
/// the recording client sent: the listed request headers, Host, and <c>Connection: close</c> (Node's
/// <c>agent: false</c>), plus Content-Length when there is a body (Node's <c>req.end(body)</c> does the same).
/// </summary>
public static class GoldenHttp
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    public static async Task<RawHttpResponse> SendAsync(int port, string method, string path,
        IEnumerable<KeyValuePair<string, string>> headers, byte[]? body, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, cts.Token);
        var stream = tcp.GetStream();
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("Host: 127.0.0.1:").Append(port).Append("\r\n");
        head.Append("Connection: close\r\n");
        if (body is not null) head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        head.Append("\r\n");

        // The body is written while the response is read: a server may answer (413) before reading it all.
        var write = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cts.Token);
                if (body is not null) await stream.WriteAsync(body, cts.Token);
                await stream.FlushAsync(cts.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // the server stopped reading; its response is what counts
            }
        }, CancellationToken.None);

        var (raw, _) = await ReadToEndAsync(stream, cts.Token, throwOnTimeout: true);
        await write;
        var responses = Parse(raw);
        if (responses.Count != 1) throw new InvalidOperationException($"expected one HTTP response, got {responses.Count}");
        return responses[0];
    }

    /// <summary>Reads until the peer closes; with <paramref name="throwOnTimeout"/> false a timeout just stops reading.</summary>
    public static async Task<(byte[] Data, bool Closed)> ReadToEndAsync(Stream stream, CancellationToken token, bool throwOnTimeout)
    {
        using var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer, token);
                if (n == 0) return (all.ToArray(), true);
                all.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException) when (!throwOnTimeout)
        {
            return (all.ToArray(), false);
        }
        catch (IOException)
        {
            // connection reset after the response: the data read so far is the answer
            return (all.ToArray(), true);
        }
    }

    /// <summary>Splits raw bytes into the HTTP responses they hold (a 101 may be followed by more bytes).</summary>
    public static List<RawHttpResponse> Parse(ReadOnlySpan<byte> raw)
    {
        var result = new List<RawHttpResponse>();
        while (raw.Length > 0)
        {
            var end = raw.IndexOf(HeaderEnd);
            if (end < 0) throw new InvalidOperationException("incomplete HTTP response head: " + Encoding.UTF8.GetString(raw));
            var lines = Encoding.ASCII.GetString(raw[..end]).Split("\r\n");
            raw = raw[(end + 4)..];
            var statusParts = lines[0].Split(' ', 3);
            var status = int.Parse(statusParts[1], System.Globalization.CultureInfo.InvariantCulture);
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers.Add(new(line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim()));
            }
            var response = new RawHttpResponse(status, headers, []);
            byte[] body;
            if (status == 101 || status == 204 || status == 304)
            {
                body = [];
            }
            else if (response.Header("transfer-encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                using var decoded = new MemoryStream();
                while (true)
                {
                    var lineEnd = raw.IndexOf("\r\n"u8);
                    var sizeText = Encoding.ASCII.GetString(raw[..lineEnd]).Split(';')[0].Trim();
                    var size = Convert.ToInt32(sizeText, 16);
                    raw = raw[(lineEnd + 2)..];
                    if (size == 0)
                    {
                        // no trailers expected: just the final CRLF
                        var trailerEnd = raw.IndexOf("\r\n"u8);
                        raw = raw[(trailerEnd + 2)..];
                        break;
                    }
                    decoded.Write(raw[..size]);
                    raw = raw[(size + 2)..];
                }
                body = decoded.ToArray();
            }
            else if (response.Header("content-length") is { } cl)
            {
                var length = int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture);
                body = raw[..Math.Min(length, raw.Length)].ToArray();
                raw = raw[body.Length..];
            }
            else
            {
                body = raw.ToArray();
                raw = [];
            }
            result.Add(response with { Body = body });
        }
        return result;
    }
}
