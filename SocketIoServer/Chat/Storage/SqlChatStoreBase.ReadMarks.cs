using Dapper;

namespace SocketIoServer.Chat.Storage;

// Per-message read marks: the same statements on both backends (the per-conversation read cursors differ: PostgreSQL
// advances them with a conditional upsert, SQLite compares under its write lock).
internal abstract partial class SqlChatStoreBase<TTime, TClock>
{
    public async Task<MarkReadResult> MarkReadAsync(string userId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        var ids = StoreArguments.Ids(messageIds, nameof(messageIds));
        if (ids.Length == 0) return new MarkReadResult([], []);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // only messages of the user's conversations; a message marked before keeps its first time
        await connection.ExecuteAsync(Command($"""
            INSERT INTO read_marks (message_id, user_id, conversation_id, read_at)
            SELECT m.id, @userId, m.conversation_id, @now FROM messages m
            JOIN conversation_members mine ON mine.conversation_id = m.conversation_id AND mine.user_id = @userId
            WHERE {InList("m.id", "ids")}
            ON CONFLICT DO NOTHING
            """, new { userId, now = Now(), ids }, transaction, cancellationToken));
        var marks = (await connection.QueryAsync<ReadMarkRow<TTime, TClock>>(Command($"""
            SELECT {StoreColumns.ReadMark} FROM read_marks r
            JOIN conversation_members mine ON mine.conversation_id = r.conversation_id AND mine.user_id = r.user_id
            WHERE r.user_id = @userId AND {InList("r.message_id", "ids")}
            """, new { userId, ids }, transaction, cancellationToken))).ToDictionary(r => r.MessageId, r => r.ToMark());
        await transaction.CommitAsync(cancellationToken);
        return ReadMarks.Result(ids, marks);
    }

    public async Task<IReadOnlyList<ReadMark>> ListReadMarksAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        var ids = StoreArguments.Ids(messageIds, nameof(messageIds));
        if (ids.Length == 0) return [];
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReadMarkRow<TTime, TClock>>(Command(
            $"SELECT {StoreColumns.ReadMark} FROM read_marks r WHERE {InList("r.message_id", "ids")} " +
            $"ORDER BY {Bytewise("r.message_id")}, r.read_at, {Bytewise("r.user_id")}",
            new { ids }, null, cancellationToken));
        return rows.Select(r => r.ToMark()).ToList();
    }
}
