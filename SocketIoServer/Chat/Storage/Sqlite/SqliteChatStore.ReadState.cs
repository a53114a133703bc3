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

    public async Task<MarkReadResult> MarkReadAsync(string userId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        var ids = StoreArguments.Ids(messageIds, nameof(messageIds));
        if (ids.Length == 0) return new MarkReadResult([], []);
        var now = SqliteTime.To(_clock.Now());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        // only messages of the user's conversations; a message marked before keeps its first time
        await connection.ExecuteAsync(Command("""
            INSERT INTO read_marks (message_id, user_id, conversation_id, read_at)
            SELECT m.id, @userId, m.conversation_id, @now FROM messages m
            JOIN conversation_members mine ON mine.conversation_id = m.conversation_id AND mine.user_id = @userId
            WHERE m.id IN @ids
            ON CONFLICT DO NOTHING
            """, new { userId, now, ids }, transaction, cancellationToken));
        var marks = (await connection.QueryAsync<SqliteReadMarkRow>(Command($"""
            SELECT {SqliteColumns.ReadMark} FROM read_marks r
            JOIN conversation_members mine ON mine.conversation_id = r.conversation_id AND mine.user_id = r.user_id
            WHERE r.user_id = @userId AND r.message_id IN @ids
            """, new { userId, ids }, transaction, cancellationToken))).ToDictionary(r => r.MessageId, r => r.ToMark());
        await transaction.CommitAsync(cancellationToken);
        return ReadMarks.Result(ids, marks);
    }

    public async Task<IReadOnlyList<ReadMark>> ListReadMarksAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        var ids = StoreArguments.Ids(messageIds, nameof(messageIds));
        if (ids.Length == 0) return [];
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SqliteReadMarkRow>(Command(
            $"SELECT {SqliteColumns.ReadMark} FROM read_marks r WHERE r.message_id IN @ids ORDER BY r.message_id, r.read_at, r.user_id",
            new { ids }, null, cancellationToken));
        return rows.Select(r => r.ToMark()).ToList();
    }

    private static Task<SqliteReadCursorRow?> FindCursorAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction? transaction,
        string conversationId, string userId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<SqliteReadCursorRow>(Command(
            $"SELECT {SqliteColumns.ReadCursor} FROM read_cursors WHERE conversation_id = @conversationId AND user_id = @userId",
            new { conversationId, userId }, transaction, cancellationToken));
}
