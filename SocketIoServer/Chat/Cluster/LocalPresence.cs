using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Cluster;

/// <summary>Presence of one process: the <see cref="PresenceTracker"/> in memory, every call complete at once.</summary>
public sealed class LocalPresence(PresenceTracker tracker) : IPresence, IDisposable
{
    public event Action<string, bool, DateTimeOffset>? Changed
    {
        add => tracker.Changed += value;
        remove => tracker.Changed -= value;
    }

    public Task ConnectedAsync(string userId, string socketId, CancellationToken cancellationToken)
    {
        tracker.Connected(userId, socketId);
        return Task.CompletedTask;
    }

    public Task DisconnectedAsync(string userId, string socketId, CancellationToken cancellationToken)
    {
        tracker.Disconnected(userId, socketId);
        return Task.CompletedTask;
    }

    public Task<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(tracker.IsOnline(userId));

    public Task<IReadOnlyList<string>> OnlineUserIdsAsync(CancellationToken cancellationToken) => Task.FromResult(tracker.OnlineUserIds());

    public Task<DateTimeOffset> TouchAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(tracker.Touch(userId));

    public void Dispose() => tracker.Dispose();
}
