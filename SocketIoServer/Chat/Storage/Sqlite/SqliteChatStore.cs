using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace SocketIoServer.Chat.Storage;

/// <summary>
/// The embedded store: one SQLite file (WAL mode, foreign keys on). Every operation opens a pooled connection of its
/// own, so any number of threads may call at once. SQLite lets one writer in at a time: every write runs in a
/// <c>BEGIN IMMEDIATE</c> transaction, which takes the write lock up front (waiting up to the busy timeout), so
/// the read-then-write steps inside it see no concurrent change and never fail half-way on a lock upgrade.
/// </summary>
/// <remarks>Microsoft.Data.Sqlite runs its async methods synchronously; a query blocks its thread for its (short) duration.</remarks>
internal sealed partial class SqliteChatStore : SqlChatStoreBase<long, SqliteTime>, IChatStore, IDisposable
{
    protected override async Task<System.Data.Common.DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    protected override StoreClock Clock => _clock;

    protected override ObjectIdGenerator Ids => _ids;

    protected override string Bytewise(string column) => column;

    // Dapper expands the array into IN (@ids1, @ids2, ...)
    // write transactions (BEGIN IMMEDIATE) already run one at a time
    protected override string ConversationRowLock => "";

    protected override string InList(string column, string parameter) => $"{column} IN @{parameter}";

    // deferred: a read takes no write lock, and WAL gives it a snapshot of its own
    protected override ValueTask<System.Data.Common.DbTransaction> BeginReadAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<System.Data.Common.DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    private readonly string _connectionString;
    private readonly string _openPragmas;
    private readonly StoreClock _clock;
    private readonly ObjectIdGenerator _ids;
    private readonly ChatStoreLog _log;
    private int _disposed;

    public SqliteChatStore(string path, TimeSpan busyTimeout, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString();
        // busy_timeout lets SQLite itself wait for a writer to finish instead of failing with "database is locked"
        _openPragmas = $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};";
        _clock = new StoreClock(time);
        _ids = new ObjectIdGenerator(time);
        _log = new ChatStoreLog(logger);
        _log.OpenedSqlite(FilePath);
    }

    public ChatStoreBackend Backend => ChatStoreBackend.Sqlite;

    /// <summary>The database file, as an absolute path.</summary>
    public string FilePath { get; }

    public async Task<SchemaMigrationResult> InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // WAL lets readers run beside the writer; the mode is stored in the file, so this runs once per start-up
        await connection.ExecuteAsync(Command("PRAGMA journal_mode = WAL;", null, null, cancellationToken));
        await using var transaction = connection.BeginTransaction(); // IMMEDIATE: a second server starting at once waits here
        await connection.ExecuteAsync(Command(SqliteSchema.CreateVersionTable, null, transaction, cancellationToken));
        var found = await connection.ExecuteScalarAsync<int>(Command("SELECT COALESCE(MAX(version), 0) FROM schema_version", null, transaction, cancellationToken));
        SchemaMigration.EnsureNotNewer(found, SqliteSchema.Latest, "SQLite");
        foreach (var migration in SqliteSchema.Migrations.Where(m => m.Version > found))
        {
            await connection.ExecuteAsync(Command(migration.Sql, null, transaction, cancellationToken));
            await connection.ExecuteAsync(Command("INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @now)",
                new { migration.Version, migration.Name, now = SqliteTime.To(_clock.Now()) }, transaction, cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        var result = new SchemaMigrationResult(found, SqliteSchema.Latest);
        if (result.Applied > 0) _log.SchemaMigrated(result.FromVersion, result.ToVersion);
        else _log.SchemaUpToDate(result.ToVersion);
        return result;
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<int>(Command("SELECT COUNT(*) FROM schema_version", null, null, cancellationToken));
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Also synchronous, for a container disposed with <c>Dispose()</c>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // closes the pooled connections, so the file is released (a restart, or a test deleting it)
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(Command(_openPragmas, null, null, cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

}
