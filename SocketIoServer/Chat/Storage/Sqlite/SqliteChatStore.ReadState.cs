using Dapper;

namespace SocketIoServer.Chat.Storage;

internal sealed partial class SqliteChatStore
{
    public async Task<ReadCursorUpdate> AdvanceReadCursorAsync(string conversationId, string userId, string messageId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        StoreArguments.Id(userId, nameof(userId));
        StoreArguments.Id(messageId, nameof(messageId));
        var now = SqliteTime.To(_clock.Now());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        if (!await IsMemberAsync(connection, transaction, conversationId, userId, cancellationToken)) return ReadCursorUpdate.NotMember;
        var message = await FindMessageAsync(connection, transaction, messageId, cancellationToken);
        if (message is null || message.ConversationId != conversationId) return ReadCursorUpdate.MessageNotFound;
        var current = await FindCursorAsync(connection, transaction, conversationId, userId, cancellationToken);
        if (current is not null && (current.MessageCreatedAt, current.MessageSeq).CompareTo((message.CreatedAt, message.Seq)) >= 0)
            return new ReadCursorUpdate(ReadCursorUpdateStatus.Unchanged, current.ToCursor());
        await connection.ExecuteAsync(Command("""
            INSERT INTO read_cursors (conversation_id, user_id, message_id, message_created_at, message_seq, read_at)
            VALUES (@conversationId, @userId, @messageId, @createdAt, @seq, @now)
            ON CONFLICT (conversation_id, user_id) DO UPDATE SET message_id = excluded.message_id,
                message_created_at = excluded.message_created_at, message_seq = excluded.message_seq, read_at = excluded.read_at
            """, new { conversationId, userId, messageId, createdAt = message.CreatedAt, seq = message.Seq, now }, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new ReadCursorUpdate(ReadCursorUpdateStatus.Advanced, new ReadCursor(conversationId, userId, messageId, SqliteTime.From(now)));
    }

    public async Task<ReadCursor?> GetReadCursorAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenAsync(cancellationToken);
        var row = await FindCursorAsync(connection, null, conversationId, userId, cancellationToken);
        return row?.ToCursor();
    }

    public async Task<IReadOnlyList<ReadCursor>> ListReadCursorsAsync(string conversationId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SqliteReadCursorRow>(Command(
            $"SELECT {SqliteColumns.ReadCursor} FROM read_cursors WHERE conversation_id = @conversationId ORDER BY user_id",
            new { conversationId }, null, cancellationToken));
        return rows.Select(r => r.ToCursor()).ToList();
    }

    private static Task<SqliteReadCursorRow?> FindCursorAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction? transaction,
        string conversationId, string userId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<SqliteReadCursorRow>(Command(
            $"SELECT {SqliteColumns.ReadCursor} FROM read_cursors WHERE conversation_id = @conversationId AND user_id = @userId",
            new { conversationId, userId }, transaction, cancellationToken));
}
