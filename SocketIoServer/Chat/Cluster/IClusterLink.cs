namespace SocketIoServer.Chat.Cluster;

/// <summary>
/// Whether this node can reach the rest of its cluster now. The core asks before it stores what it must broadcast
/// (a message, a receipt), so that with Redis away the action is refused whole rather than stored and announced on
/// this node only.
/// </summary>
public interface IClusterLink
{
    /// <summary>Throws when the cluster cannot be reached; does nothing on a single node.</summary>
    void EnsureReachable();
}

/// <summary>A single node: always reachable.</summary>
public sealed class SingleNodeLink : IClusterLink
{
    public void EnsureReachable()
    {
    }
}

/// <summary>This node cannot reach its cluster (Redis is away); the action was refused before anything was done.</summary>
public sealed class ClusterUnreachableException(string message) : Exception(message);
