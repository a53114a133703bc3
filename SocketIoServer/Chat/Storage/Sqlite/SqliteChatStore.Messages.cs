using Dapper;

namespace SocketIoServer.Chat.Storage;

internal sealed partial class SqliteChatStore
{
    public async Task<MessageInsertResult> InsertMessageAsync(NewMessage message, CancellationToken cancellationToken)
    {
        StoreArguments.NewMessage(message);
        await using var connection = await OpenAsync(cancellationToken);
        // one writer at a time: the duplicate check, the membership check and the insert see the same database
        await using var transaction = connection.BeginTransaction();
        if (await FindByClientIdAsync(connection, transaction, message, cancellationToken) is { } existing)
        {
            _log.DuplicateMessage(message.ClientId!, message.SenderId, existing.Id);
            return MessageInsertResult.Duplicate(existing.ToMessage());
        }
        if (!await IsMemberAsync(connection, transaction, message.ConversationId, message.SenderId, cancellationToken))
            return MessageInsertResult.NotMember;
        var last = await connection.ExecuteScalarAsync<long?>(Command("SELECT last_message_at FROM conversations WHERE id = @ConversationId",
            message, transaction, cancellationToken));
        // never before the previous message, even if the clock stepped back: time order and storage order agree
        var createdAt = Math.Max(SqliteTime.To(_clock.Now()), last ?? long.MinValue);
        var id = _ids.Next();
        var row = await connection.QuerySingleAsync<SqliteMessageRow>(Command($"""
            INSERT INTO messages (id, conversation_id, sender_id, body, client_id, created_at)
            VALUES (@id, @ConversationId, @SenderId, @Body, @ClientId, @createdAt)
            RETURNING {SqliteColumns.MessageReturning}
            """, new { id, message.ConversationId, message.SenderId, message.Body, message.ClientId, createdAt }, transaction, cancellationToken));
        await connection.ExecuteAsync(Command("UPDATE conversations SET last_message_at = @createdAt WHERE id = @ConversationId",
            new { message.ConversationId, createdAt }, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return MessageInsertResult.Inserted(row.ToMessage());
    }

    public async Task<MessageDeletion> DeleteMessageAsync(string messageId, string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(messageId, nameof(messageId));
        StoreArguments.Id(userId, nameof(userId));
        var now = SqliteTime.To(_clock.Now());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var row = await FindMessageAsync(connection, transaction, messageId, cancellationToken);
        if (row is null) return MessageDeletion.NotFound;
        if (row.SenderId != userId) return MessageDeletion.NotSender;
        if (row.DeletedAt is not null) return new MessageDeletion(MessageDeletionStatus.AlreadyDeleted, row.ToMessage());
        await connection.ExecuteAsync(Command("UPDATE messages SET deleted_at = @now WHERE id = @messageId", new { messageId, now },
            transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        row.DeletedAt = now;
        return new MessageDeletion(MessageDeletionStatus.Deleted, row.ToMessage());
    }

}
