using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

/// <summary>A fresh schema in the run's PostgreSQL database.</summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    private PostgresTestDatabase(NpgsqlConnectionStringBuilder connectionString) => ConnectionString = connectionString;

    public NpgsqlConnectionStringBuilder ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync() => new(await PostgresTestServer.NewSchemaAsync());

    public override IChatStore NewStore(TimeProvider time) =>
        new PostgresChatStore(new NpgsqlConnectionStringBuilder(ConnectionString.ConnectionString), time, NullLogger.Instance);

    public override async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {ConnectionString.SearchPath} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
