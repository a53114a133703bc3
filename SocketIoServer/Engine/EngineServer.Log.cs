using Microsoft.Extensions.Logging;

namespace SocketIoServer.Engine;

internal sealed partial class EngineLog(ILogger logger)
{
    [LoggerMessage(1, LogLevel.Debug, "Engine.IO session {Sid} opened over {Transport} (EIO={Protocol})")]
    public partial void SessionOpened(string sid, string transport, int protocol);

    [LoggerMessage(2, LogLevel.Debug, "Engine.IO session {Sid} closed: {Reason} {Description}")]
    public partial void SessionClosed(string sid, string reason, string? description);

    [LoggerMessage(3, LogLevel.Information, "Engine.IO request refused: {Method} {Query} code {Code} ({Message})")]
    public partial void RequestRefused(string method, string query, int code, string message);

    [LoggerMessage(4, LogLevel.Error, "Engine.IO handler failed for {Sid}")]
    public partial void HandlerFailed(string sid, Exception exception);
}
