using SocketIoServer.Chat.Cluster.Redis;
using SocketIoServer.Tests.Server.Redis;
using StackExchange.Redis;

namespace SocketIoServer.Tests.Chat.Cluster;

/// <summary>A Redis connection of one test fixture to the test Redis (<c>TEST_REDIS_URL</c>), with a fresh key prefix per <see cref="NewRedis"/>.</summary>
public sealed class ChatStateKit : IAsyncDisposable
{
    private ConnectionMultiplexer? _connection;

    public ConnectionMultiplexer Connection =>
        _connection ??= ConnectionMultiplexer.Connect(SocketIoServer.Server.Adapters.Redis.RedisAdapterFactory.ToConfiguration(RedisTestServer.Url));

    /// <summary>The chat state's view of Redis, on keys no other test sees.</summary>
    public ChatRedis NewRedis() => ChatRedis.Of(Connection, RedisTestServer.NewKey() + ":");

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
