using System.Data;
using System.Data.Common;
using Dapper;

namespace SocketIoServer.Chat.Storage;

/// <summary>
/// What both SQL stores do with the same statements: users (SqlChatStoreBase.Users.cs), reading messages
/// (SqlChatStoreBase.Messages.cs), seed 003's notifications, the offline queue's writes and counts, and the e-mail
/// outbox's updates and listing (SqlChatStoreBase.Outbox.cs). A backend gives its connections, its time type
/// (<typeparamref name="TClock"/>), how text sorts byte by byte (<see cref="Bytewise"/>; PostgreSQL's default collation
/// would not), how a list parameter is matched and how a read snapshot begins. Taking the queue stays in each backend,
/// which locks differently; so do the other writes, whose statements differ (RETURNING, locking, batching).
/// </summary>
internal abstract partial class SqlChatStoreBase<TTime, TClock> where TTime : struct where TClock : IStoreTime<TTime>
{
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    protected abstract StoreClock Clock { get; }

    protected abstract ObjectIdGenerator Ids { get; }

    /// <summary>The ORDER BY term that sorts a text column as bytes.</summary>
    protected abstract string Bytewise(string column);

    /// <summary>The condition "<paramref name="column"/> is one of the array parameter <paramref name="parameter"/>".</summary>
    protected abstract string InList(string column, string parameter);

    /// <summary>A read-only snapshot for the several queries of one read.</summary>
    protected abstract ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    private const string Columns = "id AS Id, user_id AS UserId, type AS Type, priority AS Priority, title AS Title, " +
        "message AS Message, data AS DataJson, action_url AS ActionUrl, created_at AS CreatedAt, read_at AS ReadAt";

    // read ones are kept only ReadRetention after they were read: every read leaves the older ones out
    private const string Visible = "(read_at IS NULL OR read_at > @cutoff)";

    protected object Now() => TClock.Parameter(Clock.Now());

    private object Cutoff() => TClock.Parameter(Clock.Now() - NotificationKinds.ReadRetention);

    protected static CommandDefinition Command(string sql, object? parameters, IDbTransaction? transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);

    public async Task<Notification> CreateNotificationAsync(NewNotification notification, CancellationToken cancellationToken)
    {
        StoreArguments.NewNotification(notification);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<NotificationRow<TTime, TClock>>(Command($"""
            INSERT INTO notifications (id, user_id, type, priority, title, message, data, action_url, created_at)
            VALUES (@id, @UserId, @Type, @Priority, @Title, @Message, @DataJson, @ActionUrl, @now)
            RETURNING {Columns}
            """, new { id = Ids.Next(), notification.UserId, notification.Type, notification.Priority, notification.Title, notification.Message,
            notification.DataJson, notification.ActionUrl, now = Now() }, null, cancellationToken));
        return row.ToNotification();
    }

    public async Task<IReadOnlyList<Notification>> ListNotificationsAsync(string userId, bool unreadOnly, string? type, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        StoreArguments.NotificationLimit(limit);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<NotificationRow<TTime, TClock>>(Command($"""
            SELECT {Columns} FROM notifications
            WHERE user_id = @userId AND {Visible} {(unreadOnly ? "AND read_at IS NULL" : "")} {(type is null ? "" : "AND type = @type")}
            ORDER BY created_at DESC, {Bytewise("id")} DESC LIMIT @limit
            """, new { userId, type, limit, cutoff = Cutoff() }, null, cancellationToken));
        return rows.Select(r => r.ToNotification()).ToList();
    }

    public async Task<int> CountUnreadNotificationsAsync(string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(Command("SELECT COUNT(*) FROM notifications WHERE user_id = @userId AND read_at IS NULL",
            new { userId }, null, cancellationToken));
    }

    public async Task<Notification?> GetNotificationAsync(string userId, string notificationId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        StoreArguments.Id(notificationId, nameof(notificationId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<NotificationRow<TTime, TClock>>(Command(
            $"SELECT {Columns} FROM notifications WHERE id = @notificationId AND user_id = @userId AND {Visible}",
            new { userId, notificationId, cutoff = Cutoff() }, null, cancellationToken));
        return row?.ToNotification();
    }

    public async Task<Notification?> MarkNotificationReadAsync(string userId, string notificationId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        StoreArguments.Id(notificationId, nameof(notificationId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<NotificationRow<TTime, TClock>>(Command($"""
            UPDATE notifications SET read_at = COALESCE(read_at, @now)
            WHERE id = @notificationId AND user_id = @userId AND {Visible}
            RETURNING {Columns}
            """, new { userId, notificationId, now = Now(), cutoff = Cutoff() }, null, cancellationToken));
        return row?.ToNotification();
    }

    public async Task<int> MarkAllNotificationsReadAsync(string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command("UPDATE notifications SET read_at = @now WHERE user_id = @userId AND read_at IS NULL",
            new { userId, now = Now() }, null, cancellationToken));
    }

    public async Task<bool> DeleteNotificationAsync(string userId, string notificationId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        StoreArguments.Id(notificationId, nameof(notificationId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command($"DELETE FROM notifications WHERE id = @notificationId AND user_id = @userId AND {Visible}",
            new { userId, notificationId, cutoff = Cutoff() }, null, cancellationToken)) > 0;
    }

    public async Task<int> DeleteAllNotificationsAsync(string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command($"DELETE FROM notifications WHERE user_id = @userId AND {Visible}",
            new { userId, cutoff = Cutoff() }, null, cancellationToken));
    }

    public async Task<int> PurgeReadNotificationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command("DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at <= @cutoff",
            new { cutoff = Cutoff() }, null, cancellationToken));
    }

    public async Task EnqueueMessageAsync(string messageId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        StoreArguments.Id(messageId, nameof(messageId));
        var users = StoreArguments.Ids(userIds, nameof(userIds));
        if (users.Length == 0) return;
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Now();
        foreach (var userId in users)
        {
            await connection.ExecuteAsync(Command("""
                INSERT INTO message_queue (user_id, message_id, queued_at) VALUES (@userId, @messageId, @now)
                ON CONFLICT (user_id, message_id) DO NOTHING
                """, new { userId, messageId, now }, transaction, cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> CountQueuedMessagesAsync(string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(Command("SELECT COUNT(*) FROM message_queue WHERE user_id = @userId",
            new { userId }, null, cancellationToken));
    }
}
