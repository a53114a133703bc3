namespace SocketIoServer.Chat.Storage;

/// <summary>
/// Where the chat server keeps its data. Bound from the <c>ChatStore</c> configuration section, then from the flat
/// names <c>DATABASE_URL</c> and <c>SQLITE_PATH</c> (environment variables, as the seeds' deployments set them),
/// which win. Validated at start-up: a bad value stops the server with one line naming the setting.
/// </summary>
public sealed class ChatStoreOptions
{
    public const string SectionName = "ChatStore";

    /// <summary>
    /// A PostgreSQL connection string, as a <c>postgres://</c> URI or in key=value form (see <see cref="Storage.DatabaseUrl"/>).
    /// When set, PostgreSQL replaces SQLite. Default: unset. Setting: <c>DATABASE_URL</c>.
    /// </summary>
    public string? DatabaseUrl { get; set; }

    /// <summary>
    /// The SQLite database file, relative to the working directory or absolute; its directory is created if
    /// missing. Default <c>data/chat.db</c>. Setting: <c>SQLITE_PATH</c>.
    /// </summary>
    public string SqlitePath { get; set; } = Path.Combine("data", "chat.db");

    /// <summary>
    /// How long a SQLite write waits for another writer to finish before failing. Default 5 s.
    /// Setting: <c>ChatStore:SqliteBusyTimeout</c>.
    /// </summary>
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>PostgreSQL when <see cref="DatabaseUrl"/> is set, else SQLite.</summary>
    public ChatStoreBackend Backend => string.IsNullOrWhiteSpace(DatabaseUrl) ? ChatStoreBackend.Sqlite : ChatStoreBackend.Postgres;
}
