namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>The cluster is reachable while the chat state's Redis connection is up (the adapter uses the same server).</summary>
public sealed class RedisClusterLink(ChatRedis redis) : IClusterLink
{
    public void EnsureReachable()
    {
        if (!redis.Connection.IsConnected) throw new ClusterUnreachableException("Redis is not reachable: the other nodes cannot be told");
    }
}
