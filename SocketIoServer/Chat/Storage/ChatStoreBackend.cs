namespace SocketIoServer.Chat.Storage;

public enum ChatStoreBackend
{
    /// <summary>An embedded SQLite file (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (when <c>DATABASE_URL</c> is set).</summary>
    Postgres,
}
