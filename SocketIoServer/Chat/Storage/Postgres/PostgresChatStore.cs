using System.Data;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SocketIoServer.Chat.Storage;

/// <summary>
/// The PostgreSQL store (Npgsql + Dapper), used when <c>DATABASE_URL</c> is set. Connections come from one pooled
/// <see cref="NpgsqlDataSource"/>. Transactions run at READ COMMITTED; where two requests could race, the statement
/// settles it: <c>ON CONFLICT</c> for "insert if absent" (idempotent messages, open rooms, read marks), a
/// conditional upsert for the read cursor, and a row lock on the conversation for message inserts and membership
/// changes (so messages of one conversation are stored one at a time, in time order, and never by a member removed
/// meanwhile).
/// </summary>
internal sealed partial class PostgresChatStore : SqlChatStoreBase<DateTime, PostgresTime>, IChatStore, IDisposable
{
    protected override async Task<System.Data.Common.DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    protected override StoreClock Clock => _clock;

    protected override ObjectIdGenerator Ids => _ids;

    protected override string Bytewise(string column) => column + " COLLATE \"C\"";

    // NO KEY UPDATE, the lock an UPDATE of non-key columns takes: it queues writers of this conversation behind each
    // other but does not hold up foreign-key checks (a read cursor or a member row naming the conversation)
    protected override string ConversationRowLock => " FOR NO KEY UPDATE";

    protected override string InList(string column, string parameter) => $"{column} = ANY(@{parameter})";

    // REPEATABLE READ: the several queries of one read see one snapshot
    protected override async ValueTask<System.Data.Common.DbTransaction> BeginReadAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreClock _clock;
    private readonly ObjectIdGenerator _ids;
    private readonly ChatStoreLog _log;
    private int _disposed;

    public PostgresChatStore(NpgsqlConnectionStringBuilder connectionString, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        _dataSource = new NpgsqlDataSourceBuilder(connectionString.ConnectionString).Build();
        _clock = new StoreClock(time);
        _ids = new ObjectIdGenerator(time);
        _log = new ChatStoreLog(logger);
        _log.OpenedPostgres(DatabaseUrl.Describe(connectionString));
    }

    public ChatStoreBackend Backend => ChatStoreBackend.Postgres;

    public async Task<SchemaMigrationResult> InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // taken before anything else, even CREATE TABLE IF NOT EXISTS (which itself races): a second server waits
        // here until the first has committed, then finds nothing left to do; the lock ends with the transaction
        await connection.ExecuteAsync(Command("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresSchema.MigrationLockKey }, transaction, cancellationToken));
        await connection.ExecuteAsync(Command(PostgresSchema.CreateVersionTable, null, transaction, cancellationToken));
        var found = await connection.ExecuteScalarAsync<int>(Command("SELECT COALESCE(MAX(version), 0) FROM schema_version", null, transaction, cancellationToken));
        SchemaMigration.EnsureNotNewer(found, PostgresSchema.Latest, "PostgreSQL");
        foreach (var migration in PostgresSchema.Migrations.Where(m => m.Version > found))
        {
            await connection.ExecuteAsync(Command(migration.Sql, null, transaction, cancellationToken));
            await connection.ExecuteAsync(Command("INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @now)",
                new { migration.Version, migration.Name, now = _clock.Now() }, transaction, cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        var result = new SchemaMigrationResult(found, PostgresSchema.Latest);
        if (result.Applied > 0) _log.SchemaMigrated(result.FromVersion, result.ToVersion);
        else _log.SchemaUpToDate(result.ToVersion);
        return result;
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<int>(Command("SELECT COUNT(*) FROM schema_version", null, null, cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) await _dataSource.DisposeAsync();
    }

    /// <summary>Also synchronous, for a container disposed with <c>Dispose()</c>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _dataSource.Dispose();
    }

    private ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _dataSource.OpenConnectionAsync(cancellationToken);
    }

}
