using Microsoft.Extensions.Logging;

namespace SocketIoServer.Server;

internal sealed partial class ServerLog(ILogger logger)
{
    [LoggerMessage(101, LogLevel.Debug, "Socket {SocketId} connected to {Namespace} over {Sid}")]
    public partial void SocketConnected(string socketId, string @namespace, string sid);

    [LoggerMessage(102, LogLevel.Debug, "Socket {SocketId} left {Namespace}: {Reason}")]
    public partial void SocketDisconnected(string socketId, string @namespace, string reason);

    [LoggerMessage(103, LogLevel.Information, "Connection {Sid} refused by {Namespace}: {Message}")]
    public partial void ConnectionRefused(string sid, string @namespace, string message);

    [LoggerMessage(104, LogLevel.Warning, "Connection {Sid} sent a packet that does not parse: {Message}")]
    public partial void ParseError(string sid, string message);

    [LoggerMessage(105, LogLevel.Debug, "Connection {Sid} joined no namespace in time")]
    public partial void ConnectTimeout(string sid);

    [LoggerMessage(106, LogLevel.Error, "A handler failed ({Context})")]
    public partial void HandlerFailed(string context, Exception exception);

    [LoggerMessage(107, LogLevel.Warning, "Restoring a session of {Namespace} failed; the client gets a fresh one")]
    public partial void SessionRestoreFailed(string @namespace, Exception exception);

    [LoggerMessage(108, LogLevel.Debug, "Socket {SocketId} recovered in {Namespace} over {Sid} ({Missed} missed events replayed)")]
    public partial void SocketRecovered(string socketId, string @namespace, string sid, int missed);
}
