using Dapper;

namespace SocketIoServer.Chat.Storage;

// Seed 003's offline queue: taking it is this backend's own (the rest of notifications and queue: SqlChatStoreBase).
internal sealed partial class SqliteChatStore
{
    public async Task<IReadOnlyList<ChatMessage>> TakeQueuedMessagesAsync(string userId, DateTimeOffset queuedAfter, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var rows = await connection.QueryAsync<SqliteMessageRow>(Command($"""
            SELECT {StoreColumns.Message} FROM message_queue q JOIN messages m ON m.id = q.message_id
            WHERE q.user_id = @userId AND q.queued_at > @after AND m.deleted_at IS NULL
            ORDER BY m.created_at, m.seq
            """, new { userId, after = SqliteTime.To(queuedAfter) }, transaction, cancellationToken));
        await connection.ExecuteAsync(Command("DELETE FROM message_queue WHERE user_id = @userId", new { userId }, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rows.Select(r => r.ToMessage()).ToList();
    }
}
