using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Hosting;
using SocketIoServer.Server;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Server.Adapters.RedisStreams;
using StackExchange.Redis;

namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>
/// The Socket.IO adapter of a chat cluster node, as <c>REDIS_ADAPTER</c> picks it: the pub/sub one
/// (<c>@socket.io/redis-adapter</c>'s protocol) or the streams one (<c>@socket.io/redis-streams-adapter</c>'s,
/// whose sessions let a client recover on any node). Its names start with <c>REDIS_KEY_PREFIX</c>, as the chat keys do.
/// </summary>
public sealed class ChatClusterAdapter : IAsyncDisposable
{
    private readonly IAsyncDisposable _factory;

    private ChatClusterAdapter(Func<Namespace, IAdapter> create, IConnectionMultiplexer connection, IAsyncDisposable factory)
    {
        Create = create;
        Connection = connection;
        _factory = factory;
    }

    /// <summary>For <c>SocketIoOptions.AdapterFactory</c>.</summary>
    public Func<Namespace, IAdapter> Create { get; }

    /// <summary>The connection the adapter publishes on: while it is down, other nodes cannot be told anything.</summary>
    public IConnectionMultiplexer Connection { get; }

    /// <summary>Connects for a node whose settings name Redis (start-up code, before the host is built).</summary>
    public static ChatClusterAdapter Connect(ChatSettings settings, ChatSettings.RedisSettings redis, ILogger logger)
    {
        var configuration = ChatRedis.ConfigurationOf(redis);
        var prefix = settings.RedisKeyPrefix;
        if (settings.RedisAdapter == ChatSettings.RedisAdapterKind.Streams)
        {
            var streams = RedisStreamsAdapterFactory.Connect(configuration, new RedisStreamsAdapterOptions
            {
                StreamName = prefix + "socket.io",
                ChannelPrefix = prefix + "socket.io",
                SessionKeyPrefix = prefix + "sio:session:",
            }, logger);
            return new ChatClusterAdapter(streams.Create, streams.Redis, streams);
        }
        var pubSub = RedisAdapterFactory.Connect(configuration, new RedisAdapterOptions { Key = prefix + "socket.io" });
        return new ChatClusterAdapter(pubSub.Create, pubSub.Redis, pubSub);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
