using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

/// <summary>A SQLite file in a directory of its own (which does not exist yet: the store must create it).</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _root;

    public SqliteTestDatabase()
    {
        _root = Path.Combine(Path.GetTempPath(), "socketio-chatstore-tests", Guid.NewGuid().ToString("N"));
        FilePath = Path.Combine(_root, "nested", "dir", "chat.db");
    }

    public string FilePath { get; }

    public string Directory => _root;

    public override IChatStore NewStore(TimeProvider time) => new SqliteChatStore(FilePath, TimeSpan.FromSeconds(10), time, NullLogger.Instance);

    public override async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string?> TextAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync();
    }

    public override async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(_root)) System.IO.Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}
