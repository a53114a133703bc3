using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SocketIoServer.Engine;

/// <summary>Compression of long-polling responses (Node.js <c>httpCompression</c>). Default on, threshold 1024 bytes.</summary>
public sealed class EngineHttpCompressionOptions
{
    /// <summary>Responses shorter than this many bytes are sent as they are.</summary>
    public int Threshold { get; set; } = 1024;

    public CompressionLevel Level { get; set; } = CompressionLevel.Optimal;

    internal void Validate()
    {
        if (Threshold < 0) throw new InvalidOperationException("EngineOptions.HttpCompression.Threshold must not be negative.");
    }
}

/// <summary>Picks gzip or deflate from <c>Accept-Encoding</c> and compresses a polling payload, as Node.js's polling transport.</summary>
internal static class HttpCompression
{
    private static readonly string[] PollingEncodings = ["gzip", "deflate"]; // the server's order breaks ties, as `accepts`

    /// <summary>The encoding to use for this request, or null (none acceptable, or the client sent no preference).</summary>
    public static string? Negotiate(HttpRequest request) => Negotiate(request, PollingEncodings);

    /// <summary>The best of <paramref name="supported"/> for this request (earlier ones win ties), or null.</summary>
    public static string? Negotiate(HttpRequest request, IReadOnlyList<string> supported)
    {
        var header = request.Headers.AcceptEncoding;
        if (header.Count == 0 || !StringWithQualityHeaderValue.TryParseList(header, out var offered)) return null;
        string? best = null;
        var bestQuality = 0.0;
        foreach (var encoding in supported)
        {
            var quality = QualityOf(offered, encoding);
            if (quality > bestQuality)
            {
                best = encoding;
                bestQuality = quality;
            }
        }
        return best;
    }

    private static double QualityOf(IList<StringWithQualityHeaderValue> offered, string encoding)
    {
        double? exact = null, wildcard = null;
        foreach (var value in offered)
        {
            var quality = value.Quality ?? 1.0;
            if (value.Value.Equals(encoding, StringComparison.OrdinalIgnoreCase)) exact = Math.Max(exact ?? 0, quality);
            else if (value.Value == "*") wildcard = Math.Max(wildcard ?? 0, quality);
        }
        return exact ?? wildcard ?? 0;
    }

    /// <summary>br, gzip (RFC 1952) or deflate as Node's zlib writes it (the zlib format, RFC 1950).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data, string encoding, CompressionLevel level)
    {
        using var output = new MemoryStream(data.Length / 2 + 64);
        using (Stream compressor = encoding switch
               {
                   "br" => new BrotliStream(output, level, leaveOpen: true),
                   "gzip" => new GZipStream(output, level, leaveOpen: true),
                   _ => new ZLibStream(output, level, leaveOpen: true),
               })
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }
}
