using Dapper;

namespace SocketIoServer.Chat.Storage;

// Seed 003's notifications and offline queue: the shared statements (SqlNotifications), and taking the queue, which
// is this backend's own.
internal sealed partial class SqliteChatStore
{
    private SqlNotifications<long, SqliteTime> Notifications => field ??= new(async ct => await OpenAsync(ct), _clock, _ids, "id");

    public Task<Notification> CreateNotificationAsync(NewNotification notification, CancellationToken cancellationToken) =>
        Notifications.CreateAsync(notification, cancellationToken);

    public Task<IReadOnlyList<Notification>> ListNotificationsAsync(string userId, bool unreadOnly, string? type, int limit, CancellationToken cancellationToken) =>
        Notifications.ListAsync(userId, unreadOnly, type, limit, cancellationToken);

    public Task<int> CountUnreadNotificationsAsync(string userId, CancellationToken cancellationToken) =>
        Notifications.CountUnreadAsync(userId, cancellationToken);

    public Task<Notification?> GetNotificationAsync(string userId, string notificationId, CancellationToken cancellationToken) =>
        Notifications.GetAsync(userId, notificationId, cancellationToken);

    public Task<Notification?> MarkNotificationReadAsync(string userId, string notificationId, CancellationToken cancellationToken) =>
        Notifications.MarkReadAsync(userId, notificationId, cancellationToken);

    public Task<int> MarkAllNotificationsReadAsync(string userId, CancellationToken cancellationToken) =>
        Notifications.MarkAllReadAsync(userId, cancellationToken);

    public Task<bool> DeleteNotificationAsync(string userId, string notificationId, CancellationToken cancellationToken) =>
        Notifications.DeleteAsync(userId, notificationId, cancellationToken);

    public Task<int> DeleteAllNotificationsAsync(string userId, CancellationToken cancellationToken) =>
        Notifications.DeleteAllAsync(userId, cancellationToken);

    public Task<int> PurgeReadNotificationsAsync(CancellationToken cancellationToken) => Notifications.PurgeReadAsync(cancellationToken);

    public Task EnqueueMessageAsync(string messageId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        Notifications.EnqueueMessageAsync(messageId, userIds, cancellationToken);

    public Task<int> CountQueuedMessagesAsync(string userId, CancellationToken cancellationToken) =>
        Notifications.CountQueuedMessagesAsync(userId, cancellationToken);

    public async Task<IReadOnlyList<ChatMessage>> TakeQueuedMessagesAsync(string userId, DateTimeOffset queuedAfter, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var rows = await connection.QueryAsync<SqliteMessageRow>(Command($"""
            SELECT {SqliteColumns.Message} FROM message_queue q JOIN messages m ON m.id = q.message_id
            WHERE q.user_id = @userId AND q.queued_at > @after AND m.deleted_at IS NULL
            ORDER BY m.created_at, m.seq
            """, new { userId, after = SqliteTime.To(queuedAfter) }, transaction, cancellationToken));
        await connection.ExecuteAsync(Command("DELETE FROM message_queue WHERE user_id = @userId", new { userId }, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rows.Select(r => r.ToMessage()).ToList();
    }
}
