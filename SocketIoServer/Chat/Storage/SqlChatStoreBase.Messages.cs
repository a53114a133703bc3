using System.Data.Common;
using System.Text;
using Dapper;

namespace SocketIoServer.Chat.Storage;

// Reading messages: the same statements on both backends (inserting and deleting differ: PostgreSQL settles races in
// the statement or with a row lock, SQLite runs one writer at a time).
internal abstract partial class SqlChatStoreBase<TTime, TClock>
{
    public async Task<ChatMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(messageId, nameof(messageId));
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await FindMessageAsync(connection, null, messageId, cancellationToken);
        return row?.ToMessage();
    }

    public async Task<MessagePage> ListMessagesAsync(string conversationId, string readerId, MessageQuery query, CancellationToken cancellationToken)
    {
        StoreArguments.Id(conversationId, nameof(conversationId));
        StoreArguments.Id(readerId, nameof(readerId));
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginReadAsync(connection, cancellationToken);
        if (!await IsMemberAsync(connection, transaction, conversationId, readerId, cancellationToken)) return MessagePage.NotMember;

        var sql = new StringBuilder($"SELECT {StoreColumns.Message} FROM messages m WHERE m.conversation_id = @conversationId");
        var parameters = new DynamicParameters(new { conversationId, limit = query.Limit });
        if (query.AfterMessageId is { } afterId)
        {
            var after = await FindMessageAsync(connection, transaction, afterId, cancellationToken);
            if (after is null || after.ConversationId != conversationId) return MessagePage.AfterMessageNotFound;
            // (time, seq) orders the messages of a conversation: paging after a message resumes exactly behind it
            sql.Append(" AND (m.created_at, m.seq) > (@afterCreatedAt, @afterSeq)");
            parameters.AddDynamicParams(new { afterCreatedAt = TClock.Parameter(TClock.From(after.CreatedAt)), afterSeq = after.Seq });
        }
        else if (query.AfterTime is { } afterTime)
        {
            sql.Append(" AND m.created_at > @afterTime");
            parameters.Add("afterTime", TClock.Parameter(afterTime));
        }
        if (!query.IncludeDeleted) sql.Append(" AND m.deleted_at IS NULL");
        sql.Append(query.Latest ? " ORDER BY m.created_at DESC, m.seq DESC LIMIT @limit" : " ORDER BY m.created_at, m.seq LIMIT @limit");

        var rows = (await connection.QueryAsync<MessageRow<TTime, TClock>>(Command(sql.ToString(), parameters, transaction, cancellationToken)))
            .Select(r => r.ToMessage()).ToList();
        if (query.Latest) rows.Reverse();
        return new MessagePage(MessagePageStatus.Ok, rows);
    }

    public async Task<IReadOnlyList<ChatMessage>> ListMessagesSinceAsync(string userId, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.Id(userId, nameof(userId));
        StoreArguments.MissedLimit(limit);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<MessageRow<TTime, TClock>>(Command($"""
            SELECT {StoreColumns.Message} FROM messages m
            JOIN conversation_members mine ON mine.conversation_id = m.conversation_id AND mine.user_id = @userId
            WHERE m.created_at > @since AND m.deleted_at IS NULL
            ORDER BY m.created_at, m.seq
            LIMIT @limit
            """, new { userId, since = TClock.Parameter(since), limit }, null, cancellationToken));
        return rows.Select(r => r.ToMessage()).ToList();
    }

    protected static Task<bool> IsMemberAsync(DbConnection connection, DbTransaction? transaction, string conversationId, string userId,
        CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(Command(
            "SELECT EXISTS (SELECT 1 FROM conversation_members WHERE conversation_id = @conversationId AND user_id = @userId)",
            new { conversationId, userId }, transaction, cancellationToken));

    protected static Task<MessageRow<TTime, TClock>?> FindMessageAsync(DbConnection connection, DbTransaction? transaction, string messageId,
        CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<MessageRow<TTime, TClock>>(Command(
            $"SELECT {StoreColumns.Message} FROM messages m WHERE m.id = @messageId", new { messageId }, transaction, cancellationToken));

    /// <summary>The message its sender already stored under this client id (an idempotent retry), if any.</summary>
    protected static async Task<MessageRow<TTime, TClock>?> FindByClientIdAsync(DbConnection connection, DbTransaction? transaction,
        NewMessage message, CancellationToken cancellationToken) =>
        message.ClientId is null
            ? null
            : await connection.QuerySingleOrDefaultAsync<MessageRow<TTime, TClock>>(Command(
                $"SELECT {StoreColumns.Message} FROM messages m WHERE m.sender_id = @SenderId AND m.client_id = @ClientId",
                message, transaction, cancellationToken));
}
