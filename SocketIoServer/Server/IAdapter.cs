using System.Text.Json.Nodes;
using SocketIoServer.Server.Recovery;

namespace SocketIoServer.Server;

/// <summary>
/// Keeps the rooms of one namespace and carries broadcasts to the sockets in them. The in-memory adapter serves one
/// node; a cluster adapter (Redis) implements the same contract across nodes. Nothing above it knows which runs.
/// </summary>
public interface IAdapter : IAsyncDisposable
{
    Task InitAsync(CancellationToken cancellationToken);

    /// <summary>Adds a local socket to rooms.</summary>
    void AddAll(string socketId, IEnumerable<string> rooms);

    /// <summary>Removes a local socket from one room.</summary>
    void Del(string socketId, string room);

    /// <summary>Removes a local socket from every room.</summary>
    void DelAll(string socketId);

    /// <summary>The rooms a local socket is in.</summary>
    IReadOnlySet<string> SocketRooms(string socketId);

    /// <summary>The rooms of this node and their local member counts.</summary>
    IReadOnlyDictionary<string, int> Rooms { get; }

    /// <summary>Sends to every matching socket; the packet is encoded once.</summary>
    Task BroadcastAsync(BroadcastPacket packet, BroadcastOptions options);

    /// <summary>
    /// Sends with an ack id and reports each node's number of receivers to <paramref name="clientCount"/> and each
    /// acknowledgement to <paramref name="onAck"/>.
    /// </summary>
    Task BroadcastWithAckAsync(BroadcastPacket packet, BroadcastOptions options, Action<int> clientCount, Action<JsonNode?[]> onAck);

    /// <summary>Ids of the sockets in any of the rooms (all sockets when none are given).</summary>
    Task<IReadOnlySet<string>> SocketsAsync(IReadOnlySet<string> rooms);

    Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options);

    Task AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    Task DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    Task DisconnectSocketsAsync(BroadcastOptions options, bool close);

    /// <summary>Sends an event to the other nodes' namespaces; their replies (with an ack) are collected.</summary>
    Task<IReadOnlyList<JsonNode?[]>> ServerSideEmitAsync(string eventName, IReadOnlyList<object?> args, bool expectAck, TimeSpan? timeout);

    Task<int> ServerCountAsync();

    // Connection state recovery. The defaults recover nothing: an adapter that keeps sessions (the in-memory one, a
    // cluster adapter with shared storage) overrides all three.

    /// <summary>Keeps the session of a socket whose connection dropped for a recoverable reason.</summary>
    Task PersistSessionAsync(PersistedSession session) => Task.CompletedTask;

    /// <summary>
    /// The session of <paramref name="pid"/> and the events it missed after <paramref name="offset"/>; null when
    /// it cannot be recovered (unknown, expired, offset too old). A session is recovered at most once.
    /// </summary>
    Task<RecoveredSession?> RestoreSessionAsync(string pid, string offset) => Task.FromResult<RecoveredSession?>(null);

    /// <summary>
    /// Makes a recovered socket live: <paramref name="goLive"/> makes it a broadcast target, and events stored since
    /// the session was restored are written to it first, so that it misses none and gets none twice.
    /// </summary>
    void ResumeSession(Socket socket, RecoveredSession session, Action goLive) => goLive();
}
