using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace SocketIoServer.Hosting.Connections;

/// <summary>
/// An <see cref="HttpContext"/> for an upgrade request read off a raw connection, so the engine answers it with the
/// same code as any request: its WebSocket feature writes the 101 response on the connection and returns a
/// WebSocket over the connection's pipes; anything else the engine answers (an error) is buffered and written as
/// an HTTP/1.1 response that closes the connection.
/// </summary>
internal sealed class ConnectionRequest : IHttpWebSocketFeature
{
    private static readonly byte[] WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8.ToArray();

    private readonly ConnectionContext _connection;
    private readonly string _key;
    private readonly HttpResponseFeature _response = new();
    private readonly MemoryStream _responseBody = new();

    private ConnectionRequest(ConnectionContext connection, string key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>The WebSocket handed to the engine, once accepted.</summary>
    public WebSocket? Accepted { get; private set; }

    public static (ConnectionRequest Request, HttpContext Context) Create(
        ConnectionContext connection, UpgradeRequestHead head, IServiceProvider services)
    {
        var request = new ConnectionRequest(connection, head.WebSocketKey);
        var headers = new HeaderDictionary(head.Headers.Count);
        foreach (var (name, value) in head.Headers)
            headers.Append(name, value);
        var secure = connection.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>() is not null;

        var features = new FeatureCollection(10);
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = secure ? "https" : "http",
            Method = HttpMethods.Get,
            PathBase = "",
            Path = head.Path,
            QueryString = head.QueryString,
            RawTarget = head.Path + head.QueryString,
            Headers = headers,
        });
        features.Set<IHttpResponseFeature>(request._response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(request._responseBody));
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = connection.ConnectionId,
            RemoteIpAddress = (connection.RemoteEndPoint as IPEndPoint)?.Address,
            RemotePort = (connection.RemoteEndPoint as IPEndPoint)?.Port ?? 0,
            LocalIpAddress = (connection.LocalEndPoint as IPEndPoint)?.Address,
            LocalPort = (connection.LocalEndPoint as IPEndPoint)?.Port ?? 0,
        });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = connection.ConnectionClosed });
        features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = services });
        features.Set<IHttpWebSocketFeature>(request);
        return (request, new DefaultHttpContext(features));
    }

    bool IHttpWebSocketFeature.IsWebSocketRequest => true;

    async Task<WebSocket> IHttpWebSocketFeature.AcceptAsync(WebSocketAcceptContext context)
    {
        if (Accepted is not null) throw new InvalidOperationException("The WebSocket was already accepted.");
        // Plain TCP: frames go to the socket directly. Under TLS the socket carries ciphertext: through the pipe.
        var tls = _connection.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>() is not null;
        var socket = tls ? null : _connection.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionSocketFeature>()?.Socket;
        if (socket is not null) socket.Blocking = false; // a send the kernel cannot take at once returns instead of waiting
        var webSocket = new ConnectionWebSocket(_connection, socket);
        await webSocket.SendRaw(SwitchingProtocols(_key, _response.Headers)).ConfigureAwait(false);
        _response.StatusCode = StatusCodes.Status101SwitchingProtocols;
        Accepted = webSocket;
        return webSocket;
    }

    /// <summary>The 101 response, with the headers the engine set (a session cookie, say).</summary>
    private static byte[] SwitchingProtocols(string key, IHeaderDictionary extra)
    {
        Span<byte> source = stackalloc byte[64];
        var length = Encoding.ASCII.GetBytes(key, source);
        WebSocketGuid.CopyTo(source[length..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(source[..(length + WebSocketGuid.Length)], hash);
        var text = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: ")
            .Append(Convert.ToBase64String(hash)).Append("\r\n");
        return Encoding.ASCII.GetBytes(AppendHeaders(text, extra).ToString());
    }

    /// <summary>Header lines, then the blank line that ends a response head.</summary>
    private static StringBuilder AppendHeaders(StringBuilder text, IHeaderDictionary headers)
    {
        foreach (var (name, values) in headers)
            foreach (var value in values)
                text.Append(name).Append(": ").Append(value).Append("\r\n");
        return text.Append("\r\n");
    }

    /// <summary>Writes the buffered response (the request was not upgraded); the connection closes after it.</summary>
    public async Task WriteResponseAsync()
    {
        var status = _response.StatusCode;
        var text = new StringBuilder(256)
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(status)).Append("\r\n");
        var headers = _response.Headers;
        headers.ContentLength ??= _responseBody.Length;
        headers.Connection = "close";

        var output = _connection.Transport.Output;
        output.Write(Encoding.ASCII.GetBytes(AppendHeaders(text, headers).ToString()));
        output.Write(_responseBody.GetBuffer().AsSpan(0, (int)_responseBody.Length));
        await output.FlushAsync(_connection.ConnectionClosed).ConfigureAwait(false);
    }
}
