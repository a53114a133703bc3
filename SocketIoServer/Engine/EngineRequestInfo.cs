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
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in req.Headers)
            headers[name.ToLowerInvariant()] = value.ToString();
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in req.Query)
            query[name] = value.Count > 0 ? value[value.Count - 1] ?? "" : "";
        var ip = context.Connection.RemoteIpAddress;
        return new EngineRequestInfo
        {
            Headers = headers,
            Query = query,
            RemoteAddress = ip is null ? "" : (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : ip.ToString()),
            Url = req.PathBase + req.Path + req.QueryString,
            Secure = req.IsHttps,
            Time = time.GetUtcNow(),
        };
    }
}
