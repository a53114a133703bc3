namespace SocketIoServer.Chat.Cluster;

/// <summary>
/// Who is online: a user is online while any of their sockets is connected (on any node of a cluster). Transitions
/// are reported through <see cref="Changed"/> once per transition, at most once per user per throttle period (2 s),
/// the last report always the true status. In memory on one node (<see cref="LocalPresence"/>), in Redis for a
/// cluster (<see cref="Redis.RedisPresence"/>).
/// </summary>
public interface IPresence
{
    /// <summary>A user's status to broadcast: (userId, online, when). Raised on exactly one node per transition.</summary>
    event Action<string, bool, DateTimeOffset>? Changed;

    Task ConnectedAsync(string userId, string socketId, CancellationToken cancellationToken);

    Task DisconnectedAsync(string userId, string socketId, CancellationToken cancellationToken);

    Task<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The users with at least one connected socket, in no particular order (seed 001's <c>online-users</c>).</summary>
    Task<IReadOnlyList<string>> OnlineUserIdsAsync(CancellationToken cancellationToken);

    /// <summary>Activity (seed 002's <c>presence:ping</c>, seed 001's refresh): returns the time.</summary>
    Task<DateTimeOffset> TouchAsync(string userId, CancellationToken cancellationToken);
}
