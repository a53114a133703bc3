using Microsoft.Extensions.Logging;

namespace SocketIoServer.Server.Adapters.RedisStreams;

internal static partial class RedisStreamsLog
{
    [LoggerMessage(701, LogLevel.Warning, "Reading the stream {Stream} failed; retrying in {Delay}")]
    public static partial void ReadFailed(this ILogger logger, string stream, TimeSpan delay, Exception exception);

    [LoggerMessage(702, LogLevel.Warning, "Skipped the malformed cluster message {Where} ({Source})")]
    public static partial void MalformedMessage(this ILogger logger, string where, string source, Exception exception);

    [LoggerMessage(703, LogLevel.Warning, "Skipped a cluster message of unknown type {Type} from {Uid} on {Namespace} ({Where})")]
    public static partial void UnknownType(this ILogger logger, int type, string uid, string @namespace, string where);

    [LoggerMessage(704, LogLevel.Debug, "Skipped stream entry {Id}: no adapter here for namespace {Namespace}")]
    public static partial void UnknownNamespace(this ILogger logger, string id, string @namespace);

    [LoggerMessage(705, LogLevel.Warning, "Publishing to the cluster failed ({What} on {Namespace}); this node's own sockets are served anyway")]
    public static partial void PublishFailed(this ILogger logger, string what, string @namespace, Exception exception);

    [LoggerMessage(706, LogLevel.Error, "Handling the cluster message {Type} from {Uid} on {Namespace} failed")]
    public static partial void HandlerFailed(this ILogger logger, int type, string uid, string @namespace, Exception exception);

    [LoggerMessage(707, LogLevel.Debug, "Session {Pid} not recovered on {Namespace}: {Reason}")]
    public static partial void NotRecovered(this ILogger logger, string pid, string @namespace, string reason);
}
