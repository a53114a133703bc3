using Dapper;
using Npgsql;

namespace SocketIoServer.Chat.Storage;

internal sealed partial class PostgresChatStore
{
    public async Task<ReadCursorUpdate> AdvanceReadCursorAsync(string conversationId, string userId, string messageId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        StoreArguments.Id(userId, nameof(userId));
        StoreArguments.Id(messageId, nameof(messageId));
        var now = _clock.Now();
        await using var connection = await OpenAsync(cancellationToken);
        if (!await IsMemberAsync(connection, null, conversationId, userId, cancellationToken)) return ReadCursorUpdate.NotMember;
        var message = await FindMessageAsync(connection, null, messageId, cancellationToken);
        if (message is null || message.ConversationId != conversationId) return ReadCursorUpdate.MessageNotFound;
        // the WHERE of DO UPDATE runs under the row's lock: of two receipts racing, the older can never win
        var advanced = await connection.QuerySingleOrDefaultAsync<PostgresReadCursorRow>(Command($"""
            INSERT INTO read_cursors AS rc (conversation_id, user_id, message_id, message_created_at, message_seq, read_at)
            VALUES (@conversationId, @userId, @messageId, @createdAt, @seq, @now)
            ON CONFLICT (conversation_id, user_id) DO UPDATE SET message_id = excluded.message_id,
                message_created_at = excluded.message_created_at, message_seq = excluded.message_seq, read_at = excluded.read_at
                WHERE (rc.message_created_at, rc.message_seq) < (excluded.message_created_at, excluded.message_seq)
            RETURNING {PostgresColumns.ReadCursor}
            """, new { conversationId, userId, messageId, createdAt = PostgresTime.From(message.CreatedAt), seq = message.Seq, now },
            null, cancellationToken));
        if (advanced is not null) return new ReadCursorUpdate(ReadCursorUpdateStatus.Advanced, advanced.ToCursor());
        var current = await FindCursorAsync(connection, conversationId, userId, cancellationToken);
        return new ReadCursorUpdate(ReadCursorUpdateStatus.Unchanged, current!.ToCursor());
    }

    public async Task<ReadCursor?> GetReadCursorAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        StoreArguments.Id(userId, nameof(userId));
        await using var connection = await OpenAsync(cancellationToken);
        var row = await FindCursorAsync(connection, conversationId, userId, cancellationToken);
        return row?.ToCursor();
    }

    public async Task<IReadOnlyList<ReadCursor>> ListReadCursorsAsync(string conversationId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PostgresReadCursorRow>(Command(
            $"SELECT {PostgresColumns.ReadCursor} FROM read_cursors rc WHERE rc.conversation_id = @conversationId ORDER BY rc.user_id COLLATE \"C\"",
            new { conversationId }, null, cancellationToken));
        return rows.Select(r => r.ToCursor()).ToList();
    }

    private static Task<PostgresReadCursorRow?> FindCursorAsync(NpgsqlConnection connection, string conversationId, string userId,
        CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<PostgresReadCursorRow>(Command(
            $"SELECT {PostgresColumns.ReadCursor} FROM read_cursors rc WHERE rc.conversation_id = @conversationId AND rc.user_id = @userId",
            new { conversationId, userId }, null, cancellationToken));
}
