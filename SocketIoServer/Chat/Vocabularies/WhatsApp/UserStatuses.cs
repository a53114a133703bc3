using System.Text.Json.Nodes;
using SocketIoServer.Chat.Cluster;
using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>
/// Seed 003's custom statuses, per user, in memory: a status (online, offline, away, busy, dnd) and an optional
/// custom status whose <c>expiresAt</c> ends it (a timer on the injected clock clears it and reports the change).
/// </summary>
public sealed class UserStatuses(TimeProvider time) : IUserStatuses
{
    public static readonly IReadOnlyList<string> Statuses = ["online", "offline", "away", "busy", "dnd"];

    public sealed record CustomStatus(string? Message, string? Emoji, DateTimeOffset? ExpiresAt);

    public sealed record UserStatus(string Status, CustomStatus? Custom);

    private readonly Dictionary<string, (UserStatus Status, ITimer? Expiry)> _users = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Sets the user's status; <paramref name="onExpired"/> gets the status after the custom one expired.</summary>
    public UserStatus Set(string userId, string status, CustomStatus? custom, Action<UserStatus> onExpired)
    {
        var set = new UserStatus(status, custom);
        lock (_gate)
        {
            if (_users.TryGetValue(userId, out var old)) old.Expiry?.Dispose();
            ITimer? timer = null;
            if (custom?.ExpiresAt is { } at)
            {
                timer = time.CreateTimer(_ =>
                {
                    UserStatus? after = null;
                    lock (_gate)
                    {
                        if (_users.TryGetValue(userId, out var current) && ReferenceEquals(current.Status, set))
                        {
                            after = set with { Custom = null };
                            current.Expiry?.Dispose();
                            _users[userId] = (after, null);
                        }
                    }
                    if (after is not null) onExpired(after);
                }, null, at - time.GetUtcNow(), Timeout.InfiniteTimeSpan);
            }
            _users[userId] = (set, timer);
        }
        return set;
    }

    public Task<UserStatus> SetAsync(string userId, string status, CustomStatus? custom, Action<UserStatus> onExpired, CancellationToken cancellationToken) =>
        Task.FromResult(Set(userId, status, custom, onExpired));

    public Task<UserStatus?> GetAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(Get(userId));

    public UserStatus? Get(string userId)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var entry)) return null;
            return entry.Status.Custom?.ExpiresAt is { } at && at <= time.GetUtcNow() ? entry.Status with { Custom = null } : entry.Status;
        }
    }

    public static JsonNode? Json(CustomStatus? custom) => custom is null
        ? null
        : new JsonObject
        {
            ["message"] = custom.Message,
            ["emoji"] = custom.Emoji,
            ["expiresAt"] = custom.ExpiresAt is { } at ? JsTime.Iso(at) : null,
        };
}
