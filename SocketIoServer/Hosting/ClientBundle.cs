using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SocketIoServer.Engine;

namespace SocketIoServer.Hosting;

/// <summary>
/// The browser client files served under the Socket.IO path (Node.js <c>serveClient</c>): the <c>dist</c> files of
/// the npm <c>socket.io-client</c> package, with the package version as ETag (304 on a match), and compressed with
/// br, gzip or deflate when the browser accepts it, as the Node.js server sends them.
/// </summary>
internal sealed class ClientBundle
{
    private static readonly HashSet<string> Files = new(StringComparer.Ordinal)
    {
        "socket.io.esm.min.js", "socket.io.esm.min.js.map", "socket.io.js", "socket.io.js.map",
        "socket.io.min.js", "socket.io.min.js.map", "socket.io.msgpack.min.js", "socket.io.msgpack.min.js.map",
    };

    private static readonly string[] Encodings = ["br", "gzip", "deflate"];

    private readonly string _directory;
    private readonly string _etag;
    // The files of an installed package do not change: each is read, and compressed per encoding, once.
    private readonly ConcurrentDictionary<(string File, string? Encoding), byte[]> _contents = new();

    private ClientBundle(string directory, string version)
    {
        _directory = directory;
        _etag = "\"" + version + "\"";
    }

    /// <summary>The bundle in <paramref name="directory"/>, or the first one found upwards; null when there is none.</summary>
    public static ClientBundle? Find(string? directory)
    {
        var candidates = directory is not null
            ? [directory]
            : Upwards(Directory.GetCurrentDirectory()).Concat(Upwards(AppContext.BaseDirectory))
                .Select(d => Path.Combine(d, "node_modules", "socket.io-client", "dist"));
        foreach (var dist in candidates)
        {
            var package = Path.Combine(dist, "..", "package.json");
            if (!File.Exists(Path.Combine(dist, "socket.io.js")) || !File.Exists(package)) continue;
            using var json = JsonDocument.Parse(File.ReadAllText(package));
            return new ClientBundle(dist, json.RootElement.GetProperty("version").GetString() ?? "0");
        }
        return null;
    }

    private static IEnumerable<string> Upwards(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent) yield return dir.FullName;
    }

    /// <summary>The client file a request under <paramref name="basePath"/> asks for, if it is one.</summary>
    public static string? FileOf(HttpRequest request, string basePath)
    {
        var path = request.Path.Value ?? "";
        if (path.Length <= basePath.Length + 1 || path[basePath.Length] != '/') return null;
        var name = path[(basePath.Length + 1)..];
        return Files.Contains(name) ? name : null;
    }

    /// <summary>The file's bytes in <paramref name="encoding"/> (null: as stored); null when the bundle lacks the file.</summary>
    private async ValueTask<byte[]?> ContentAsync(string file, string? encoding, CancellationToken cancellationToken)
    {
        if (_contents.TryGetValue((file, encoding), out var cached)) return cached;
        var fullPath = Path.Combine(_directory, file);
        if (!File.Exists(fullPath)) return null;
        var body = await File.ReadAllBytesAsync(fullPath, cancellationToken);
        if (encoding is not null) body = HttpCompression.Compress(body, encoding, CompressionLevel.Optimal);
        return _contents.GetOrAdd((file, encoding), body);
    }

    public async Task ServeAsync(HttpContext context, string file)
    {
        var request = context.Request;
        var response = context.Response;
        var sent = request.Headers.IfNoneMatch.ToString();
        if (sent == _etag || sent == "W/" + _etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var encoding = HttpCompression.Negotiate(request, Encodings);
        if (await ContentAsync(file, encoding, context.RequestAborted) is not { } body)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        response.Headers.CacheControl = "public, max-age=0";
        response.ContentType = "application/" + (file.EndsWith(".map", StringComparison.Ordinal) ? "json" : "javascript") + "; charset=utf-8";
        response.Headers.ETag = _etag;
        if (encoding is not null) response.Headers.ContentEncoding = encoding;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
