using StackExchange.Redis;

namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>
/// The cluster is reachable while the chat state's Redis connection is up and so is the adapter's (its publishing
/// is fire-and-forget: a broadcast sent while it reconnects would reach this node's sockets only).
/// </summary>
public sealed class RedisClusterLink(ChatRedis redis, IConnectionMultiplexer? adapterConnection = null) : IClusterLink
{
    public void EnsureReachable()
    {
        if (!redis.Connection.IsConnected || adapterConnection is { } adapter && !(adapter.IsConnected && adapter.GetSubscriber().IsConnected()))
            throw new ClusterUnreachableException("Redis is not reachable: the other nodes cannot be told");
    }
}
