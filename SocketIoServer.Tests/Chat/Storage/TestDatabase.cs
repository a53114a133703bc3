using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

/// <summary>One empty database of one backend, made for one test, with raw SQL access to check what the store wrote.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    /// <summary>A store on this database; the caller initializes and disposes it.</summary>
    public abstract IChatStore NewStore(TimeProvider time);

    public abstract Task<long> ScalarAsync(string sql);

    public abstract Task ExecuteAsync(string sql);

    public abstract ValueTask DisposeAsync();

    public Task<long> CountAsync(string table) => ScalarAsync($"SELECT COUNT(*) FROM {table}");
}
