using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>
/// Seed 003's persistent notifications: creating them (each is stored, then sent as <c>notification:new</c> to the
/// user's <c>/notifications</c> sockets subscribed to its type), and the changes the REST endpoints and the
/// namespace's events make, after which the user's <c>/notifications</c> sockets get <c>notifications:unread</c>.
/// Read notifications older than 7 days are purged hourly (and never returned once past that age).
/// </summary>
public sealed partial class WhatsAppNotifications : IDisposable
{
    public const string Namespace = "/notifications";

    private readonly ChatService _chat;
    private readonly ILogger<WhatsAppNotifications> _logger;
    private readonly ITimer _purge;

    public WhatsAppNotifications(ChatService chat, TimeProvider time, ILogger<WhatsAppNotifications> logger)
    {
        _chat = chat;
        _logger = logger;
        _purge = time.CreateTimer(_ => _ = PurgeAsync(), null, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
    }

    private IChatStore Store => _chat.Store;

    /// <summary>The internal room of a user's /notifications sockets that take every type.</summary>
    public static string AllTypesRoom(string userId) => $"notify:{userId}:*";

    /// <summary>The internal room of a user's /notifications sockets subscribed to one type.</summary>
    public static string TypeRoom(string userId, string type) => $"notify:{userId}:{type}";

    public async Task<Notification> CreateAsync(NewNotification notification, CancellationToken cancellationToken)
    {
        var stored = await Store.CreateNotificationAsync(notification, cancellationToken);
        if (_chat.Io.Namespaces.TryGetValue(Namespace, out var nsp))
        {
            await nsp.To(AllTypesRoom(stored.UserId), TypeRoom(stored.UserId, stored.Type)).EmitAsync("notification:new", WhatsAppShapes.Notification(stored));
            await SendUnreadAsync(stored.UserId);
        }
        return stored;
    }

    /// <summary>Tells the user's /notifications sockets the unread count after a change.</summary>
    public async Task SendUnreadAsync(string userId)
    {
        if (!_chat.Io.Namespaces.TryGetValue(Namespace, out var nsp)) return;
        var count = await Store.CountUnreadNotificationsAsync(userId, CancellationToken.None);
        await nsp.To(ChatRooms.User(userId)).EmitAsync("notifications:unread", new JsonObject { ["count"] = count });
    }

    /// <summary>
    /// Narrows a socket taking every type (the default) to the given types; a socket already subscribed to some
    /// types adds these.
    /// </summary>
    public static void Subscribe(Socket socket, string userId, IReadOnlyCollection<string> types)
    {
        socket.Leave(AllTypesRoom(userId));
        foreach (var type in types) socket.Join(TypeRoom(userId, type));
    }

    /// <summary>Stops the types: a socket taking every type then takes every other type.</summary>
    public static void Unsubscribe(Socket socket, string userId, IReadOnlyCollection<string> types)
    {
        if (socket.Rooms.Contains(AllTypesRoom(userId)))
        {
            socket.Leave(AllTypesRoom(userId));
            foreach (var type in NotificationKinds.Types.Keys) socket.Join(TypeRoom(userId, type));
        }
        foreach (var type in types) socket.Leave(TypeRoom(userId, type));
    }

    /// <summary>The types the socket receives.</summary>
    public static IReadOnlyList<string> SubscribedTypes(Socket socket, string userId) =>
        socket.Rooms.Contains(AllTypesRoom(userId))
            ? [.. NotificationKinds.Types.Keys]
            : [.. NotificationKinds.Types.Keys.Where(t => socket.Rooms.Contains(TypeRoom(userId, t)))];

    private async Task PurgeAsync()
    {
        try
        {
            var purged = await Store.PurgeReadNotificationsAsync(CancellationToken.None);
            if (purged > 0) LogPurged(purged);
        }
        catch (Exception ex)
        {
            LogPurgeFailed(ex);
        }
    }

    public void Dispose() => _purge.Dispose();

    [LoggerMessage(LogLevel.Information, "Deleted {Count} notifications read 7 days ago or more")]
    private partial void LogPurged(int count);

    [LoggerMessage(LogLevel.Error, "Purging read notifications failed")]
    private partial void LogPurgeFailed(Exception exception);
}
