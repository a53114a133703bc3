using SocketIoServer.Server;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>An in-process test node of a cluster, whatever its adapter (see <see cref="ClusterTestNodeHandlers"/>).</summary>
public interface IClusterTestNode : IAsyncDisposable
{
    IoServer Io { get; }

    string Url { get; }

    /// <summary>A client of this node, in <paramref name="room"/>, recording the events named.</summary>
    Task<TestClient> ClientAsync(string room, params string[] record);

    /// <summary>Closes the node's Redis connections, as when its process dies, and leaves the rest of it running.</summary>
    ValueTask DropRedisAsync();
}

/// <summary>The two cluster adapters, for the tests every one of them must pass.</summary>
public enum ClusterAdapterKind
{
    /// <summary>@socket.io/redis-adapter's protocol.</summary>
    PubSub,

    /// <summary>@socket.io/redis-streams-adapter's protocol.</summary>
    Streams,
}
