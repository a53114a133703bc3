using Dapper;

namespace SocketIoServer.Chat.Storage;

internal sealed partial class PostgresChatStore
{
    public async Task<MessageInsertResult> InsertMessageAsync(NewMessage message, CancellationToken cancellationToken)
    {
        StoreArguments.NewMessage(message);
        await using var connection = await OpenAsync(cancellationToken);
        if (await FindByClientIdAsync(connection, null, message, cancellationToken) is { } stored) return Duplicate(message, stored);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Lock the conversation first: inserts into one conversation then run one at a time, so a message's time is
        // never before the one stored just before it (time order = storage order, and a client paging with
        // after=<id> never misses a message committed late); and the membership check below, a new statement after
        // the lock, sees any removal that committed while this waited.
        var last = await connection.QuerySingleOrDefaultAsync<LastMessageRow>(Command(
            "SELECT last_message_at AS LastMessageAt FROM conversations WHERE id = @ConversationId FOR NO KEY UPDATE",
            message, transaction, cancellationToken));
        if (last is null || !await IsMemberAsync(connection, transaction, message.ConversationId, message.SenderId, cancellationToken))
            return MessageInsertResult.NotMember;
        var now = _clock.Now();
        var createdAt = last.LastMessageAt is { } previous && PostgresTime.From(previous) > now ? PostgresTime.From(previous) : now;
        var id = _ids.Next();
        // a retry racing this one (same sender and client id) waits on the unique index, then inserts nothing
        var row = await connection.QuerySingleOrDefaultAsync<PostgresMessageRow>(Command($"""
            INSERT INTO messages AS m (id, conversation_id, sender_id, body, client_id, created_at)
            VALUES (@id, @ConversationId, @SenderId, @Body, @ClientId, @createdAt)
            ON CONFLICT (sender_id, client_id) DO NOTHING
            RETURNING {StoreColumns.Message}
            """, new { id, message.ConversationId, message.SenderId, message.Body, message.ClientId, createdAt }, transaction, cancellationToken));
        if (row is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            stored = await FindByClientIdAsync(connection, null, message, cancellationToken)
                ?? throw new InvalidOperationException("a message conflicted on its client id, yet none is stored under it");
            return Duplicate(message, stored);
        }
        await connection.ExecuteAsync(Command("UPDATE conversations SET last_message_at = @createdAt WHERE id = @ConversationId",
            new { message.ConversationId, createdAt }, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return MessageInsertResult.Inserted(row.ToMessage());
    }

    public async Task<MessageDeletion> DeleteMessageAsync(string messageId, string userId, CancellationToken cancellationToken)
    {
        StoreArguments.Id(messageId, nameof(messageId));
        StoreArguments.Id(userId, nameof(userId));
        var now = _clock.Now();
        await using var connection = await OpenAsync(cancellationToken);
        // one statement decides, so two deletes racing cannot both report Deleted
        var deleted = await connection.QuerySingleOrDefaultAsync<PostgresMessageRow>(Command($"""
            UPDATE messages AS m SET deleted_at = @now
            WHERE m.id = @messageId AND m.sender_id = @userId AND m.deleted_at IS NULL
            RETURNING {StoreColumns.Message}
            """, new { messageId, userId, now }, null, cancellationToken));
        if (deleted is not null) return new MessageDeletion(MessageDeletionStatus.Deleted, deleted.ToMessage());
        var row = await FindMessageAsync(connection, null, messageId, cancellationToken);
        if (row is null) return MessageDeletion.NotFound;
        if (row.SenderId != userId) return MessageDeletion.NotSender;
        return new MessageDeletion(MessageDeletionStatus.AlreadyDeleted, row.ToMessage());
    }

    private MessageInsertResult Duplicate(NewMessage message, PostgresMessageRow stored)
    {
        _log.DuplicateMessage(message.ClientId!, message.SenderId, stored.Id);
        return MessageInsertResult.Duplicate(stored.ToMessage());
    }

    private sealed class LastMessageRow
    {
        public DateTime? LastMessageAt { get; set; }
    }
}
