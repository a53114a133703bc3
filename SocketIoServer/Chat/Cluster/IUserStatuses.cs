using SocketIoServer.Chat.Vocabularies.WhatsApp;

namespace SocketIoServer.Chat.Cluster;

/// <summary>
/// Seed 003's custom statuses, per user: a status and an optional custom status whose <c>expiresAt</c> ends it. The
/// node that set a status with an expiry calls <c>onExpired</c> with the status after it, if it is still the one set.
/// </summary>
public interface IUserStatuses
{
    Task<UserStatuses.UserStatus> SetAsync(string userId, string status, UserStatuses.CustomStatus? custom, Action<UserStatuses.UserStatus> onExpired,
        CancellationToken cancellationToken);

    /// <summary>The user's status as last set (custom status dropped once expired), or null.</summary>
    Task<UserStatuses.UserStatus?> GetAsync(string userId, CancellationToken cancellationToken);
}
