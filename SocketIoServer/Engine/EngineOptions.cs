using Microsoft.AspNetCore.Http;

namespace SocketIoServer.Engine;

/// <summary>
/// Settings of the Engine.IO layer. Defaults are those of the Node.js <c>engine.io</c> 6.6 server.
/// </summary>
public sealed class EngineOptions
{
    /// <summary>Interval between server pings. Default 25 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long the server waits for a pong after a ping before closing. Default 20 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a transport upgrade may take before the new transport is dropped. Default 10 s.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest message (WebSocket) or HTTP body (polling) accepted, in bytes. Default 1,000,000 (1 MB).</summary>
    public int MaxHttpBufferSize { get; set; } = 1_000_000;

    /// <summary>Transports a client may use, in upgrade order. Default polling and websocket.</summary>
    public IList<string> Transports { get; set; } = new List<string> { TransportNames.Polling, TransportNames.WebSocket };

    /// <summary>Whether polling sessions may upgrade to WebSocket. Default true.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>Accept Engine.IO protocol v3 clients (socket.io-client 2.x). Default false.</summary>
    public bool AllowEIO3 { get; set; }

    /// <summary>CORS policy; null (the default) sends no CORS headers, as Node.js does without <c>cors</c>.</summary>
    public EngineCorsOptions? Cors { get; set; }

    /// <summary>
    /// Hook deciding whether a handshake (or upgrade) request may go on. Return null to accept, or an error
    /// message to refuse with HTTP 403 <c>{"code":4,"message":...}</c>.
    /// </summary>
    public Func<HttpContext, ValueTask<string?>>? AllowRequest { get; set; }

    /// <summary>How long a closing polling session waits for a GET to deliver its last packets. Node.js: 30 s.</summary>
    public TimeSpan PollingCloseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sets a cookie with the session id on the handshake response (Node.js <c>cookie</c>); null (the default) sets
    /// none. <c>new EngineCookieOptions()</c> is Node's <c>cookie: true</c>.
    /// </summary>
    public EngineCookieOptions? Cookie { get; set; }

    /// <summary>
    /// Node.js <c>addTrailingSlash</c>: when true (the default) the server answers on its path followed by a slash
    /// (<c>/socket.io/</c>); when false, on the path without one as well (<c>/socket.io</c>).
    /// </summary>
    public bool AddTrailingSlash { get; set; } = true;

    /// <summary>
    /// Compression of long-polling responses with gzip or deflate when the client accepts it (Node.js
    /// <c>httpCompression</c>): default on, threshold 1024 bytes; null turns it off. Packets sent with
    /// <c>Compress(false)</c> are not compressed.
    /// </summary>
    public EngineHttpCompressionOptions? HttpCompression { get; set; } = new();

    /// <summary>
    /// WebSocket permessage-deflate (Node.js <c>perMessageDeflate</c>); null (the default, as Node.js) turns it off.
    /// With <c>UseSocketIoWebSockets</c>, a client that offers it is served by the ASP.NET Core WebSocket, which
    /// implements the extension.
    /// </summary>
    public EnginePerMessageDeflateOptions? PerMessageDeflate { get; set; }

    /// <summary>
    /// A message sent to every new session right after the open packet, before the handler hears of the session
    /// (Node.js <c>initialPacket</c>): <c>OutboundFrame.Message("...")</c> or <c>OutboundFrame.Binary(bytes)</c>.
    /// </summary>
    public OutboundFrame? InitialPacket { get; set; }

    internal void Validate()
    {
        Cookie?.Validate();
        PerMessageDeflate?.Validate();
        HttpCompression?.Validate();
        if (PingInterval <= TimeSpan.Zero) throw new InvalidOperationException("EngineOptions.PingInterval must be positive.");
        if (PingTimeout <= TimeSpan.Zero) throw new InvalidOperationException("EngineOptions.PingTimeout must be positive.");
        if (UpgradeTimeout <= TimeSpan.Zero) throw new InvalidOperationException("EngineOptions.UpgradeTimeout must be positive.");
        if (MaxHttpBufferSize <= 0) throw new InvalidOperationException("EngineOptions.MaxHttpBufferSize must be positive.");
        if (Transports.Count == 0) throw new InvalidOperationException("EngineOptions.Transports must name at least one transport.");
        foreach (var t in Transports)
        {
            if (t != TransportNames.Polling && t != TransportNames.WebSocket)
                throw new InvalidOperationException($"EngineOptions.Transports: unknown transport '{t}'.");
        }
    }
}

/// <summary>Transport names as they appear in the <c>transport</c> query parameter.</summary>
public static class TransportNames
{
    public const string Polling = "polling";
    public const string WebSocket = "websocket";
}
