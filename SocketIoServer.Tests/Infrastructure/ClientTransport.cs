using SocketIOClient.Transport;

namespace SocketIoServer.Tests.Infrastructure;

/// <summary>
/// How the SocketIOClient 3.0.6 package reaches the server. The package does no real Engine.IO upgrade: with
/// <see cref="AutoUpgrade"/> (its default settings) it makes one polling handshake to read the advertised upgrades,
/// drops that session, and then connects a fresh session over WebSocket directly.
/// </summary>
public enum ClientTransport
{
    /// <summary>HTTP long-polling only (<c>Transport = Polling, AutoUpgrade = false</c>).</summary>
    Polling,

    /// <summary>WebSocket only (<c>Transport = WebSocket</c>).</summary>
    WebSocket,

    /// <summary>The package default (<c>Transport = Polling, AutoUpgrade = true</c>): probe, then WebSocket.</summary>
    AutoUpgrade,
}

public static class ClientTransports
{
    /// <summary>The two transports the package really speaks; most scenarios run over both.</summary>
    public static readonly ClientTransport[] Both = [ClientTransport.Polling, ClientTransport.WebSocket];

    /// <summary>Both, plus the package default (which ends up on WebSocket) for the basic scenarios.</summary>
    public static readonly ClientTransport[] All = [ClientTransport.Polling, ClientTransport.WebSocket, ClientTransport.AutoUpgrade];

    internal static (TransportProtocol Protocol, bool AutoUpgrade) ToOptions(this ClientTransport transport) => transport switch
    {
        ClientTransport.Polling => (TransportProtocol.Polling, false),
        ClientTransport.WebSocket => (TransportProtocol.WebSocket, false),
        ClientTransport.AutoUpgrade => (TransportProtocol.Polling, true),
        _ => throw new ArgumentOutOfRangeException(nameof(transport)),
    };

    /// <summary>The transport name the server reports for a socket connected this way.</summary>
    public static string ServerName(this ClientTransport transport) =>
        transport == ClientTransport.Polling ? "polling" : "websocket";
}
