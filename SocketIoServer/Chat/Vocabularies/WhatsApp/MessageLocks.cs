using SocketIoServer.Chat.Cluster;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>
/// Seed 003's edit locks: one holder per message; a lock ends after <c>timeout</c> (<c>LOCK_TIMEOUT</c>), on unlock,
/// or when <see cref="ReleaseAll"/> is called for its holder (the holder's last socket disconnected). The holder
/// locking again renews it. Expiry is read from the clock when a lock is asked for, so no timer is needed.
/// </summary>
public sealed class MessageLocks(TimeSpan timeout, TimeProvider? time = null) : IMessageLocks
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, (string UserId, long Since)> _locks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public TimeSpan Timeout => timeout;

    public Task<(bool Locked, string Holder)> TryLockAsync(string messageId, string userId, CancellationToken cancellationToken) =>
        Task.FromResult((TryLock(messageId, userId, out var holder), holder));

    public Task<bool> UnlockAsync(string messageId, string userId, CancellationToken cancellationToken) => Task.FromResult(Unlock(messageId, userId));

    public Task<IReadOnlyList<string>> ReleaseAllAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(ReleaseAll(userId));

    /// <summary>Locks (or renews) the message for the user; false with the other holder when someone else holds it.</summary>
    public bool TryLock(string messageId, string userId, out string holder)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_locks.TryGetValue(messageId, out var current) && current.UserId != userId && _time.GetElapsedTime(current.Since, now) < timeout)
            {
                holder = current.UserId;
                return false;
            }
            _locks[messageId] = (userId, now);
            holder = userId;
            if (_locks.Count > 4096) DropExpired(now);
            return true;
        }
    }

    /// <summary>The holder of a live lock, or null.</summary>
    public string? HolderOf(string messageId)
    {
        lock (_gate)
            return _locks.TryGetValue(messageId, out var current) && _time.GetElapsedTime(current.Since) < timeout ? current.UserId : null;
    }

    /// <summary>Releases the user's lock on the message; false when the user holds no live lock on it.</summary>
    public bool Unlock(string messageId, string userId)
    {
        lock (_gate)
        {
            if (!_locks.TryGetValue(messageId, out var current) || current.UserId != userId) return false;
            _locks.Remove(messageId);
            return _time.GetElapsedTime(current.Since) < timeout;
        }
    }

    /// <summary>Releases every lock the user holds; returns their message ids.</summary>
    public IReadOnlyList<string> ReleaseAll(string userId)
    {
        lock (_gate)
        {
            var mine = _locks.Where(l => l.Value.UserId == userId).Select(l => l.Key).ToList();
            foreach (var id in mine) _locks.Remove(id);
            return mine;
        }
    }

    private void DropExpired(long now)
    {
        foreach (var (id, current) in _locks.ToList())
            if (_time.GetElapsedTime(current.Since, now) >= timeout) _locks.Remove(id);
    }
}
