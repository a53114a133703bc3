using System.Globalization;
using System.Text.Json.Nodes;
using SocketIoServer.Engine;

namespace SocketIoServer.Server;

/// <summary>What a socket knows of the request that opened it, with the fields of Node.js's <c>socket.handshake</c>.</summary>
public sealed class Handshake
{
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>When the handshake happened, formatted as JavaScript's <c>Date.toString()</c> (made when asked for).</summary>
    public string Time => DateTimeOffset.FromUnixTimeMilliseconds(Issued)
        .ToString("ddd MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", CultureInfo.InvariantCulture);

    public required string Address { get; init; }

    public required bool XDomain { get; init; }

    public required bool Secure { get; init; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public required long Issued { get; init; }

    public required string Url { get; init; }

    public required IReadOnlyDictionary<string, string> Query { get; init; }

    /// <summary>The CONNECT packet's payload (<c>auth</c> on the client); an empty object when none was sent.</summary>
    public required JsonObject Auth { get; init; }

    internal static Handshake From(EngineRequestInfo request, JsonObject auth, DateTimeOffset now) => new()
    {
        Headers = request.Headers,
        Address = request.RemoteAddress,
        XDomain = request.Headers.ContainsKey("origin"),
        Secure = request.Secure,
        Issued = now.ToUnixTimeMilliseconds(),
        Url = request.Url,
        Query = request.Query,
        Auth = auth,
    };
}
