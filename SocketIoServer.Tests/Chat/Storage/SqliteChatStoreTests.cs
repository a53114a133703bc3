using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

/// <summary>The store contract against a real SQLite file.</summary>
[TestFixture]
public sealed class SqliteChatStoreTests : ChatStoreContractTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());

    [Test]
    public async Task The_file_is_created_under_a_new_directory_in_wal_mode()
    {
        var database = (SqliteTestDatabase)await NewDatabaseAsync();
        Assert.That(System.IO.Directory.Exists(database.Directory), Is.False);
        await using var store = await OpenAsync(database);
        Assert.That(File.Exists(database.FilePath), Is.True);
        Assert.That(((SqliteChatStore)store).FilePath, Is.EqualTo(database.FilePath));
        Assert.That(store.Backend, Is.EqualTo(ChatStoreBackend.Sqlite));
        Assert.That(await database.TextAsync("PRAGMA journal_mode"), Is.EqualTo("wal"));
    }
}
