using Microsoft.AspNetCore.Http;

namespace SocketIoServer.Engine;

/// <summary>What the upper layers may know of the request that opened a session, copied so the HTTP request can go.</summary>
public sealed class EngineRequestInfo
{
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required IReadOnlyDictionary<string, string> Query { get; init; }

    public required string RemoteAddress { get; init; }

    /// <summary>Path and query string, as Node.js's <c>req.url</c>.</summary>
    public required string Url { get; init; }

    public required bool Secure { get; init; }

    public required DateTimeOffset Time { get; init; }

    internal static EngineRequestInfo From(HttpContext context, TimeProvider time)
    {
        var req = context.Request;
        var headers = new CompactStringMap(req.Headers.Select(h => new KeyValuePair<string, string>(
            SharedStrings.Share(h.Key.ToLowerInvariant()),
            IsUniquePerRequest(h.Key) ? h.Value.ToString() : SharedStrings.Share(h.Value.ToString()))), StringComparer.OrdinalIgnoreCase);
        var query = new CompactStringMap(req.Query.Select(q => new KeyValuePair<string, string>(
            SharedStrings.Share(q.Key),
            SharedStrings.Share(q.Value.Count > 0 ? q.Value[q.Value.Count - 1] ?? "" : ""))), StringComparer.Ordinal);
        var ip = context.Connection.RemoteIpAddress;
        return new EngineRequestInfo
        {
            Headers = headers,
            Query = query,
            RemoteAddress = ip is null ? "" : SharedStrings.Share(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : ip.ToString()),
            Url = SharedStrings.Share(req.PathBase + req.Path + req.QueryString),
            Secure = req.IsHttps,
            Time = time.GetUtcNow(),
        };
    }

    // not worth a slot in the shared pool
    private static bool IsUniquePerRequest(string header) =>
        header.Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase) ||
        header.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ||
        header.Equals("Authorization", StringComparison.OrdinalIgnoreCase);
}
