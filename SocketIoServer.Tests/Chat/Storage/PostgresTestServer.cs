using Npgsql;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

/// <summary>
/// The PostgreSQL server the tests use: <c>TEST_DATABASE_URL</c>, which <c>scripts/test.sh</c> sets after starting a
/// throwaway cluster (<c>scripts/postgres.sh</c>). Each test run makes a database of its own, and each test a
/// schema of its own inside it, so runs and tests never see each other's data. Without the variable the
/// PostgreSQL tests fail, in CI and locally: a missing database is never a silent skip.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "TEST_DATABASE_URL";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static NpgsqlConnectionStringBuilder? _runDatabase;

    /// <summary>The database of this test run (created on first use, dropped by <see cref="StorageTestRun"/>).</summary>
    public static async Task<NpgsqlConnectionStringBuilder> RunDatabaseAsync()
    {
        var url = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(url))
        {
            Assert.Fail($"{Variable} is not set{(Environment.GetEnvironmentVariable("CI") == "true" ? " in CI" : "")}: the PostgreSQL store " +
                "tests need a server. ./scripts/test.sh starts one by itself; to run `dotnet test` by hand, first run " +
                "eval \"$(scripts/postgres.sh start)\".");
        }
        await Gate.WaitAsync();
        try
        {
            if (_runDatabase is not null) return _runDatabase;
            var server = DatabaseUrl.Parse(url!);
            var name = $"chat_test_{DateTime.UtcNow:yyyyMMdd_HHmmss}_{Guid.NewGuid().ToString("N")[..8]}";
            await using (var admin = new NpgsqlConnection(server.ConnectionString))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                await create.ExecuteNonQueryAsync();
            }
            _runDatabase = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name };
            return _runDatabase;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A new empty schema in the run's database; the connection string puts it first on the search path.</summary>
    public static async Task<NpgsqlConnectionStringBuilder> NewSchemaAsync()
    {
        var database = await RunDatabaseAsync();
        var schema = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = schema };
    }

    public static async Task DropRunDatabaseAsync()
    {
        if (_runDatabase is null) return;
        NpgsqlConnection.ClearAllPools();
        var server = new NpgsqlConnectionStringBuilder(_runDatabase.ConnectionString) { Database = "postgres", SearchPath = null };
        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_runDatabase.Database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
        _runDatabase = null;
    }
}

/// <summary>Drops the run's PostgreSQL database once every storage test is done.</summary>
[SetUpFixture]
public sealed class StorageTestRun
{
    [OneTimeTearDown]
    public Task DropDatabase() => PostgresTestServer.DropRunDatabaseAsync();
}
