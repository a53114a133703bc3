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
        var headers = new Dictionary<string, string>(req.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in req.Headers)
        {
            var text = value.ToString();
            headers[SharedStrings.Share(name.ToLowerInvariant())] = IsUniquePerRequest(name) ? text : SharedStrings.Share(text);
        }
        var query = new Dictionary<string, string>(req.Query.Count, StringComparer.Ordinal);
        foreach (var (name, value) in req.Query)
            query[SharedStrings.Share(name)] = SharedStrings.Share(value.Count > 0 ? value[value.Count - 1] ?? "" : "");
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
