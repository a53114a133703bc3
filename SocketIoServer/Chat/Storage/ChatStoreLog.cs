using Microsoft.Extensions.Logging;

namespace SocketIoServer.Chat.Storage;

internal sealed partial class ChatStoreLog(ILogger logger)
{
    [LoggerMessage(2001, LogLevel.Information, "Chat store: SQLite file {Path}")]
    public partial void OpenedSqlite(string path);

    [LoggerMessage(2002, LogLevel.Information, "Chat store: PostgreSQL {Server}")]
    public partial void OpenedPostgres(string server);

    [LoggerMessage(2003, LogLevel.Information, "Chat store schema migrated from version {FromVersion} to {ToVersion}")]
    public partial void SchemaMigrated(int fromVersion, int toVersion);

    [LoggerMessage(2004, LogLevel.Debug, "Chat store schema is up to date (version {Version})")]
    public partial void SchemaUpToDate(int version);

    [LoggerMessage(2005, LogLevel.Debug, "Message {ClientId} from {SenderId} was stored before as {MessageId}")]
    public partial void DuplicateMessage(string clientId, string senderId, string messageId);
}
