using Dapper;

namespace SocketIoServer.Chat.Storage;

// Seed 003's offline queue: taking it is this backend's own (the rest of notifications and queue: SqlChatStoreBase).
internal sealed partial class PostgresChatStore
{
    public async Task<IReadOnlyList<ChatMessage>> TakeQueuedMessagesAsync(string userId, DateTimeOffset queuedAfter, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenAsync(cancellationToken);
        // one statement takes the entries: of two concurrent calls, each entry goes to one
        var rows = await connection.QueryAsync<PostgresMessageRow>(Command($"""
            WITH taken AS (DELETE FROM message_queue WHERE user_id = @userId RETURNING message_id, queued_at)
            SELECT {StoreColumns.Message} FROM taken q JOIN messages m ON m.id = q.message_id
            WHERE q.queued_at > @after AND m.deleted_at IS NULL
            ORDER BY m.created_at, m.seq
            """, new { userId, after = queuedAfter.ToUniversalTime() }, null, cancellationToken));
        return rows.Select(r => r.ToMessage()).ToList();
    }
}
