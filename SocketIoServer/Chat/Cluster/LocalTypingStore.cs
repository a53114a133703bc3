namespace SocketIoServer.Chat.Cluster;

/// <summary>The typing sets of one process; a room's set expires as a whole <see cref="Ttl"/> after its last start, as a Redis key with EXPIRE does.</summary>
public sealed class LocalTypingStore(TimeSpan ttl, TimeProvider? time = null) : ITypingStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, (HashSet<string> Users, long Since)> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public TimeSpan Ttl => ttl;

    public Task StartedAsync(string roomId, string userId, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var users = Live(roomId, now) ?? new HashSet<string>(StringComparer.Ordinal);
            users.Add(userId);
            _rooms[roomId] = (users, now);
            if (_rooms.Count > 4096) DropExpired(now);
        }
        return Task.CompletedTask;
    }

    public Task StoppedAsync(string roomId, string userId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Live(roomId, _time.GetTimestamp()) is { } users && users.Remove(userId) && users.Count == 0) _rooms.Remove(roomId);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> TypingUserIdsAsync(string roomId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<string>>(Live(roomId, _time.GetTimestamp()) is { } users ? [.. users] : []);
    }

    // under the gate
    private HashSet<string>? Live(string roomId, long now)
    {
        if (!_rooms.TryGetValue(roomId, out var room)) return null;
        if (_time.GetElapsedTime(room.Since, now) < ttl) return room.Users;
        _rooms.Remove(roomId);
        return null;
    }

    private void DropExpired(long now)
    {
        foreach (var roomId in _rooms.Keys.ToList()) Live(roomId, now);
    }
}
