namespace SocketIoServer.Tests.Chat.Storage;

/// <summary>The store contract against a real PostgreSQL server (<c>TEST_DATABASE_URL</c>, started by scripts/test.sh).</summary>
[TestFixture]
public sealed class PostgresChatStoreTests : ChatStoreContractTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
