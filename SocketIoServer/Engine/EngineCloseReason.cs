namespace SocketIoServer.Engine;

/// <summary>Why an Engine.IO session closed; <see cref="EngineCloseReasons.WireName"/> gives Node.js's string.</summary>
public enum EngineCloseReason
{
    TransportError,
    TransportClose,
    ForcedClose,
    PingTimeout,
    ParseError,
    ServerShuttingDown,
}

public static class EngineCloseReasons
{
    public static string WireName(this EngineCloseReason reason) => reason switch
    {
        EngineCloseReason.TransportError => "transport error",
        EngineCloseReason.TransportClose => "transport close",
        EngineCloseReason.ForcedClose => "forced close",
        EngineCloseReason.PingTimeout => "ping timeout",
        EngineCloseReason.ParseError => "parse error",
        EngineCloseReason.ServerShuttingDown => "server shutting down",
        _ => "transport error",
    };
}
