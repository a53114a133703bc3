namespace SocketIoServer.Server;

/// <summary>The reasons a socket is disconnected, spelled as the Node.js server reports them.</summary>
public static class DisconnectReason
{
    public const string TransportError = "transport error";
    public const string TransportClose = "transport close";
    public const string ForcedClose = "forced close";
    public const string PingTimeout = "ping timeout";
    public const string ParseError = "parse error";
    public const string ServerShuttingDown = "server shutting down";
    public const string ForcedServerClose = "forced server close";
    public const string ClientNamespaceDisconnect = "client namespace disconnect";
    public const string ServerNamespaceDisconnect = "server namespace disconnect";
}
