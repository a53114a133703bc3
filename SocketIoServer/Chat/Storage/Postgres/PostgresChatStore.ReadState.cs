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

    public async Task<MarkReadResult> MarkReadAsync(string userId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        var ids = StoreArguments.Ids(messageIds, nameof(messageIds));
        if (ids.Length == 0) return new MarkReadResult([], []);
        var now = _clock.Now();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // only messages of the user's conversations; a message marked before keeps its first time
        await connection.ExecuteAsync(Command("""
            INSERT INTO read_marks (message_id, user_id, conversation_id, read_at)
            SELECT m.id, @userId, m.conversation_id, @now FROM messages m
            JOIN conversation_members mine ON mine.conversation_id = m.conversation_id AND mine.user_id = @userId
            WHERE m.id = ANY(@ids)
            ON CONFLICT DO NOTHING
            """, new { userId, now, ids }, transaction, cancellationToken));
        var marks = (await connection.QueryAsync<PostgresReadMarkRow>(Command($"""
            SELECT {PostgresColumns.ReadMark} FROM read_marks r
            JOIN conversation_members mine ON mine.conversation_id = r.conversation_id AND mine.user_id = r.user_id
            WHERE r.user_id = @userId AND r.message_id = ANY(@ids)
            """, new { userId, ids }, transaction, cancellationToken))).ToDictionary(r => r.MessageId, r => r.ToMark());
        await transaction.CommitAsync(cancellationToken);
        return ReadMarks.Result(ids, marks);
    }

    public async Task<IReadOnlyList<ReadMark>> ListReadMarksAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        var ids = StoreArguments.Ids(messageIds, nameof(messageIds));
        if (ids.Length == 0) return [];
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PostgresReadMarkRow>(Command(
            $"SELECT {PostgresColumns.ReadMark} FROM read_marks r WHERE r.message_id = ANY(@ids) ORDER BY r.message_id COLLATE \"C\", r.read_at, r.user_id COLLATE \"C\"",
            new { ids }, null, cancellationToken));
        return rows.Select(r => r.ToMark()).ToList();
    }

    private static Task<PostgresReadCursorRow?> FindCursorAsync(NpgsqlConnection connection, string conversationId, string userId,
        CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<PostgresReadCursorRow>(Command(
            $"SELECT {PostgresColumns.ReadCursor} FROM read_cursors rc WHERE rc.conversation_id = @conversationId AND rc.user_id = @userId",
            new { conversationId, userId }, null, cancellationToken));
}
