namespace SocketIoServer.Chat.Storage;

/// <summary>
/// A persistent notification (seed 003): one user's, of one <see cref="NotificationKinds.Types"/> type and one
/// <see cref="NotificationKinds.Priorities"/> priority. Read ones are deleted <see cref="NotificationKinds.ReadRetention"/>
/// after they were read (and no read returns them past that time).
/// </summary>
/// <param name="DataJson">Arbitrary JSON for the client (an object as text), or null.</param>
public sealed record Notification(
    string Id,
    string UserId,
    string Type,
    string Priority,
    string Title,
    string Message,
    string? DataJson,
    string? ActionUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt)
{
    public bool IsRead => ReadAt is not null;
}

/// <summary>A notification to store; the store gives it its id and creation time.</summary>
public sealed record NewNotification(string UserId, string Type, string Priority, string Title, string Message, string? DataJson = null, string? ActionUrl = null);

/// <summary>Seed 003's notification types and priority levels.</summary>
public static class NotificationKinds
{
    /// <summary>Each type with the default title seed 003 gives it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["message"] = "New message received",
        ["mention"] = "You were mentioned",
        ["reaction"] = "Someone reacted to your message",
        ["group_invite"] = "Group invitation",
        ["group_update"] = "Group was updated",
        ["contact_request"] = "New contact request",
        ["contact_accept"] = "Contact request accepted",
        ["call"] = "Incoming call",
        ["forward"] = "Message forwarded to you",
        ["system"] = "System notification",
    };

    public static readonly IReadOnlyList<string> Priorities = ["low", "normal", "high", "urgent"];

    /// <summary>Read notifications are deleted this long after they were read (seed 003's TTL index).</summary>
    public static readonly TimeSpan ReadRetention = TimeSpan.FromDays(7);
}
