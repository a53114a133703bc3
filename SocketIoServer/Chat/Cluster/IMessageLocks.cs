namespace SocketIoServer.Chat.Cluster;

/// <summary>
/// Seed 003's edit locks: one holder per message; a lock ends after <see cref="Timeout"/> (<c>LOCK_TIMEOUT</c>), on
/// unlock by its holder, or when <see cref="ReleaseAllAsync"/> is called for its holder (their last socket left).
/// The holder locking again renews it.
/// </summary>
public interface IMessageLocks
{
    TimeSpan Timeout { get; }

    /// <summary>Locks (or renews) the message for the user: (true, the user), or (false, the other holder).</summary>
    Task<(bool Locked, string Holder)> TryLockAsync(string messageId, string userId, CancellationToken cancellationToken);

    /// <summary>Releases the user's live lock on the message; false when the user holds none (only the owner releases).</summary>
    Task<bool> UnlockAsync(string messageId, string userId, CancellationToken cancellationToken);

    /// <summary>Releases every lock the user holds; returns their message ids.</summary>
    Task<IReadOnlyList<string>> ReleaseAllAsync(string userId, CancellationToken cancellationToken);
}
